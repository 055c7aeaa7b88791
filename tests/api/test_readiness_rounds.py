"""Readiness per round: the baseline at the intake, later rounds beside it, never
overwritten; the MT's ratings apart from the team's."""

from tests import builders
from tests.client import assert_problem


def readiness(project) -> str:
    return f"/api/v1/projects/{project['id']}/intake/readiness"


def rate(client, project, participant, desire, status=None):
    return client.ok(
        "PUT",
        f"{readiness(project)}/{participant['id']}",
        {"desire": desire, "energy": 3, "feasibility": 3},
        status=status,
    )


def test_a_new_round_takes_new_ratings_and_keeps_the_baselines(client):
    project, (anna, _bram) = builders.project_in(client, "service_definition")

    opened = client.ok("POST", f"{readiness(project)}/rounds", status=201)
    rating = rate(client, project, anna, 5, status=201)

    assert opened["round"] == 2
    assert rating["round"] == 2
    baseline = client.ok("GET", f"{readiness(project)}/{anna['id']}", query_string={"round": 1})
    assert (baseline["round"], baseline["desire"]) == (1, 4)
    assert client.ok("GET", f"{readiness(project)}/{anna['id']}")["desire"] == 5


def test_the_summary_compares_each_round_with_the_baseline(client):
    project, (anna, bram) = builders.project_in(client, "service_definition")
    client.ok("POST", f"{readiness(project)}/rounds", status=201)
    rate(client, project, anna, 5, status=201)
    rate(client, project, bram, 3, status=201)

    summary = client.ok("GET", readiness(project))

    assert (summary["round"], summary["desire"]["mean"], summary["members_rated"]) == (2, 4.0, 2)
    assert [r["round"] for r in summary["rounds"]] == [1, 2]
    assert summary["rounds"][0]["team"]["desire"]["mean"] == 4.0
    assert summary["rounds"][1]["change"] == {"desire": 0.0, "energy": -1.0, "feasibility": 0.0}
    assert client.ok("GET", f"{readiness(project)}/rounds") == summary["rounds"]


def test_the_intake_and_its_gate_still_read_the_baseline(client):
    project, _members = builders.project_in(client, "service_definition")
    client.ok(
        "POST",
        f"/api/v1/projects/{project['id']}/transitions",
        {"to": "intake", "reason": "Another look at the situation."},
        status=201,
    )
    client.ok("POST", f"{readiness(project)}/rounds", status=201)

    intake = client.ok("GET", f"/api/v1/projects/{project['id']}/intake")
    checklist = client.ok("GET", f"/api/v1/projects/{project['id']}/checklist")

    assert (intake["readiness"]["round"], intake["readiness"]["members_rated"]) == (1, 2)
    assert "readiness_not_rated" not in [u["code"] for u in checklist["unmet"]]


def test_a_round_nobody_has_rated_in_is_not_followed_by_another(client):
    project, _members = builders.project_in(client, "service_definition")
    client.ok("POST", f"{readiness(project)}/rounds", status=201)

    response = client.post(f"{readiness(project)}/rounds")

    assert_problem(response, 409)
    assert len(client.ok("GET", f"{readiness(project)}/rounds")) == 2


def test_the_mt_members_ratings_are_reported_apart(client):
    project, (_anna, _bram) = builders.project_in(client, "intake")
    director = builders.participant(client, project, roles=["mt_member"])
    rate(client, project, director, 1, status=201)

    summary = client.ok("GET", readiness(project))

    assert summary["desire"] == {"count": 2, "mean": 4.0, "median": 4.0, "withheld": None}
    assert summary["mt"]["rated"] == 1
    assert summary["mt"]["desire"]["mean"] == 1.0


def test_rounds_go_into_the_export_and_come_back_from_it(client, other_workspace):
    project, (anna, _bram) = builders.project_in(client, "service_definition")
    client.ok("POST", f"{readiness(project)}/rounds", status=201)
    rate(client, project, anna, 5, status=201)
    document = client.ok("GET", f"/api/v1/projects/{project['id']}/export")

    other = other_workspace.admin
    other.ok("POST", "/api/v1/imports", document, status=201)
    copy = other.ok("GET", "/api/v1/projects")[0]

    assert document["project"]["intake"]["readiness_rounds"] == [2]
    assert [r["round"] for r in document["project"]["intake"]["readiness"]] == [1, 1, 2]
    assert other.ok("GET", f"/api/v1/projects/{copy['id']}/export") == document
