"""Development wishes: a participant of the project wants to develop a competence next
year; one wish per participant and competence, from competence_mapping on."""

from uuid import uuid4

import pytest

from tests import builders
from tests.client import assert_problem


@pytest.fixture
def team(client):
    """A project in competence_mapping, nobody has wished anything yet."""
    return builders.coached_team(client, "competence_mapping", wish=False)


def wish(participant, competence, **fields):
    return {"participant_id": participant["id"], "competence_id": competence["id"], **fields}


def test_a_wish_is_recorded_with_its_motivation(client, team):
    made = client.ok(
        "POST", f"{team.base}/wishes", wish(team.members[0], team.skill, motivation="For clients.")
    )

    assert client.ok("GET", f"{team.base}/wishes/{made['id']}")["motivation"] == "For clients."


def test_a_participant_wishes_a_competence_only_once(client, team):
    client.ok("POST", f"{team.base}/wishes", wish(team.members[0], team.skill))

    refused = assert_problem(
        client.post(f"{team.base}/wishes", wish(team.members[0], team.skill)), 422
    )

    assert refused["violations"][0]["code"] == "duplicate"
    assert len(client.ok("GET", f"{team.base}/wishes")) == 1


def test_two_participants_may_wish_the_same_competence(client, team):
    for member in team.members:
        client.ok("POST", f"{team.base}/wishes", wish(member, team.skill))

    assert len(client.ok("GET", f"{team.base}/wishes")) == 2


def test_a_participant_may_wish_several_competences(client, team):
    other = builders.competence(client)
    for competence in (team.skill, other):
        client.ok("POST", f"{team.base}/wishes", wish(team.members[0], competence))

    assert len(client.ok("GET", f"{team.base}/wishes")) == 2


def test_the_wisher_must_take_part_in_the_project(client, team):
    stranger = builders.participant(client, builders.project(client))

    refused = assert_problem(client.post(f"{team.base}/wishes", wish(stranger, team.skill)), 422)

    assert list(refused["errors"]) == ["participant_id"]


def test_an_unknown_competence_cannot_be_wished(client, team):
    refused = assert_problem(
        client.post(f"{team.base}/wishes", wish(team.members[0], {"id": str(uuid4())})), 422
    )

    assert refused["violations"][0]["code"] == "unknown_competence"


def test_an_archived_competence_cannot_be_wished(client, team):
    old = builders.competence(client)
    builders.competence(client, parent_id=old["id"])  # in use: retiring archives it
    client.ok("DELETE", f"/api/v1/competences/{old['id']}")

    refused = assert_problem(client.post(f"{team.base}/wishes", wish(team.members[0], old)), 422)

    assert refused["violations"][0] == {
        "field": "competence_id",
        "code": "archived",
        "message": refused["errors"]["competence_id"][0],
    }


def test_wishes_cannot_be_made_before_competence_mapping(client):
    project, members = builders.project_in(client, "service_definition")
    skill = builders.competence(client)

    refused = assert_problem(
        client.post(f"/api/v1/projects/{project['id']}/wishes", wish(members[0], skill)), 409
    )

    assert refused["code"] == "phase_not_reached"


def test_a_withdrawn_wish_is_gone(client, team):
    made = client.ok("POST", f"{team.base}/wishes", wish(team.members[0], team.skill))

    client.ok("DELETE", f"{team.base}/wishes/{made['id']}")

    assert_problem(client.get(f"{team.base}/wishes/{made['id']}"), 404)
    assert client.ok("GET", f"{team.base}/wishes") == []


def test_a_withdrawn_wish_can_be_made_again(client, team):
    made = client.ok("POST", f"{team.base}/wishes", wish(team.members[0], team.skill))
    client.ok("DELETE", f"{team.base}/wishes/{made['id']}")

    client.ok("POST", f"{team.base}/wishes", wish(team.members[0], team.skill))


def test_wishes_can_be_listed_per_participant(client, team):
    for member in team.members:
        client.ok("POST", f"{team.base}/wishes", wish(member, team.skill))

    listed = client.ok(
        "GET", f"{team.base}/wishes", query_string={"participant_id": team.members[1]["id"]}
    )

    assert [w["participant_id"] for w in listed] == [team.members[1]["id"]]
