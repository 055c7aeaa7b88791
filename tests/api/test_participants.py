"""The participants of a project: people of its organisation, each with roles."""

from tests import builders
from tests.client import assert_problem


def participants_of(project) -> str:
    return f"/api/v1/projects/{project['id']}/participants"


def test_a_person_of_the_organisation_is_added_with_roles(client):
    project = builders.project(client)
    person = builders.person(client, project["organisation_id"], name="Anna de Vries")

    response = client.post(
        participants_of(project), {"person_id": person["id"], "roles": ["member", "senior"]}
    )

    assert response.status_code == 201
    added = response.get_json()
    assert (added["person_id"], added["name"], added["roles"]) == (
        person["id"],
        "Anna de Vries",
        ["member", "senior"],
    )
    assert client.ok("GET", response.headers["Location"]) == added
    assert [p["id"] for p in client.ok("GET", participants_of(project))] == [added["id"]]


def test_a_person_of_another_organisation_cannot_take_part(client):
    project = builders.project(client)
    stranger = builders.person(client, builders.organisation(client)["id"])

    refused = assert_problem(
        client.post(participants_of(project), {"person_id": stranger["id"], "roles": ["member"]}),
        422,
    )

    assert list(refused["errors"]) == ["person_id"]
    assert client.ok("GET", participants_of(project)) == []


def test_the_same_person_cannot_take_part_twice(client):
    project = builders.project(client)
    person = builders.person(client, project["organisation_id"])
    body = {"person_id": person["id"], "roles": ["member"]}
    client.ok("POST", participants_of(project), body)

    refused = assert_problem(client.post(participants_of(project), body), 422)

    assert list(refused["errors"]) == ["person_id"]
    assert len(client.ok("GET", participants_of(project))) == 1


def test_a_participant_needs_at_least_one_role(client):
    project = builders.project(client)
    person = builders.person(client, project["organisation_id"])

    refused = assert_problem(
        client.post(participants_of(project), {"person_id": person["id"], "roles": []}), 422
    )

    assert "roles" in refused["errors"]


def test_an_unknown_role_is_refused(client):
    project = builders.project(client)
    person = builders.person(client, project["organisation_id"])

    refused = assert_problem(
        client.post(participants_of(project), {"person_id": person["id"], "roles": ["boss"]}),
        422,
    )

    assert any(field.startswith("roles") for field in refused["errors"])


def test_the_roles_of_a_participant_can_be_changed(client):
    project = builders.project(client)
    added = builders.participant(client, project, roles=("member",))
    path = f"{participants_of(project)}/{added['id']}"

    changed = client.ok("PATCH", path, {"roles": ["member", "mt_member"]})

    assert changed["roles"] == ["member", "mt_member"]
    assert changed["version"] == added["version"] + 1
    assert client.ok("GET", path)["roles"] == ["member", "mt_member"]


def test_roles_cannot_be_patched_to_none(client):
    project = builders.project(client)
    added = builders.participant(client, project)

    assert_problem(client.patch(f"{participants_of(project)}/{added['id']}", {"roles": []}), 422)


def test_a_removed_participant_is_gone(client):
    project = builders.project(client)
    added = builders.participant(client, project)
    path = f"{participants_of(project)}/{added['id']}"

    client.ok("DELETE", path)

    assert_problem(client.get(path), 404)
    assert client.ok("GET", participants_of(project)) == []


def test_a_removed_participant_leaves_their_signed_grievance_unsigned(client):
    project = builders.project(client)
    author = builders.participant(client, project)
    grievances = f"/api/v1/projects/{project['id']}/intake/grievances"
    signed = client.ok("POST", grievances, {"text": "Never asked.", "participant_id": author["id"]})

    client.ok("DELETE", f"{participants_of(project)}/{author['id']}")

    kept = client.ok("GET", f"{grievances}/{signed['id']}")
    assert (kept["text"], kept["participant_id"]) == ("Never asked.", None)


def test_a_removed_participant_takes_their_readiness_rating_along(client):
    project = builders.project(client)
    member = builders.participant(client, project)
    client.ok(
        "PUT",
        f"/api/v1/projects/{project['id']}/intake/readiness/{member['id']}",
        {"desire": 4, "energy": 4, "feasibility": 4},
        status=201,
    )

    client.ok("DELETE", f"{participants_of(project)}/{member['id']}")

    summary = client.ok("GET", f"/api/v1/projects/{project['id']}/intake/readiness")
    assert (summary["desire"]["count"], summary["members_total"]) == (0, 0)


def test_a_participant_is_not_found_through_another_project(client):
    project, other = builders.project(client), builders.project(client)
    added = builders.participant(client, project)

    assert_problem(client.get(f"{participants_of(other)}/{added['id']}"), 404)


# --- external ids, and many at once ---------------------------------------------------


def batch_of(project) -> str:
    return f"{participants_of(project)}/batch"


