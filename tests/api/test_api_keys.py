"""API keys: issued by an admin, shown once, stored as a digest, revocable at once."""

from uuid import UUID

import pytest
from sqlalchemy import select

from repositories.tables import api_keys
from tests import builders
from tests.client import ApiClient, assert_problem

KEYS = "/api/v1/api-keys"


def as_caller(app, secret: str) -> ApiClient:
    return ApiClient(app.test_client(), secret)


def test_creating_a_key_answers_201_with_its_secret_and_location(client):
    response = client.post(KEYS, {"name": "Personio sync", "role": "integration"})

    assert response.status_code == 201
    body = response.get_json()
    assert body["secret"].startswith(body["prefix"])
    assert len(body["secret"]) >= 20
    assert (body["name"], body["role"], body["active"]) == ("Personio sync", "integration", True)
    assert response.headers["Location"].endswith(f"{KEYS}/{body['id']}")


def test_getting_a_key_never_shows_its_secret(client):
    key = builders.api_key(client)

    shown = client.ok("GET", f"{KEYS}/{key['id']}")

    assert "secret" not in shown
    assert key["secret"] not in str(shown)
    assert shown["prefix"] == key["prefix"]


def test_listing_keys_never_shows_a_secret(client):
    key = builders.api_key(client)

    response = client.get(KEYS)

    assert response.status_code == 200
    assert key["id"] in {k["id"] for k in response.get_json()}
    assert all("secret" not in k for k in response.get_json())
    assert key["secret"] not in response.get_data(as_text=True)


def test_the_database_holds_a_digest_of_the_secret_never_the_secret(client, engine, app):
    key = builders.api_key(client)

    with engine.connect() as connection:
        row = connection.execute(select(api_keys).where(api_keys.c.id == UUID(key["id"]))).one()

    assert all(key["secret"] not in str(value) for value in row)
    assert row.digest == app.extensions["od"].hasher.digest(key["secret"])


def test_a_new_key_works_at_once(client, app):
    key = builders.api_key(client, role="viewer")

    assert as_caller(app, key["secret"]).get("/api/v1/organisations").status_code == 200


@pytest.mark.parametrize(
    ("role", "may_create_organisation", "may_list_keys"),
    [
        ("admin", True, True),
        ("consultant", True, False),
        ("integration", False, False),
        ("viewer", False, False),
    ],
)
def test_a_key_acts_with_the_role_it_was_issued(
    client, app, role, may_create_organisation, may_list_keys
):
    key = builders.api_key(client, role=role)
    caller = as_caller(app, key["secret"])

    created = caller.post("/api/v1/organisations", {"name": "Gemeente Utrecht"})
    listed = caller.get(KEYS)

    assert key["role"] == role
    assert created.status_code == (201 if may_create_organisation else 403)
    assert listed.status_code == (200 if may_list_keys else 403)


def test_an_unknown_role_is_refused(client):
    body = assert_problem(client.post(KEYS, {"name": "Root", "role": "superuser"}), 422)

    assert "role" in body["errors"]


def test_only_an_admin_key_may_issue_keys(workspace):
    consultant = workspace.client("consultant")

    assert_problem(consultant.post(KEYS, {"name": "Mine", "role": "viewer"}), 403)


def test_an_admin_key_cannot_be_restricted_to_an_organisation(client):
    organisation = builders.organisation(client)

    body = assert_problem(
        client.post(KEYS, {"name": "Boss", "role": "admin", "organisation_id": organisation["id"]}),
        422,
    )

    assert "organisation_id" in body["errors"]
    assert "admin" in body["errors"]["organisation_id"][0]


def test_a_key_restricted_to_an_organisation_sees_only_that_organisation(client, app):
    mine, other = builders.organisation(client), builders.organisation(client)
    key = builders.api_key(client, role="consultant", organisation_id=mine["id"])
    caller = as_caller(app, key["secret"])

    listed = caller.ok("GET", "/api/v1/organisations")

    assert key["organisation_id"] == mine["id"]
    assert [o["id"] for o in listed] == [mine["id"]]
    assert_problem(caller.get(f"/api/v1/organisations/{other['id']}"), 404)


def test_restricting_a_key_to_an_unknown_organisation_is_422_on_that_field(client):
    unknown = "0b6c3f5e-2a41-4d0b-9a57-6f1f3c2d9e10"

    body = assert_problem(
        client.post(KEYS, {"name": "HR", "role": "integration", "organisation_id": unknown}), 422
    )

    assert body["errors"] == {"organisation_id": ["No organisation with this id here."]}
    assert len(client.ok("GET", KEYS)) == 1  # only the workspace's first admin key


def test_restricting_a_key_to_another_workspaces_organisation_looks_like_an_unknown_one(
    client, other_workspace
):
    theirs = builders.organisation(other_workspace.admin)

    body = assert_problem(
        client.post(KEYS, {"name": "HR", "role": "viewer", "organisation_id": theirs["id"]}), 422
    )

    assert body["errors"] == {"organisation_id": ["No organisation with this id here."]}


def test_revoking_a_key_answers_204_and_the_key_is_refused_at_once(client, app):
    key = builders.api_key(client)
    caller = as_caller(app, key["secret"])
    assert caller.get("/api/v1/organisations").status_code == 200  # now remembered as valid

    assert client.delete(f"{KEYS}/{key['id']}").status_code == 204

    assert_problem(caller.get("/api/v1/organisations"), 401)


def test_revoked_keys_stay_listed_with_the_time_of_revocation(client):
    key = builders.api_key(client)
    client.ok("DELETE", f"{KEYS}/{key['id']}")

    listed = {k["id"]: k for k in client.ok("GET", KEYS)}
    shown = client.ok("GET", f"{KEYS}/{key['id']}")

    assert listed[key["id"]]["active"] is False
    assert listed[key["id"]]["revoked_at"] is not None
    assert shown["revoked_at"] == listed[key["id"]]["revoked_at"]


def test_a_key_that_is_still_active_has_no_revocation_time(client):
    key = builders.api_key(client)

    shown = client.ok("GET", f"{KEYS}/{key['id']}")

    assert (shown["active"], shown["revoked_at"]) == (True, None)


def test_revoking_with_an_outdated_if_match_is_refused_and_the_key_keeps_working(client, app):
    key = builders.api_key(client)

    assert_problem(client.delete(f"{KEYS}/{key['id']}", headers={"If-Match": '"v9"'}), 412)

    assert as_caller(app, key["secret"]).get("/api/v1/organisations").status_code == 200


def test_revoking_a_revoked_key_again_changes_nothing(client):
    key = builders.api_key(client)
    client.ok("DELETE", f"{KEYS}/{key['id']}")
    revoked = client.ok("GET", f"{KEYS}/{key['id']}")

    client.ok("DELETE", f"{KEYS}/{key['id']}")

    assert client.ok("GET", f"{KEYS}/{key['id']}") == revoked


def test_a_revoked_key_stays_listed_after_its_organisation_is_deleted(client):
    organisation = builders.organisation(client)
    key = builders.api_key(client, role="viewer", organisation_id=organisation["id"])
    client.ok("DELETE", f"{KEYS}/{key['id']}")

    client.ok("DELETE", f"/api/v1/organisations/{organisation['id']}")

    assert client.ok("GET", f"{KEYS}/{key['id']}")["revoked_at"] is not None
