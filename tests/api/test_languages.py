"""Dutch and English: every text the platform writes is answered in the language the
request asks for (Accept-Language), else in the workspace's own, and says which."""

from __future__ import annotations

import uuid

from tests import builders
from tests.client import assert_problem

DUTCH = {"Accept-Language": "nl-NL,nl;q=0.9,en;q=0.5"}
ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}


def project_path(project) -> str:
    return f"/api/v1/projects/{project['id']}"


def test_a_404_is_in_english_by_default_and_in_dutch_when_asked(client):
    path = f"/api/v1/projects/{uuid.uuid4()}"

    english = client.get(path)
    dutch = client.get(path, headers=DUTCH)

    assert assert_problem(english, 404)["detail"].startswith("No project ")
    assert english.headers["Content-Language"] == "en"
    body = assert_problem(dutch, 404)
    assert (body["title"], body["detail"]) == (
        "Niet gevonden",
        f"Geen project {path[-36:]} gevonden.",
    )
    assert body["type"] == "urn:od:problem:not-found"  # codes stay as they are
    assert dutch.headers["Content-Language"] == "nl"
    assert "Accept-Language" in dutch.headers["Vary"]


def test_a_validation_problem_names_each_field_in_the_asked_language(client):
    wrong = {"name": "Team", "organisation_id": "not a uuid", "extra": 1}

    english = assert_problem(client.post("/api/v1/projects", wrong), 422)
    dutch = assert_problem(client.post("/api/v1/projects", wrong, headers=DUTCH), 422)

    assert english["errors"]["organisation_id"] == ["Not a valid UUID."]
    assert english["errors"]["extra"] == ["Unknown field."]
    assert dutch["detail"] == "Het verzoek is niet geldig: zie errors voor elk veld."
    assert dutch["errors"]["organisation_id"] == ["Geen geldige UUID."]
    assert dutch["errors"]["extra"] == ["Onbekend veld."]
    assert set(dutch["errors"]) == set(english["errors"])  # the keys are not translated


def test_a_problem_before_any_key_is_known_follows_the_request(app):
    response = app.test_client().get("/api/v1/projects", headers=DUTCH)

    body = assert_problem(response, 401)
    assert body["detail"].startswith("Stuur een geldige API-sleutel mee")
    assert response.headers["Content-Language"] == "nl"


def test_the_workspace_language_is_the_default_an_admin_sets(workspace):
    admin, viewer = workspace.admin, workspace.client("viewer")
    assert admin.ok("GET", "/api/v1/workspace")["language"] == "en"

    changed = admin.ok("PATCH", "/api/v1/workspace", {"language": "nl"})

    assert changed["language"] == "nl"
    missing = f"/api/v1/projects/{uuid.uuid4()}"
    unasked = viewer.get(missing)  # another key of the workspace: the same default
    assert unasked.headers["Content-Language"] == "nl"
    assert assert_problem(unasked, 404)["title"] == "Niet gevonden"
    asked = viewer.get(missing, headers=ENGLISH)  # the request's own language wins
    assert (asked.headers["Content-Language"], asked.get_json()["title"]) == ("en", "Not found")
    other = viewer.get(missing, headers={"Accept-Language": "fr"})  # neither: the default
    assert other.headers["Content-Language"] == "nl"
    assert builders.audit_trail(admin, entity_type="workspace")[0]["changed_fields"] == ["language"]


def test_only_a_language_of_the_catalogue_can_be_the_default(client):
    body = assert_problem(client.patch("/api/v1/workspace", {"language": "fr"}, headers=DUTCH), 422)

    assert body["errors"]["language"] == ["Moet een van deze waarden zijn: en, nl."]
    assert client.ok("GET", "/api/v1/workspace")["language"] == "en"


def test_every_answer_names_its_language(client):
    organisation = client.ok("POST", "/api/v1/organisations", {"name": "Gemeente"})
    answers = [
        client.get("/api/v1/organisations", headers=DUTCH),
        client.get(f"/api/v1/organisations/{organisation['id']}"),
        client.post("/api/v1/organisations", {"name": "Provincie"}, headers=DUTCH),
    ]

    assert [a.headers["Content-Language"] for a in answers] == ["nl", "en", "nl"]
    assert all("Accept-Language" in a.headers["Vary"] for a in answers)


def test_a_replayed_answer_keeps_the_language_it_was_written_in(client):
    key = {"Idempotency-Key": "org-1"}
    client.post("/api/v1/organisations", {"name": "Gemeente"}, headers={**key, **DUTCH})

    replay = client.post("/api/v1/organisations", {"name": "Gemeente"}, headers=key)

    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.headers["Content-Language"] == "nl"
