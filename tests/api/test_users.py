"""Users sign in through the workspace's OpenID provider (the real one the suite starts):
an admin invites an e-mail, the first token carrying it links the subject, and from then
on the token is the user; the audit trail names who acted."""

import pytest

from tests import builders
from tests.client import ApiClient, assert_problem


def test_an_invited_user_signs_in_and_is_linked_on_first_sign_in(app, workspace, oidc):
    consultant = workspace.user(oidc, "consultant", email="Jan@Example.nl")

    me = consultant.ok("GET", "/api/v1/users/me")

    assert me["email"] == "jan@example.nl"
    assert me["role"] == "consultant"
    assert me["actor_kind"] == "user"
    assert me["participations"] == []
    stored = workspace.admin.ok("GET", f"/api/v1/users/{consultant.user['id']}")
    assert stored["invited"] is False
    assert stored["signed_in_at"]


def test_a_token_whose_subject_is_no_user_is_401_saying_so(app, workspace, oidc):
    app.extensions["od"].tokens.trust(oidc.issuer("a"), workspace.id)
    stranger = ApiClient(app.test_client(), oidc.token(oidc.account("nobody@example.nl")))

    problem = assert_problem(stranger.get("/api/v1/organisations"), 401)

    assert "no user of this workspace" in problem["detail"]


def test_once_linked_another_subject_with_the_same_email_is_not_the_user(app, workspace, oidc):
    workspace.user(oidc, "consultant", email="jan@example.nl").ok("GET", "/api/v1/users/me")
    impostor = ApiClient(app.test_client(), oidc.token(oidc.account("jan@example.nl")))

    assert_problem(impostor.get("/api/v1/users/me"), 401)


def test_a_removed_user_is_refused_at_once(workspace, oidc):
    consultant = workspace.user(oidc, "consultant")
    consultant.ok("GET", "/api/v1/users/me")

    workspace.admin.ok("DELETE", f"/api/v1/users/{consultant.user['id']}")

    assert_problem(consultant.get("/api/v1/users/me"), 401)


def test_the_audit_trail_names_the_user_or_the_key_that_acted(workspace, oidc):
    consultant = workspace.user(oidc, "consultant")
    by_user = builders.organisation(consultant, name="Gemeente Zuid")
    by_key = builders.organisation(workspace.admin, name="Gemeente Noord")

    records = workspace.admin.ok(
        "GET", "/api/v1/audit", query_string={"entity_type": "organisation"}
    )
    actors = {r["entity_id"]: (r["actor_kind"], r["actor_id"]) for r in records}

    assert actors[by_user["id"]] == ("user", consultant.user["id"])
    assert actors[by_key["id"]] == ("api_key", str(workspace.admin_key_id))


def test_an_api_key_is_told_it_is_a_key(client):
    me = client.ok("GET", "/api/v1/users/me")

    assert (me["actor_kind"], me["role"], me["email"]) == ("api_key", "admin", None)


@pytest.mark.parametrize("role", ["participant", "mt_member"])
def test_a_user_acting_for_themselves_must_name_their_person(client, role):
    body = {"email": "a@example.nl", "display_name": "A", "role": role}

    problem = assert_problem(client.post("/api/v1/users", body), 422)

    assert "person_id" in str(problem)


def test_a_key_cannot_have_a_role_for_people(client):
    assert_problem(client.post("/api/v1/api-keys", {"name": "x", "role": "participant"}), 422)


def test_an_email_is_invited_once(client):
    body = {"email": "a@example.nl", "display_name": "A", "role": "viewer"}
    client.ok("POST", "/api/v1/users", body)

    assert_problem(client.post("/api/v1/users", {**body, "email": "A@example.nl"}), 409)
