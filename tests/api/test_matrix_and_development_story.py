"""Seed 004's third and fourth phases through the API alone, to the evaluation, with the
derived figures checked against a small team computed by hand.

The team: Anna, Bram (members), Carla (member and senior), Dirk (senior).
Services: Onboarding needs FB (feedback) at 3 and PLAN at 2; Advice needs FB at 3.
Levels:        FB  PLAN
    Anna        2    3
    Bram        1    2
    Carla       4    1
    Dirk        2    4
By hand: FB is needed by 2 services at level 3 and only Carla holds it: rank 1, a single
point of failure, both services at risk. PLAN is needed by 1 service at level 2, held by
Anna, Bram and Dirk: rank 2, safe.
"""

from tests import builders
from tests.client import assert_problem


def codes(body):
    return sorted(u["code"] for u in body["unmet"])


def test_seed_004_phases_three_and_four(client):
    project, (anna, bram) = builders.project_in(client, "service_definition")
    base = f"/api/v1/projects/{project['id']}"
    carla = builders.participant(client, project, roles=("member", "senior"))
    dirk = builders.participant(client, project, roles=("senior",))
    fb = builders.competence(client, "FB")
    plan = builders.competence(client, "PLAN")
    onboarding = builders.service(
        client, project, [anna, carla], needs=[(fb, 3), (plan, 2)], name="Onboarding"
    )
    advice = builders.service(client, project, [bram, carla], needs=[(fb, 3)], name="Advice")
    client.ok("POST", f"{base}/transitions", {"to": "competence_mapping"}, status=201)

    # Phase 3: the matrix.
    assert codes(
        assert_problem(client.post(f"{base}/transitions", {"to": "development"}), 409)
    ) == ["levels_missing", "levels_missing", "levels_missing", "no_wishes"]
    grid = {anna["id"]: (2, 3), bram["id"]: (1, 2), carla["id"]: (4, 1), dirk["id"]: (2, 4)}
    cells = [
        {"participant_id": pid, "competence_id": c["id"], "level": lv, "source": "self"}
        for pid, levels in grid.items()
        for c, lv in zip((fb, plan), levels, strict=True)
    ]
    assert client.ok("PUT", f"{base}/matrix/levels", {"levels": cells}) == {
        "created": 8,
        "updated": 0,
        "unchanged": 0,
    }
    assert client.ok("PUT", f"{base}/matrix/levels", {"levels": cells}) == {
        "created": 0,
        "updated": 0,
        "unchanged": 8,
    }

    matrix = client.ok("GET", f"{base}/matrix")
    rows = {p["id"]: p for p in matrix["participants"]}
    assert rows[carla["id"]]["levels"][fb["id"]] == {"level": 4, "source": "self"}
    assert rows[carla["id"]]["contributions"].keys() == {onboarding["id"], advice["id"]}
    assert [c["code"] for c in matrix["competences"]] == ["FB", "PLAN"]

    ranking = client.ok("GET", f"{base}/dependencies")
    assert [
        (
            d["rank"],
            d["competence"]["code"],
            d["demand"],
            len(d["holders"]),
            d["single_point_of_failure"],
        )
        for d in ranking
    ] == [
        (1, "FB", 2, 1, True),
        (2, "PLAN", 1, 3, False),
    ]
    assert ranking[0]["holders"] == [carla["id"]]
    assert sorted(s["name"] for s in ranking[0]["services_at_risk"]) == ["Advice", "Onboarding"]

    anna_fb = client.ok(
        "POST", f"{base}/wishes", {"participant_id": anna["id"], "competence_id": fb["id"]}
    )
    client.ok("POST", f"{base}/wishes", {"participant_id": bram["id"], "competence_id": plan["id"]})
    priorities = client.ok("GET", f"{base}/priorities")
    assert [(p["participant_id"], p["rank"], p["candidate_coaches"]) for p in priorities] == [
        (anna["id"], 1, [carla["id"]]),
        (bram["id"], 2, [dirk["id"]]),
    ]
    assert "single point of failure" in priorities[0]["reason"]
    assert "Needed by 2 services" in priorities[0]["reason"]
    client.ok("POST", f"{base}/transitions", {"to": "development"}, status=201)

    # Phase 4: agreements, coached by seniors, followed up by peers.
    refused = assert_problem(client.post(f"{base}/transitions", {"to": "evaluation"}), 409)
    assert [(u["code"], u["subject"]["wish_id"]) for u in refused["unmet"]] == [
        ("spof_wish_uncovered", anna_fb["id"])
    ]

    proposal = {
        "participant_id": anna["id"],
        "competence_id": fb["id"],
        "target_level": 3,
        "due_date": "2027-06-30",
    }
    too_weak = assert_problem(
        client.post(f"{base}/agreements", {**proposal, "coach_id": dirk["id"]}), 422
    )
    assert too_weak["violations"][0]["code"] == "coach_level_too_low"
    assert assert_problem(
        client.post(f"{base}/agreements", {**proposal, "coach_id": anna["id"]}), 422
    )["errors"]["coach_id"]
    agreement = client.ok("POST", f"{base}/agreements", {**proposal, "coach_id": carla["id"]})
    assert (agreement["start_level"], agreement["status"]) == (2, "proposed")

    own = assert_problem(
        client.post(
            f"{base}/agreements/{agreement['id']}/check-ins",
            {"participant_id": anna["id"], "status": "on_track"},
        ),
        422,
    )
    assert own["violations"][0]["code"] == "not_a_peer"
    client.ok(
        "POST",
        f"{base}/agreements/{agreement['id']}/check-ins",
        {"participant_id": bram["id"], "status": "at_risk", "note": "Busy month."},
    )
    shown = client.ok("GET", f"{base}/agreements/{agreement['id']}")
    assert (shown["last_check_in"]["status"], shown["days_since_check_in"]) == ("at_risk", 0)

    path = f"{base}/agreements/{agreement['id']}"
    assert assert_problem(client.patch(path, {"status": "achieved"}), 422)["errors"]["status"]
    for status in ("agreed", "in_progress", "achieved"):
        client.ok("PATCH", path, {"status": status})
    after = {p["id"]: p for p in client.ok("GET", f"{base}/matrix")["participants"]}
    assert after[anna["id"]]["levels"][fb["id"]] == {"level": 3, "source": "agreement"}
    history = client.ok(
        "GET", f"{base}/matrix/history?participant_id={anna['id']}&competence_id={fb['id']}"
    )
    assert [(h["previous_level"], h["level"], h["source"]) for h in history] == [
        (None, 2, "self"),
        (2, 3, "agreement"),
    ]

    moved = client.ok("POST", f"{base}/transitions", {"to": "evaluation"}, status=201)
    assert moved["to_phase"] == "evaluation"
