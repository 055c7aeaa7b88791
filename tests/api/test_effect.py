"""GET /projects/{id}/effect: the baseline against now, for each measure."""

from tests import builders


def test_effect_shows_baseline_against_latest_for_every_measure(client):
    project, people = builders.project_in(client, "development", members=3)
    base = f"/api/v1/projects/{project['id']}"
    service = client.ok("GET", f"{base}/services")[0]
    skill_id = service["required_competences"][0]["competence_id"]
    # The matrix moves on in development: two members reach level 3.
    client.ok(
        "PUT",
        f"{base}/matrix/levels",
        {
            "levels": [
                {
                    "participant_id": p["id"],
                    "competence_id": skill_id,
                    "level": 3,
                    "source": "coach",
                }
                for p in people[:2]
            ]
        },
    )
    # Readiness: a later round.
    client.ok("POST", f"{base}/intake/readiness/rounds", status=201)
    for p in people:
        client.ok(
            "PUT",
            f"{base}/intake/readiness/{p['id']}",
            {"desire": 5, "energy": 4, "feasibility": 3},
            status=201,
        )
    # Pulse: two rounds of three answers.
    survey = client.ok(
        "POST",
        f"{base}/surveys",
        {"title": "Pulse", "questions": [{"kind": "scale", "topic": "trust", "text": "Trust?"}]},
    )
    question = survey["questions"][0]["id"]
    for values in ((2, 2, 3), (4, 4, 5)):
        for p, value in zip(people, values, strict=True):
            client.ok(
                "POST",
                f"{base}/surveys/{survey['id']}/responses",
                {"participant_id": p["id"], "answers": [{"question_id": question, "value": value}]},
            )
        # Each round closed, so shown: the third, open, takes the answers from now on.
        client.ok("POST", f"{base}/surveys/{survey['id']}/rounds", status=200)
    # An indicator measured twice.
    indicator = client.ok("GET", f"{base}/services/{service['id']}/indicators")[0]
    for value, day in ((10, "2026-01-01"), (6, "2026-06-01")):
        client.ok(
            "POST",
            f"{base}/services/{service['id']}/indicators/{indicator['id']}/measurements",
            {"value": value, "date": day},
        )

    effect = client.ok("GET", f"{base}/effect")

    readiness = effect["readiness"]
    assert (readiness["baseline"]["round"], readiness["latest"]["round"]) == (1, 2)
    assert readiness["latest"]["change"] == {"desire": 1.0, "energy": 0.0, "feasibility": 0.0}
    (pulse,) = effect["pulse"]
    assert (pulse["baseline_round"], pulse["latest_round"]) == (1, 2)
    assert pulse["questions"][0] | {"question_id": None} == {
        "question_id": None,
        "text": "Trust?",
        "topic": "trust",
        "before": 2.33,
        "after": 4.33,
        "change": 2.0,
    }
    (measured,) = effect["indicators"]
    assert (measured["before"]["value"], measured["after"]["value"], measured["change"]) == (
        10.0,
        6.0,
        -4.0,
    )
    matrix = effect["matrix"]
    (row,) = matrix["competences"]
    assert matrix["baseline_at"] is not None
    assert (row["holders_before"], row["holders_after"]) == (0, 2)
    assert (
        matrix["single_points_of_failure_before"],
        matrix["single_points_of_failure_after"],
    ) == (
        1,
        0,
    )


def test_a_project_without_later_measures_shows_the_baseline_as_latest(client):
    project, _people = builders.project_in(client, "intake")

    effect = client.ok("GET", f"/api/v1/projects/{project['id']}/effect")

    assert effect["readiness"]["latest"]["round"] == 1
    assert (effect["pulse"], effect["indicators"]) == ([], [])
    assert effect["matrix"] == {
        "baseline_at": None,
        "single_points_of_failure_before": 0,
        "single_points_of_failure_after": 0,
        "competences": [],
    }
