"""The audit trail: every change leaves one record naming the key that made it."""

import json
from datetime import UTC, datetime
from uuid import UUID

import pytest

from tests import builders
from tests.client import assert_problem

AUDIT = "/api/v1/audit"
PERSON_FIELDS = ["active", "email", "external_id", "name", "organisation_id"]


def audit_total(client, **filters):
    response = client.get(AUDIT, query_string=filters)
    assert response.status_code == 200
    return json.loads(response.headers["X-Pagination"])["total"]


def key_id_of(admin, secret):
    """The id of the key with this secret, as an admin sees it among the workspace's keys."""
    (key,) = [k for k in admin.ok("GET", "/api/v1/api-keys") if secret.startswith(k["prefix"])]
    return key["id"]


# Each case prepares what it needs and answers the mutation to audit; the mutation answers
# the record it must leave: (action, entity_type, entity_id, changed_fields).


def create_organisation(client):
    def act():
        made = client.ok("POST", "/api/v1/organisations", {"name": "Gemeente Utrecht"})
        return "create", "organisation", made["id"], ["name"]

    return act


def rename_organisation(client):
    made = builders.organisation(client)

    def act():
        client.ok("PATCH", f"/api/v1/organisations/{made['id']}", {"name": "Renamed"})
        return "update", "organisation", made["id"], ["name"]

    return act


def delete_organisation(client):
    made = builders.organisation(client)

    def act():
        client.ok("DELETE", f"/api/v1/organisations/{made['id']}")
        return "delete", "organisation", made["id"], []

    return act


def create_team(client):
    organisation = builders.organisation(client)

    def act():
        made = builders.team(client, organisation["id"])
        return "create", "team", made["id"], ["name", "organisation_id"]

    return act


def rename_team(client):
    made = builders.team(client, builders.organisation(client)["id"])

    def act():
        client.ok("PATCH", f"/api/v1/teams/{made['id']}", {"name": "Renamed"})
        return "update", "team", made["id"], ["name"]

    return act


def delete_team(client):
    made = builders.team(client, builders.organisation(client)["id"])

    def act():
        client.ok("DELETE", f"/api/v1/teams/{made['id']}")
        return "delete", "team", made["id"], []

    return act


def create_person(client):
    organisation = builders.organisation(client)

    def act():
        made = builders.person(client, organisation["id"])
        return "create", "person", made["id"], PERSON_FIELDS

    return act


def update_person(client):
    made = builders.person(client, builders.organisation(client)["id"])

    def act():
        client.ok("PATCH", f"/api/v1/people/{made['id']}", {"email": "new@example.nl"})
        return "update", "person", made["id"], ["email"]

    return act


def put_new_person(client):
    organisation = builders.organisation(client)

    def act():
        made = client.ok(
            "PUT",
            f"/api/v1/organisations/{organisation['id']}/people/external/E-1",
            {"name": "Anna", "email": "anna@example.nl"},
            status=201,
        )
        return "create", "person", made["id"], PERSON_FIELDS

    return act


def put_known_person(client):
    organisation = builders.organisation(client)
    path = f"/api/v1/organisations/{organisation['id']}/people/external/E-1"
    client.ok("PUT", path, {"name": "Anna"}, status=201)

    def act():
        made = client.ok("PUT", path, {"name": "Anna de Wit"})
        return "update", "person", made["id"], ["name"]

    return act


def sync_a_new_person(client):
    organisation = builders.organisation(client)

    def act():
        (result,) = builders.hris_people(client, organisation["id"], 1)
        return "create", "person", result["id"], PERSON_FIELDS

    return act


def erase_a_participant(client):
    project = builders.project(client)
    participant = builders.participant(client, project)

    def act():
        client.ok("DELETE", f"/api/v1/people/{participant['person_id']}")
        fields = ["active", "email", "erased_at", "external_id", "name", "team_id"]
        return "erase", "person", participant["person_id"], fields

    return act


def delete_a_person(client):
    made = builders.person(client, builders.organisation(client)["id"])

    def act():
        client.ok("DELETE", f"/api/v1/people/{made['id']}")
        return "delete", "person", made["id"], []

    return act


def create_api_key(client):
    def act():
        made = builders.api_key(client, role="viewer")
        return "create", "api_key", made["id"], ["digest", "name", "prefix", "role"]

    return act


def revoke_api_key(client):
    made = builders.api_key(client, role="viewer")

    def act():
        client.ok("DELETE", f"/api/v1/api-keys/{made['id']}")
        return "revoke", "api_key", made["id"], ["revoked_at"]

    return act


MUTATIONS = [
    create_organisation,
    rename_organisation,
    delete_organisation,
    create_team,
    rename_team,
    delete_team,
    create_person,
    update_person,
    put_new_person,
    put_known_person,
    sync_a_new_person,
    erase_a_participant,
    delete_a_person,
    create_api_key,
    revoke_api_key,
]


