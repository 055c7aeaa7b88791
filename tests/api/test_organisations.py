"""Client organisations and their teams."""

import json
from uuid import UUID

from tests import builders
from tests.client import assert_problem

ORGANISATIONS = "/api/v1/organisations"


def test_creating_an_organisation_answers_201_with_location_and_etag(client):
    response = client.post(ORGANISATIONS, {"name": "Gemeente Utrecht"})

    assert response.status_code == 201
    body = response.get_json()
    assert body["name"] == "Gemeente Utrecht"
    assert response.headers["ETag"] == f'"v{body["version"]}"'
    assert client.ok("GET", response.headers["Location"]) == body


def test_organisations_are_listed_in_creation_order_with_a_total(client):
    first = builders.organisation(client, "Gemeente Utrecht")
    second = builders.organisation(client, "Provincie Gelderland")

    response = client.get(ORGANISATIONS)

    assert [o["id"] for o in response.get_json()] == [first["id"], second["id"]]
    assert json.loads(response.headers["X-Pagination"])["total"] == 2


def test_organisations_can_be_searched_by_part_of_the_name(client):
    utrecht = builders.organisation(client, "Gemeente Utrecht")
    builders.organisation(client, "Provincie Gelderland")

    found = client.ok("GET", ORGANISATIONS, query_string={"q": "utrECHT"})

    assert [o["id"] for o in found] == [utrecht["id"]]


def test_renaming_an_organisation_bumps_its_version(client):
    organisation = builders.organisation(client, "Gemeente Utrecht")

    renamed = client.ok(
        "PATCH", f"{ORGANISATIONS}/{organisation['id']}", {"name": "Gemeente Utrecht (SSC)"}
    )

    assert renamed["name"] == "Gemeente Utrecht (SSC)"
    assert renamed["version"] == organisation["version"] + 1
    assert client.ok("GET", f"{ORGANISATIONS}/{organisation['id']}")["name"] == renamed["name"]


def test_renaming_with_an_outdated_if_match_is_refused(client):
    organisation = builders.organisation(client, "Gemeente Utrecht")
    path = f"{ORGANISATIONS}/{organisation['id']}"
    client.ok("PATCH", path, {"name": "Gemeente Utrecht (SSC)"})

    assert_problem(client.patch(path, {"name": "Mine"}, headers={"If-Match": '"v1"'}), 412)

    assert client.ok("GET", path)["name"] == "Gemeente Utrecht (SSC)"


def test_deleting_an_empty_organisation_removes_it(client):
    organisation = builders.organisation(client)

    client.ok("DELETE", f"{ORGANISATIONS}/{organisation['id']}")

    assert_problem(client.get(f"{ORGANISATIONS}/{organisation['id']}"), 404)


def test_deleting_an_organisation_takes_its_teams_along(client):
    organisation = builders.organisation(client)
    team = builders.team(client, organisation["id"])

    client.ok("DELETE", f"{ORGANISATIONS}/{organisation['id']}")

    assert_problem(client.get(f"/api/v1/teams/{team['id']}"), 404)


def test_deleting_an_organisation_that_still_has_people_is_a_conflict(client):
    organisation = builders.organisation(client)
    someone = builders.person(client, organisation["id"])

    body = assert_problem(client.delete(f"{ORGANISATIONS}/{organisation['id']}"), 409)

    assert body["code"] == "in_use"
    assert "1 person" in body["detail"]
    assert client.ok("GET", f"/api/v1/people/{someone['id']}")["name"] == someone["name"]


def test_deleting_an_organisation_that_still_has_projects_is_a_conflict(client):
    project = builders.project(client)

    body = assert_problem(client.delete(f"{ORGANISATIONS}/{project['organisation_id']}"), 409)

    assert body["code"] == "in_use"
    assert "1 project" in body["detail"]
    client.ok("GET", f"/api/v1/projects/{project['id']}")


