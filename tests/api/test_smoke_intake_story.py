"""Seed 004's first phase, played through the API alone."""

from tests import builders
from tests.client import assert_problem


def test_a_team_moves_from_intake_to_service_definition_once_the_gate_is_met(client):
    project = builders.project(client)
    base = f"/api/v1/projects/{project['id']}"

    refused = assert_problem(client.post(f"{base}/transitions", {"to": "service_definition"}), 409)
    assert {u["code"] for u in refused["unmet"]} == {"no_findings", "no_members", "no_conclusion"}

    builders.ready_intake(client, project)
    assert client.ok("GET", f"{base}/checklist") == {
        "phase": "intake",
        "next_phase": "service_definition",
        "ready": True,
        "unmet": [],
    }
    moved = client.ok("POST", f"{base}/transitions", {"to": "service_definition"})
    assert (moved["from_phase"], moved["to_phase"]) == ("intake", "service_definition")
    assert client.ok("GET", base)["phase"] == "service_definition"
