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
