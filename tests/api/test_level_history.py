"""GET /projects/{id}/matrix/history: every level change with its previous level, source,
actor and time, oldest first, per participant or competence."""

import pytest

from tests import builders
from tests.client import ApiClient


@pytest.fixture
def team(client):
    """A project in competence_mapping with nothing rated yet."""
    return builders.coached_team(client, "competence_mapping", rated=False, wish=False)


def cell(participant, competence, level, source="self"):
    return {
        "participant_id": participant["id"],
        "competence_id": competence["id"],
        "level": level,
        "source": source,
    }


def history(client, team, **filters):
    return client.ok(
        "GET", f"{team.base}/matrix/history", query_string={"page_size": 100, **filters}
    )


def test_the_history_is_ordered_oldest_first(client, team):
    anna, bram = team.members
    other = builders.competence(client)
    order = [(anna, team.skill), (bram, team.skill), (team.senior, team.skill), (anna, other)]
    order += [(bram, other), (team.senior, other)]
    for participant, competence in order:
        builders.set_levels(client, team.project, [cell(participant, competence, 2)])

    assert [(h["participant_id"], h["competence_id"]) for h in history(client, team)] == [
        (p["id"], c["id"]) for p, c in order
    ]


def test_each_entry_has_the_previous_level_and_its_source(client, team):
    anna = team.members[0]
    for level, source in ((1, "self"), (3, "coach"), (2, "peer")):
        builders.set_levels(client, team.project, [cell(anna, team.skill, level, source)])

    assert [(h["previous_level"], h["level"], h["source"]) for h in history(client, team)] == [
        (None, 1, "self"),
        (1, 3, "coach"),
        (3, 2, "peer"),
    ]


def test_the_history_can_be_narrowed_to_a_participant(client, team):
    anna, bram = team.members
    builders.set_levels(client, team.project, builders.cells([anna, bram], [team.skill]))

    entries = history(client, team, participant_id=bram["id"])

    assert [h["participant_id"] for h in entries] == [bram["id"]]


def test_the_history_can_be_narrowed_to_a_competence(client, team):
    anna = team.members[0]
    other = builders.competence(client)
    builders.set_levels(client, team.project, builders.cells([anna], [team.skill, other]))

    entries = history(client, team, competence_id=other["id"])

    assert [h["competence_id"] for h in entries] == [other["id"]]


def test_the_actor_of_an_entry_is_the_api_key_that_made_the_change(app, client, team):
    key = builders.api_key(client, role="consultant")
    consultant = ApiClient(app.test_client(), key["secret"])

    builders.set_levels(consultant, team.project, [cell(team.members[0], team.skill, 2)])

    assert [h["actor_id"] for h in history(client, team)] == [key["id"]]


def test_an_entry_is_dated(client, team):
    builders.set_levels(client, team.project, [cell(team.members[0], team.skill, 2)])

    [entry] = history(client, team)

    assert entry["created_at"].endswith(("Z", "+00:00"))