def test_the_participants_list_names_each_persons_external_id(client):
    project = builders.project(client)
    hris = builders.person(client, project["organisation_id"], external_id="E-1042")
    by_hand = builders.person(client, project["organisation_id"], external_id=None)
    for person in (hris, by_hand):
        client.ok(
            "POST", participants_of(project), {"person_id": person["id"], "roles": ["member"]}
        )

    listed = client.ok("GET", participants_of(project))

    assert {p["person_id"]: p["external_id"] for p in listed} == {
        hris["id"]: "E-1042",
        by_hand["id"]: None,
    }
    one = client.ok("GET", f"{participants_of(project)}/{listed[0]['id']}")
    assert one["external_id"] == listed[0]["external_id"]


def test_many_participants_are_added_at_once_by_person_id_or_external_id(client):
    project = builders.project(client)
    anna = builders.person(client, project["organisation_id"], external_id="E-1")
    bram = builders.person(client, project["organisation_id"], external_id="E-2")

    report = client.ok(
        "POST",
        batch_of(project),
        {
            "participants": [
                {"person_id": anna["id"], "roles": ["member", "senior"]},
                {"external_id": "E-2", "roles": ["manager"]},
            ]
        },
        status=200,
    )

    assert report["counts"] == {"created": 2, "updated": 0, "unchanged": 0}
    assert [
        (r["index"], r["outcome"], r["participant"]["person_id"]) for r in report["results"]
    ] == [
        (0, "created", anna["id"]),
        (1, "created", bram["id"]),
    ]
    listed = {p["id"]: p for p in client.ok("GET", participants_of(project))}
    assert [listed[r["participant"]["id"]] for r in report["results"]] == [
        r["participant"] for r in report["results"]
    ]
    assert listed[report["results"][1]["participant"]["id"]]["roles"] == ["manager"]


def test_the_same_batch_twice_changes_nothing_and_new_roles_update(client):
    project = builders.project(client)
    anna = builders.person(client, project["organisation_id"])
    bram = builders.person(client, project["organisation_id"])
    body = {
        "participants": [
            {"person_id": anna["id"], "roles": ["member"]},
            {"person_id": bram["id"], "roles": ["member"]},
        ]
    }
    first = client.ok("POST", batch_of(project), body, status=200)

    again = client.ok("POST", batch_of(project), body, status=200)
    body["participants"][1]["roles"] = ["member", "mt_member"]
    changed = client.ok("POST", batch_of(project), body, status=200)

    assert again["counts"] == {"created": 0, "updated": 0, "unchanged": 2}
    assert [r["participant"] for r in again["results"]] == [
        r["participant"] for r in first["results"]
    ]
    assert [r["outcome"] for r in changed["results"]] == ["unchanged", "updated"]
    assert changed["results"][1]["participant"]["roles"] == ["member", "mt_member"]
    assert len(client.ok("GET", participants_of(project))) == 2


def test_a_batch_with_problems_locates_each_and_adds_no_one(client):
    project = builders.project(client)
    anna = builders.person(client, project["organisation_id"], external_id="E-1")
    stranger = builders.person(client, builders.organisation(client)["id"], external_id="E-9")
    erased = builders.person(client, project["organisation_id"])
    client.ok("DELETE", f"/api/v1/people/{erased['id']}", status=204)
    items = [
        {"person_id": anna["id"], "roles": ["member"]},
        {"person_id": stranger["id"], "roles": ["member"]},
        {"external_id": "E-9", "roles": ["member"]},
        {"external_id": "E-1", "roles": ["senior"]},
        {"roles": ["member"]},
        {"person_id": anna["id"], "external_id": "E-1", "roles": ["member"]},
        {"person_id": anna["id"], "roles": []},
    ]

    errors = assert_problem(client.post(batch_of(project), {"participants": items}), 422)["errors"]

    assert set(errors) == {"participants.6.roles"}  # the form first, as for every body
    del items[6]
    errors = assert_problem(client.post(batch_of(project), {"participants": items}), 422)["errors"]
    assert set(errors) == {
        "participants.1.person_id",
        "participants.2.external_id",
        "participants.3.external_id",
        "participants.4.external_id",
        "participants.5.person_id",
    }
    assert "index 0" in errors["participants.3.external_id"][0]
    assert client.ok("GET", participants_of(project)) == []


def test_a_batch_costs_as_many_statements_for_100_people_as_for_5(client, count_statements):
    def statements(how_many: int) -> int:
        project = builders.project(client)
        people = builders.hris_people(client, project["organisation_id"], how_many)
        items = [{"external_id": p["external_id"], "roles": ["member"]} for p in people]
        client.ok("GET", participants_of(project))  # the key is verified and remembered
        with count_statements() as counter:
            client.ok("POST", batch_of(project), {"participants": items}, status=200)
        return counter.count

    assert statements(5) == statements(100)
