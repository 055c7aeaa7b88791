"""Peer check-ins on development agreements (social control): another participant of the
project notes, on a date, whether the agreement is on_track, at_risk or off_track."""

from datetime import date, timedelta

import pytest

from tests import builders
from tests.client import assert_problem

TODAY = date.today()


@pytest.fixture
def team(client):
    return builders.coached_team(client, member_level=1)


@pytest.fixture
def agreement(client, team):
    return builders.agreement(client, team)


def path(team, agreement):
    return f"{team.base}/agreements/{agreement['id']}/check-ins"


def days_ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


def by(participant, status="on_track", **fields):
    return {"participant_id": participant["id"], "status": status, **fields}


def test_a_peer_checks_in_with_a_note(client, team, agreement):
    made = client.ok(
        "POST", path(team, agreement), by(team.members[1], "at_risk", note="Busy month.")
    )

    assert (made["participant_id"], made["status"], made["note"]) == (
        team.members[1]["id"],
        "at_risk",
        "Busy month.",
    )


def test_the_coach_may_check_in_too(client, team, agreement):
    client.ok("POST", path(team, agreement), by(team.senior))


def test_the_participant_cannot_check_in_on_their_own_agreement(client, team, agreement):
    refused = assert_problem(client.post(path(team, agreement), by(team.members[0])), 422)

    assert [(v["field"], v["code"]) for v in refused["violations"]] == [
        ("participant_id", "not_a_peer")
    ]


def test_someone_outside_the_project_cannot_check_in(client, team, agreement):
    stranger = builders.participant(client, builders.project(client))

    refused = assert_problem(client.post(path(team, agreement), by(stranger)), 422)

    assert [(v["field"], v["code"]) for v in refused["violations"]] == [
        ("participant_id", "unknown_participant")
    ]


def test_a_refused_check_in_is_not_stored(client, team, agreement):
    client.post(path(team, agreement), by(team.members[0]))

    assert client.ok("GET", path(team, agreement)) == []


@pytest.mark.parametrize("status", ["fine", "ON_TRACK", ""])
def test_the_status_is_one_of_on_track_at_risk_off_track(client, team, agreement, status):
    refused = assert_problem(client.post(path(team, agreement), by(team.members[1], status)), 422)

    assert list(refused["errors"]) == ["status"]


@pytest.mark.parametrize("status", ["on_track", "at_risk", "off_track"])
def test_every_status_of_the_scale_is_accepted(client, team, agreement, status):
    made = client.ok("POST", path(team, agreement), by(team.members[1], status))

    assert made["status"] == status


def test_the_date_defaults_to_today(client, team, agreement):
    made = client.ok("POST", path(team, agreement), by(team.members[1]))

    assert made["date"] == TODAY.isoformat()


def test_a_check_in_can_be_dated_in_the_past(client, team, agreement):
    made = client.ok("POST", path(team, agreement), by(team.members[1], date=days_ago(3)))

    assert made["date"] == days_ago(3)


def test_an_agreement_shows_its_last_check_in_and_the_days_since(client, team, agreement):
    client.ok("POST", path(team, agreement), by(team.members[1], "off_track", date=days_ago(5)))

    shown = client.ok("GET", f"{team.base}/agreements/{agreement['id']}")

    assert (shown["last_check_in"]["status"], shown["days_since_check_in"]) == ("off_track", 5)


def test_the_last_check_in_is_the_latest_by_date_not_by_entry(client, team, agreement):
    client.ok("POST", path(team, agreement), by(team.members[1], "at_risk", date=days_ago(1)))
    client.ok("POST", path(team, agreement), by(team.senior, "on_track", date=days_ago(9)))

    shown = client.ok("GET", f"{team.base}/agreements/{agreement['id']}")

    assert (shown["last_check_in"]["status"], shown["days_since_check_in"]) == ("at_risk", 1)


def test_an_agreement_without_check_ins_shows_none(client, team, agreement):
    shown = client.ok("GET", f"{team.base}/agreements/{agreement['id']}")

    assert (shown["last_check_in"], shown["days_since_check_in"]) == (None, None)


def test_listed_agreements_show_their_last_check_in_too(client, team, agreement):
    client.ok("POST", path(team, agreement), by(team.members[1], date=days_ago(2)))

    [listed] = client.ok("GET", f"{team.base}/agreements")

    assert listed["days_since_check_in"] == 2


def test_check_ins_are_listed_oldest_first(client, team, agreement):
    for days in (3, 10, 0, 6):
        client.ok("POST", path(team, agreement), by(team.members[1], date=days_ago(days)))

    listed = client.ok("GET", path(team, agreement))

    assert [c["date"] for c in listed] == [days_ago(d) for d in (10, 6, 3, 0)]


def test_check_ins_belong_to_their_agreement(client, team, agreement):
    other = builders.agreement(client, team, participant_id=team.members[1]["id"])
    client.ok("POST", path(team, other), by(team.members[0]))

    assert client.ok("GET", path(team, agreement)) == []


def test_an_agreement_of_another_project_cannot_be_checked_in_on(client, team, agreement):
    elsewhere = builders.coached_team(client, member_level=1)

    assert_problem(client.post(path(elsewhere, agreement), by(elsewhere.members[1])), 404)
