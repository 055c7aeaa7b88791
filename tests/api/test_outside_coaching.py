"""Issue 17, point 1: where nobody in the team holds a competence well enough to coach it,
an agreement names an external coach (a name and organisation, not a participant) or a
training instead of a senior, and that covers a fragile wish at the evaluation gate."""

import pytest

from tests import builders
from tests.client import assert_problem

OUTSIDER = {"name": "Ineke de Vries", "organisation": "Coachbureau Noord"}
COURSE = {
    "title": "Feedback geven",
    "provider": "Academie West",
    "starts_on": "2027-02-01",
    "ends_on": "2027-03-15",
}


@pytest.fixture
def nobody_holds_it(client):
    """A project in development where even the senior is at level 2: no coach qualifies."""
    return builders.coached_team(client, member_level=1, senior_level=2)


def body(team, **coaching):
    return {
        "participant_id": team.members[0]["id"],
        "competence_id": team.skill["id"],
        "target_level": 3,
        "due_date": "2027-06-30",
        **coaching,
    }


def propose(client, team, **coaching):
    return client.post(f"{team.base}/agreements", body(team, **coaching))


def make(client, team, **coaching):
    return client.ok("POST", f"{team.base}/agreements", body(team, **coaching))


def violation(response) -> tuple[str, str]:
    [only] = assert_problem(response, 422)["violations"]
    return only["field"], only["code"]


def test_an_external_coach_is_named_by_name_and_organisation(client, nobody_holds_it):
    made = make(client, nobody_holds_it, external_coach=OUTSIDER)

    assert (made["coaching"], made["coach_id"], made["external_coach"], made["training"]) == (
        "external_coach",
        None,
        OUTSIDER,
        None,
    )


def test_a_training_is_named_by_title_provider_and_dates(client, nobody_holds_it):
    made = make(client, nobody_holds_it, training=COURSE)

    assert (made["coaching"], made["training"], made["external_coach"]) == (
        "training",
        COURSE,
        None,
    )


def test_a_senior_coach_is_still_answered_as_such(client):
    team = builders.coached_team(client, member_level=1, senior_level=4)

    made = builders.agreement(client, team)

    assert (made["coaching"], made["coach_id"], made["external_coach"]) == (
        "senior",
        team.senior["id"],
        None,
    )


def test_without_any_coaching_an_agreement_is_refused(client, nobody_holds_it):
    assert violation(propose(client, nobody_holds_it)) == ("coach_id", "no_coaching")


def test_two_kinds_of_coaching_at_once_are_refused(client):
    team = builders.coached_team(client, member_level=1, senior_level=4)

    refused = propose(client, team, coach_id=team.senior["id"], training=COURSE)

    assert violation(refused) == ("training", "coaching_ambiguous")
    assert client.ok("GET", f"{team.base}/agreements") == []


def test_a_training_cannot_end_before_it_starts(client, nobody_holds_it):
    backwards = {**COURSE, "starts_on": "2027-04-01", "ends_on": "2027-03-01"}

    assert violation(propose(client, nobody_holds_it, training=backwards)) == (
        "training",
        "ends_before_start",
    )


def test_an_external_coach_needs_a_name_and_an_organisation(client, nobody_holds_it):
    refused = assert_problem(
        propose(client, nobody_holds_it, external_coach={"name": "Ineke"}), 422
    )

    assert list(refused["errors"]) == ["external_coach.organisation"]


def test_the_refusal_of_a_senior_below_level_three_points_to_the_alternatives(
    client, nobody_holds_it
):
    body = assert_problem(
        propose(client, nobody_holds_it, coach_id=nobody_holds_it.senior["id"]), 422
    )

    assert "external_coach or a training" in body["violations"][0]["message"]


def test_naming_another_kind_of_coaching_replaces_the_one_it_had(client):
    team = builders.coached_team(client, member_level=1, senior_level=4)
    made = builders.agreement(client, team)

    changed = client.ok(
        "PATCH", f"{team.base}/agreements/{made['id']}", {"external_coach": OUTSIDER}
    )

    assert (changed["coaching"], changed["coach_id"], changed["external_coach"]) == (
        "external_coach",
        None,
        OUTSIDER,
    )


def test_taking_the_only_coaching_away_is_refused(client, nobody_holds_it):
    made = make(client, nobody_holds_it, training=COURSE)

    refused = client.patch(f"{nobody_holds_it.base}/agreements/{made['id']}", {"training": None})

    assert violation(refused) == ("coach_id", "no_coaching")
    again = client.ok("GET", f"{nobody_holds_it.base}/agreements/{made['id']}")
    assert again["training"] == COURSE


@pytest.mark.parametrize("coaching", [{"external_coach": OUTSIDER}, {"training": COURSE}])
def test_outside_coaching_covers_a_wish_nobody_in_the_team_can_coach(
    client, nobody_holds_it, coaching
):
    make(client, nobody_holds_it, **coaching)

    assert builders.move(client, nobody_holds_it.project, "evaluation")["to_phase"] == "evaluation"


def test_a_finished_agreements_coaching_can_no_longer_change(client):
    team = builders.coached_team(client, member_level=1, senior_level=4)
    made = builders.agreement(client, team)
    builders.move_agreement(client, team, made, "agreed", "in_progress", "abandoned")

    response = client.patch(
        f"{team.base}/agreements/{made['id']}", json={"external_coach": OUTSIDER}
    )

    assert violation(response) == ("status", "final")
    assert client.ok("GET", f"{team.base}/agreements/{made['id']}")["coaching"] == "senior"