@pytest.mark.parametrize("prepare", MUTATIONS, ids=[m.__name__ for m in MUTATIONS])
def test_every_mutation_writes_exactly_one_audit_record(client, prepare):
    act = prepare(client)
    before = audit_total(client)
    started = datetime.now(UTC)

    action, entity_type, entity_id, fields = act()

    assert audit_total(client) == before + 1
    newest = client.ok("GET", AUDIT)[0]
    assert (newest["action"], newest["entity_type"], newest["entity_id"]) == (
        action,
        entity_type,
        entity_id,
    )
    assert sorted(newest["changed_fields"]) == fields
    assert newest["actor_id"] == key_id_of(client, client.secret)
    assert started <= datetime.fromisoformat(newest["created_at"]) <= datetime.now(UTC)


def test_the_actor_is_the_key_that_made_the_change(workspace, client):
    consultant = workspace.client("consultant")

    made = consultant.ok("POST", "/api/v1/organisations", {"name": "Gemeente Utrecht"})

    (record,) = builders.audit_trail(client, entity_id=made["id"])
    assert record["actor_id"] == key_id_of(client, consultant.secret)
    assert record["actor_id"] != str(workspace.admin_key_id)


def test_a_read_writes_no_audit_record(client):
    organisation = builders.organisation(client)
    before = audit_total(client)

    client.ok("GET", f"/api/v1/organisations/{organisation['id']}")
    client.ok("GET", "/api/v1/organisations")

    assert audit_total(client) == before


def test_a_refused_change_writes_no_audit_record(client):
    organisation = builders.organisation(client)
    builders.team(client, organisation["id"], "Support")
    before = audit_total(client)

    assert_problem(
        client.post(f"/api/v1/organisations/{organisation['id']}/teams", {"name": "Support"}), 422
    )

    assert audit_total(client) == before


def test_deleting_a_team_also_audits_each_person_it_leaves_without_a_team(client):
    organisation = builders.organisation(client)
    team = builders.team(client, organisation["id"])
    anna = builders.person(client, organisation["id"], team_id=team["id"])

    client.ok("DELETE", f"/api/v1/teams/{team['id']}")

    (moved,) = builders.audit_trail(client, entity_id=anna["id"], action="update")
    assert moved["changed_fields"] == ["team_id"]
    assert len(builders.audit_trail(client, entity_id=team["id"], action="delete")) == 1


def test_records_are_listed_newest_first(client):
    first = builders.organisation(client)
    second = builders.organisation(client)

    listed = builders.audit_trail(client, entity_type="organisation")

    assert [r["entity_id"] for r in listed] == [second["id"], first["id"]]


def test_records_can_be_filtered_by_entity_type(client):
    organisation = builders.organisation(client)
    builders.team(client, organisation["id"])

    listed = builders.audit_trail(client, entity_type="team")

    assert len(listed) == 1
    assert {r["entity_type"] for r in listed} == {"team"}


def test_records_can_be_filtered_by_entity_id(client):
    organisation = builders.organisation(client)
    client.ok("PATCH", f"/api/v1/organisations/{organisation['id']}", {"name": "Renamed"})
    builders.organisation(client)

    listed = builders.audit_trail(client, entity_id=organisation["id"])

    assert [r["action"] for r in listed] == ["update", "create"]
    assert {r["entity_id"] for r in listed} == {organisation["id"]}


def test_records_can_be_filtered_by_action(client):
    organisation = builders.organisation(client)
    client.ok("PATCH", f"/api/v1/organisations/{organisation['id']}", {"name": "Renamed"})

    listed = builders.audit_trail(client, action="update")

    assert [(r["entity_id"], r["action"]) for r in listed] == [(organisation["id"], "update")]


def test_records_can_be_filtered_by_actor(workspace, client):
    consultant = workspace.client("consultant")
    mine = consultant.ok("POST", "/api/v1/organisations", {"name": "Mine"})
    builders.organisation(client)

    listed = builders.audit_trail(client, actor_id=key_id_of(client, consultant.secret))

    assert [r["entity_id"] for r in listed] == [mine["id"]]


def test_an_invalid_entity_id_filter_is_refused(client):
    body = assert_problem(client.get(AUDIT, query_string={"entity_id": "not-a-uuid"}), 422)

    assert "query.entity_id" in body["errors"]


def test_a_consultant_key_may_read_the_audit_trail(workspace):
    assert workspace.client("consultant").get(AUDIT).status_code == 200


@pytest.mark.parametrize("role", ["viewer", "integration"])
def test_keys_that_are_not_staff_may_not_read_the_audit_trail(workspace, role):
    assert_problem(workspace.client(role).get(AUDIT), 403)


def test_a_key_restricted_to_one_organisation_may_not_read_the_audit_trail(workspace, client):
    organisation = builders.organisation(client)
    restricted = workspace.client("consultant", organisation_id=UUID(organisation["id"]))

    body = assert_problem(restricted.get(AUDIT), 403)

    assert "restricted" in body["detail"]


def test_another_workspaces_records_are_never_listed(client, other_workspace):
    theirs = builders.organisation(other_workspace.admin)

    assert builders.audit_trail(client, entity_id=theirs["id"]) == []
