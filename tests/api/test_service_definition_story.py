"""Seed 004's second phase, played through the API alone: from an empty project in
service_definition to a successful transition into competence_mapping, with every
refusal along the way explained."""

from tests import builders
from tests.client import assert_problem


def unmet_codes(problem_or_checklist, *services):
    """Each condition's code with the name of the service it is about (by its id)."""
    names = {s["id"]: s["name"] for s in services}
    return sorted(
        (u["code"], names.get(u.get("subject", {}).get("service_id")))
        for u in problem_or_checklist["unmet"]
    )


def test_seed_004_phase_two_from_services_to_the_competence_matrix(client):
    project, (anna, bram) = builders.project_in(client, "service_definition", members=2)
    base = f"/api/v1/projects/{project['id']}"
    carla = builders.participant(client, project, roles=("member", "senior"))
    director = builders.participant(client, project, roles=("mt_member",))
    feedback_skill = builders.competence(client, "COMM-FB", parent_id=None)

    refused = assert_problem(client.post(f"{base}/transitions", {"to": "competence_mapping"}), 409)
    assert unmet_codes(refused) == [("no_services", None)]

    onboarding = client.ok(
        "POST",
        f"{base}/services",
        {
            "name": "Onboarding",
            "client_group": "Line managers",
            "required_competences": [{"competence_id": feedback_skill["id"]}],
        },
    )
    assert onboarding["required_competences"] == [
        {"competence_id": feedback_skill["id"], "level": 3}
    ]
    advice = client.ok(
        "POST", f"{base}/services", {"name": "HR advice", "deliverables": ["Advice"]}
    )

    checklist = client.ok("GET", f"{base}/checklist")
    assert unmet_codes(checklist, onboarding, advice) == [
        ("no_deliverables", "Onboarding"),
        ("no_indicators", "HR advice"),
        ("no_indicators", "Onboarding"),
        ("too_few_contributors", "HR advice"),
        ("too_few_contributors", "Onboarding"),
    ]
    assert "alone" in next(
        u["message"] for u in checklist["unmet"] if u["code"] == "too_few_contributors"
    )

    client.ok(
        "PATCH",
        f"{base}/services/{onboarding['id']}",
        {"deliverables": ["Workplace ready"], "indicators": ["Days to ready"]},
    )
    client.ok("PATCH", f"{base}/services/{advice['id']}", {"indicators": ["Turnaround time"]})
    for service, people in ((onboarding, (anna, carla)), (advice, (bram, carla))):
        for p in people:
            client.ok(
                "POST",
                f"{base}/services/{service['id']}/contributors",
                {"participant_id": p["id"], "contribution": "Does part of it."},
            )

    coordinators = client.ok("GET", f"{base}/coordinators")
    assert [c["participant_id"] for c in coordinators] == [carla["id"]]
    assert sorted(s["name"] for s in coordinators[0]["services"]) == ["HR advice", "Onboarding"]

    feedback = client.ok(
        "POST",
        f"{base}/services/{onboarding['id']}/feedback",
        {"text": "Add the security training.", "participant_id": director["id"]},
    )
    refused = assert_problem(client.post(f"{base}/transitions", {"to": "competence_mapping"}), 409)
    assert unmet_codes(refused, onboarding) == [("feedback_open", "Onboarding")]
    assert [f["id"] for f in client.ok("GET", f"{base}/feedback?status=open")] == [feedback["id"]]

    no_response = client.patch(
        f"{base}/services/{onboarding['id']}/feedback/{feedback['id']}", {"status": "processed"}
    )
    assert assert_problem(no_response, 422)["errors"] == {
        "response": ["Processing feedback needs the service group's response."]
    }
    client.ok(
        "PATCH",
        f"{base}/services/{onboarding['id']}/feedback/{feedback['id']}",
        {"status": "processed", "response": "Added to the introduction days."},
    )

    moved = client.ok("POST", f"{base}/transitions", {"to": "competence_mapping"}, status=201)
    assert moved["to_phase"] == "competence_mapping"
