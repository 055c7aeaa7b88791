"""The phase checklist and the transitions between phases, over HTTP."""

from tests import builders
from tests.client import assert_problem

INTAKE_CODES = ["no_findings", "no_members", "no_conclusion"]


def base(project) -> str:
    return f"/api/v1/projects/{project['id']}"


def codes(unmet) -> list[str]:
    return [u["code"] for u in unmet]


def rate(client, project, who, desire=4, energy=4, feasibility=3):
    return client.ok(
        "PUT",
        f"{base(project)}/intake/readiness/{who['id']}",
        {"desire": desire, "energy": energy, "feasibility": feasibility},
        status=201,
    )


def finding_and_conclusion(client, project, ready=True):
    client.ok("POST", f"{base(project)}/intake/findings", {"text": "Nobody shares knowledge."})
    client.ok("PUT", f"{base(project)}/intake/conclusion", {"ready": ready})


def test_the_checklist_lists_every_unmet_condition_with_code_and_message(client):
    project = builders.project(client)

    checklist = client.ok("GET", f"{base(project)}/checklist")

    assert (checklist["phase"], checklist["next_phase"], checklist["ready"]) == (
        "intake",
        "service_definition",
        False,
    )
    assert codes(checklist["unmet"]) == INTAKE_CODES
    assert all(u["message"] for u in checklist["unmet"])


def test_a_refused_transition_is_409_with_the_checklists_unmet(client):
    project = builders.project(client)
    checklist = client.ok("GET", f"{base(project)}/checklist")

    refused = assert_problem(
        client.post(f"{base(project)}/transitions", {"to": "service_definition"}), 409
    )

    assert refused["unmet"] == checklist["unmet"]
    assert client.ok("GET", base(project))["phase"] == "intake"
    assert client.ok("GET", f"{base(project)}/transitions") == []


def test_moving_back_without_a_reason_is_refused_on_reason(client):
    project, _ = builders.project_in(client, "service_definition")

    refused = assert_problem(client.post(f"{base(project)}/transitions", {"to": "intake"}), 422)

    assert list(refused["errors"]) == ["reason"]
    assert client.ok("GET", base(project))["phase"] == "service_definition"


def test_moving_back_with_a_reason_is_kept_in_the_history(client):
    project, _ = builders.project_in(client, "service_definition")

    moved = client.ok(
        "POST", f"{base(project)}/transitions", {"to": "intake", "reason": "The MT asks again."}
    )

    assert (moved["from_phase"], moved["to_phase"], moved["reason"]) == (
        "service_definition",
        "intake",
        "The MT asks again.",
    )
    assert client.ok("GET", base(project))["phase"] == "intake"
    assert client.ok("GET", f"{base(project)}/transitions")[-1] == moved


def test_the_history_lists_the_moves_oldest_first_by_the_acting_key(client, workspace):
    project, _ = builders.project_in(client, "service_definition")
    client.ok("POST", f"{base(project)}/transitions", {"to": "intake", "reason": "Again."})

    history = client.ok("GET", f"{base(project)}/transitions")

    assert [(m["from_phase"], m["to_phase"]) for m in history] == [
        ("intake", "service_definition"),
        ("service_definition", "intake"),
    ]
    assert {m["actor_id"] for m in history} == {str(workspace.admin_key_id)}


def test_moving_two_phases_at_once_is_refused_on_to(client):
    project = builders.project(client)
    builders.ready_intake(client, project)

    refused = assert_problem(
        client.post(f"{base(project)}/transitions", {"to": "competence_mapping"}), 422
    )

    assert list(refused["errors"]) == ["to"]
    assert client.ok("GET", base(project))["phase"] == "intake"


def test_readiness_rated_by_exactly_half_of_the_members_meets_that_condition(client):
    project = builders.project(client)
    members = [builders.participant(client, project) for _ in range(4)]
    finding_and_conclusion(client, project)
    for member in members[:2]:
        rate(client, project, member)

    assert client.ok("GET", f"{base(project)}/checklist")["unmet"] == []
    builders.move(client, project, "service_definition")


def test_readiness_rated_by_fewer_than_half_of_the_members_does_not(client):
    project = builders.project(client)
    members = [builders.participant(client, project) for _ in range(4)]
    builders.participant(client, project, roles=("manager",))
    finding_and_conclusion(client, project)
    rate(client, project, members[0])

    unmet = client.ok("GET", f"{base(project)}/checklist")["unmet"]

    assert codes(unmet) == ["readiness_not_rated"]
    assert unmet[0]["subject"] == {"participant_ids": [m["id"] for m in members[1:]]}


def test_a_team_that_concluded_it_is_not_ready_cannot_move_on(client):
    project = builders.project(client)
    for member in [builders.participant(client, project) for _ in range(2)]:
        rate(client, project, member)
    finding_and_conclusion(client, project, ready=False)

    refused = assert_problem(
        client.post(f"{base(project)}/transitions", {"to": "service_definition"}), 409
    )

    assert codes(refused["unmet"]) == ["team_not_ready"]