def test_a_restricted_key_cannot_create_organisations(workspace, client):
    organisation = builders.organisation(client)
    restricted = workspace.client("consultant", organisation_id=UUID(organisation["id"]))

    assert_problem(restricted.post(ORGANISATIONS, {"name": "Elsewhere"}), 403)

    assert len(client.ok("GET", ORGANISATIONS)) == 1


def test_a_restricted_key_cannot_delete_its_organisation(workspace, client):
    organisation = builders.organisation(client)
    restricted = workspace.client("consultant", organisation_id=UUID(organisation["id"]))

    assert_problem(restricted.delete(f"{ORGANISATIONS}/{organisation['id']}"), 403)

    client.ok("GET", f"{ORGANISATIONS}/{organisation['id']}")


def test_an_organisation_needs_a_name(client):
    body = assert_problem(client.post(ORGANISATIONS, {"name": "  "}), 422)

    assert "name" in body["errors"]


# --- teams ---------------------------------------------------------------------------


def test_creating_a_team_answers_201_and_it_is_listed_in_its_organisation(client):
    organisation = builders.organisation(client)
    path = f"{ORGANISATIONS}/{organisation['id']}/teams"

    response = client.post(path, {"name": "Ondersteunende afdeling"})

    assert response.status_code == 201
    team = response.get_json()
    assert team["organisation_id"] == organisation["id"]
    assert client.ok("GET", response.headers["Location"]) == team
    assert client.ok("GET", path) == [team]


def test_teams_of_another_organisation_are_not_listed(client):
    organisation, other = builders.organisation(client), builders.organisation(client)
    builders.team(client, other["id"])

    assert client.ok("GET", f"{ORGANISATIONS}/{organisation['id']}/teams") == []


def test_renaming_a_team(client):
    team = builders.team(client, builders.organisation(client)["id"], "Support")

    renamed = client.ok("PATCH", f"/api/v1/teams/{team['id']}", {"name": "Ondersteuning"})

    assert (renamed["name"], renamed["version"]) == ("Ondersteuning", 2)


def test_a_team_name_is_unique_within_its_organisation(client):
    organisation = builders.organisation(client)
    builders.team(client, organisation["id"], "Support")

    body = assert_problem(
        client.post(f"{ORGANISATIONS}/{organisation['id']}/teams", {"name": "Support"}), 422
    )

    assert "name" in body["errors"]
    assert len(client.ok("GET", f"{ORGANISATIONS}/{organisation['id']}/teams")) == 1


def test_renaming_a_team_to_a_name_taken_in_its_organisation_is_refused(client):
    organisation = builders.organisation(client)
    builders.team(client, organisation["id"], "Support")
    finance = builders.team(client, organisation["id"], "Finance")

    body = assert_problem(client.patch(f"/api/v1/teams/{finance['id']}", {"name": "Support"}), 422)

    assert "name" in body["errors"]


def test_two_organisations_may_each_have_a_team_of_the_same_name(client):
    first, second = builders.organisation(client), builders.organisation(client)
    builders.team(client, first["id"], "Support")

    assert builders.team(client, second["id"], "Support")["name"] == "Support"


def test_deleting_a_team_leaves_its_people_in_the_organisation_without_a_team(client):
    organisation = builders.organisation(client)
    team = builders.team(client, organisation["id"])
    someone = builders.person(client, organisation["id"], team_id=team["id"])

    client.ok("DELETE", f"/api/v1/teams/{team['id']}")

    assert_problem(client.get(f"/api/v1/teams/{team['id']}"), 404)
    after = client.ok("GET", f"/api/v1/people/{someone['id']}")
    assert (after["team_id"], after["name"], after["active"]) == (None, someone["name"], True)


def test_deleting_a_team_that_a_project_runs_with_is_a_conflict(client):
    project = builders.project(client)

    body = assert_problem(client.delete(f"/api/v1/teams/{project['team_id']}"), 409)

    assert body["code"] == "in_use"
    client.ok("GET", f"/api/v1/teams/{project['team_id']}")
