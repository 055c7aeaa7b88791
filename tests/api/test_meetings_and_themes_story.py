"""Seed 000's closing meeting replayed through the API (commitments made at a joint
meeting of two management layers, a round of action reports at the evaluation), the
project moving to closed; and seed 001's theme progress ("0 of 4 steps done, 0%")."""

from tests import builders
from tests.client import assert_problem


def test_seed_000_the_closing_round_of_the_table_closes_the_project(client):
    project, (upper, lower) = builders.project_in(client, "evaluation")
    base = f"/api/v1/projects/{project['id']}"

    joint = client.ok(
        "POST",
        f"{base}/meetings",
        {
            "kind": "joint",
            "date": "2014-03-10",
            "topic": "Cooperation between the management layers",
            "attendees": [
                {"participant_id": upper["id"], "layer": "higher management"},
                {"participant_id": lower["id"], "layer": "second management layer"},
            ],
            "ground_rules": ["What is said here stays here", "Room to be vulnerable"],
        },
    )
    trust = client.ok(
        "POST",
        f"{base}/meetings/{joint['id']}/commitments",
        {"text": "Ask before judging the other layer."},
    )
    visits = client.ok(
        "POST",
        f"{base}/meetings/{joint['id']}/commitments",
        {"text": "Visit a team of the other layer each quarter.", "owner_ids": [upper["id"]]},
    )
    closing = client.ok(
        "POST",
        f"{base}/meetings",
        {
            "kind": "evaluation",
            "date": "2014-05-13",
            "attendees": [{"participant_id": upper["id"]}, {"participant_id": lower["id"]}],
        },
    )
    reports = f"{base}/meetings/{closing['id']}/action-reports"

    refused = assert_problem(client.post(f"{base}/transitions", {"to": "closed"}), 409)
    assert [u["code"] for u in refused["unmet"]] == ["action_reports_missing"]

    client.ok(
        "POST",
        reports,
        {
            "participant_id": upper["id"],
            "commitment_id": trust["id"],
            "text": "I asked first, twice.",
        },
    )
    round_ = client.ok("GET", f"{base}/meetings/{closing['id']}/round")
    assert round_["complete"] is False
    waiting = {e["commitment"]["id"]: e["not_reported"] for e in round_["entries"]}
    assert waiting == {trust["id"]: [lower["id"]], visits["id"]: [upper["id"]]}

    client.ok(
        "POST",
        reports,
        {"participant_id": lower["id"], "commitment_id": trust["id"], "text": "I invited them."},
    )
    client.ok(
        "POST",
        reports,
        {
            "participant_id": upper["id"],
            "commitment_id": visits["id"],
            "text": "Visited two teams.",
        },
    )
    assert client.ok("GET", f"{base}/meetings/{closing['id']}/round")["complete"] is True

    moved = client.ok("POST", f"{base}/transitions", {"to": "closed"}, status=201)
    assert moved["to_phase"] == "closed"
    assert (
        assert_problem(client.post(f"{base}/intake/findings", {"text": "Too late."}), 409)["code"]
        == "project_closed"
    )


def test_seed_001_a_theme_reads_0_of_4_steps_done_then_grows(client):
    theme = client.ok(
        "POST",
        "/api/v1/themes",
        {
            "name": "Cultuur van vertrouwen",
            "steps": [
                {"title": "Leidinggeven vanuit vertrouwen"},
                {"title": "Wat is vertrouwen?"},
                {"title": "Een cultuur van vertrouwen creëren"},
                {"title": "Vertrouwen in de organisatie"},
            ],
        },
    )
    project = builders.project(client)
    anna, bram = builders.participant(client, project), builders.participant(client, project)
    base = f"/api/v1/projects/{project['id']}/themes"
    client.ok("POST", base, {"theme_id": theme["id"]})

    progress = client.ok("GET", f"{base}/{theme['id']}/progress/{anna['id']}")
    assert (progress["steps_done"], progress["steps_total"], progress["percent"]) == ([], 4, 0)
    assert progress["text"] == "0 of 4 steps done, 0%"

    first, second = (s["id"] for s in theme["steps"][:2])
    done = client.ok(
        "PUT", f"{base}/{theme['id']}/progress/{anna['id']}", {"steps_done": [second, first]}
    )
    assert (done["steps_done"], done["percent"], done["text"]) == (
        [first, second],
        50,
        "2 of 4 steps done, 50%",
    )
    all_steps = [s["id"] for s in theme["steps"]]
    client.ok("PUT", f"{base}/{theme['id']}/progress/{bram['id']}", {"steps_done": all_steps})

    overview = client.ok("GET", f"{base}/{theme['id']}")
    assert overview["summary"] == {"participants": 2, "average_percent": 75.0, "finished": 1}

    # Reordering keeps each step, and so who did it.
    reordered = [{"id": s["id"], "title": s["title"]} for s in reversed(theme["steps"])]
    client.ok("PATCH", f"/api/v1/themes/{theme['id']}", {"steps": reordered})
    again = client.ok("GET", f"{base}/{theme['id']}/progress/{anna['id']}")
    assert (again["steps_done"], again["percent"]) == ([second, first], 50)
