"""The gates into development (every member rated on every needed competence, and a wish)
and into evaluation (every wish on a single point of failure covered by an agreement)."""

import pytest

from tests import builders
from tests.client import assert_problem


@pytest.fixture
def mapping(client):
    """A project in competence_mapping: Anna and Bram (members) deliver a service that
    needs FB at 3 and PLAN at 2; nothing is rated and nobody has wished anything yet."""
    project, members = builders.project_in(client, "service_definition")
    fb, plan = builders.competence(client, "FB"), builders.competence(client, "PLAN")
    builders.service(client, project, members, needs=[(fb, 3), (plan, 2)])
    builders.move(client, project, "competence_mapping")
    return project, members, fb, plan


def refusal(client, project, to):
    return assert_problem(
        client.post(f"/api/v1/projects/{project['id']}/transitions", {"to": to}), 409
    )["unmet"]


def wish(client, project, participant, competence):
    return client.ok(
        "POST",
        f"/api/v1/projects/{project['id']}/wishes",
        {"participant_id": participant["id"], "competence_id": competence["id"]},
    )


# --- into development ---------------------------------------------------------------------


def test_every_member_missing_levels_is_listed_with_the_missing_codes(client, mapping):
    project, (anna, bram), fb, plan = mapping
    builders.set_levels(client, project, builders.cells([anna], [fb]))
    wish(client, project, anna, fb)

    unmet = refusal(client, project, "development")

    assert sorted((u["code"], u["subject"]["participant_id"]) for u in unmet) == sorted(
        [("levels_missing", anna["id"]), ("levels_missing", bram["id"])]
    )
    missing = {u["subject"]["participant_id"]: u for u in unmet}
    assert missing[anna["id"]]["message"].endswith(": PLAN.")
    assert missing[bram["id"]]["message"].endswith(": FB, PLAN.")
    assert missing[anna["id"]]["subject"]["competence_ids"] == [plan["id"]]
    assert sorted(missing[bram["id"]]["subject"]["competence_ids"]) == sorted(
        [fb["id"], plan["id"]]
    )


def test_no_wishes_is_listed_when_nobody_wished_anything(client, mapping):
    project, members, fb, plan = mapping
    builders.set_levels(client, project, builders.cells(members, [fb, plan]))

    assert [u["code"] for u in refusal(client, project, "development")] == ["no_wishes"]


@pytest.mark.parametrize("roles", [("senior",), ("mt_member",)])
def test_a_participant_who_is_no_member_needs_no_levels(client, mapping, roles):
    project, members, fb, plan = mapping
    builders.participant(client, project, roles=roles)
    builders.set_levels(client, project, builders.cells(members, [fb, plan]))
    wish(client, project, members[0], fb)

    moved = builders.move(client, project, "development")

    assert moved["to_phase"] == "development"


def test_a_senior_member_needs_levels_like_any_member(client, mapping):
    project, members, fb, plan = mapping
    carla = builders.participant(client, project, roles=("member", "senior"))
    builders.set_levels(client, project, builders.cells(members, [fb, plan]))
    wish(client, project, members[0], fb)

    unmet = refusal(client, project, "development")

    assert [(u["code"], u["subject"]["participant_id"]) for u in unmet] == [
        ("levels_missing", carla["id"])
    ]


def test_levels_of_competences_no_service_needs_are_not_required(client, mapping):
    project, members, fb, plan = mapping
    builders.competence(client, "IDLE")  # in the catalogue, needed by no service
    builders.set_levels(client, project, builders.cells(members, [fb, plan]))
    wish(client, project, members[0], fb)

    assert builders.move(client, project, "development")["to_phase"] == "development"


def test_the_checklist_shows_what_the_gate_to_development_would_refuse(client, mapping):
    project, members, fb, plan = mapping
    builders.set_levels(client, project, builders.cells(members, [fb, plan]))

    checklist = client.ok("GET", f"/api/v1/projects/{project['id']}/checklist")

    assert [u["code"] for u in checklist["unmet"]] == ["no_wishes"]


# --- into evaluation ----------------------------------------------------------------------


@pytest.fixture
def fragile(client):
    """In development: the service needs ``skill`` at 3 and only the senior holds it (a single
    point of failure); the first member wishes to develop it."""
    return builders.coached_team(client, member_level=1)


def test_a_wish_on_a_single_point_of_failure_without_an_agreement_blocks(client, fragile):
    [wished] = client.ok("GET", f"{fragile.base}/wishes")

    unmet = refusal(client, fragile.project, "evaluation")

    assert [(u["code"], u["subject"]) for u in unmet] == [
        (
            "spof_wish_uncovered",
            {
                "wish_id": wished["id"],
                "participant_id": fragile.members[0]["id"],
                "competence_id": fragile.skill["id"],
            },
        )
    ]


def test_an_agreement_with_a_coach_covers_the_wish(client, fragile):
    builders.agreement(client, fragile)

    assert builders.move(client, fragile.project, "evaluation")["to_phase"] == "evaluation"


def test_an_achieved_agreement_covers_the_wish(client, fragile):
    made = builders.agreement(client, fragile, target_level=2)
    builders.move_agreement(client, fragile, made, "agreed", "in_progress", "achieved")

    assert builders.move(client, fragile.project, "evaluation")["to_phase"] == "evaluation"


def test_an_abandoned_agreement_does_not_cover_the_wish(client, fragile):
    made = builders.agreement(client, fragile)
    builders.move_agreement(client, fragile, made, "agreed", "in_progress", "abandoned")

    unmet = refusal(client, fragile.project, "evaluation")

    assert [u["code"] for u in unmet] == ["spof_wish_uncovered"]


def test_an_agreement_of_someone_else_does_not_cover_the_wish(client, fragile):
    builders.agreement(client, fragile, participant_id=fragile.members[1]["id"])

    unmet = refusal(client, fragile.project, "evaluation")

    assert [u["subject"]["participant_id"] for u in unmet] == [fragile.members[0]["id"]]


def test_a_wish_on_a_competence_the_team_holds_safely_does_not_block(client):
    safe = builders.coached_team(client, member_level=3)  # three holders at the level needed

    assert builders.move(client, safe.project, "evaluation")["to_phase"] == "evaluation"


def test_a_wish_on_a_competence_no_service_needs_does_not_block(client, fragile):
    idle = builders.competence(client)
    wish(client, fragile.project, fragile.members[1], idle)
    builders.agreement(client, fragile)  # covers the fragile wish

    assert builders.move(client, fragile.project, "evaluation")["to_phase"] == "evaluation"
