"""OD projects: created with a team of their organisation, listed, changed and deleted."""

from uuid import UUID

from sqlalchemy import func, select

from repositories import tables
from tests import builders
from tests.client import assert_problem

PROJECTS = "/api/v1/projects"


def test_a_new_project_answers_201_and_starts_in_the_intake(client):
    organisation = builders.organisation(client)
    team = builders.team(client, organisation["id"])

    response = client.post(
        PROJECTS,
        {"name": "Samen sterker", "organisation_id": organisation["id"], "team_id": team["id"]},
    )

    assert response.status_code == 201
    made = response.get_json()
    assert UUID(made["id"])
    assert (made["name"], made["organisation_id"], made["team_id"], made["phase"]) == (
        "Samen sterker",
        organisation["id"],
        team["id"],
        "intake",
    )
    assert response.headers["ETag"] == f'"v{made["version"]}"'
    assert client.ok("GET", response.headers["Location"]) == made


def test_the_team_of_a_project_must_belong_to_its_organisation(client):
    organisation = builders.organisation(client)
    foreign_team = builders.team(client, builders.organisation(client)["id"])

    refused = assert_problem(
        client.post(
            PROJECTS,
            {"name": "P", "organisation_id": organisation["id"], "team_id": foreign_team["id"]},
        ),
        422,
    )

    assert list(refused["errors"]) == ["team_id"]
    assert client.ok("GET", PROJECTS) == []


def test_an_unknown_organisation_is_refused_on_organisation_id(client):
    team = builders.team(client, builders.organisation(client)["id"])
    unknown = "0b6c3f5e-2a41-4d0b-9a57-6f1f3c2d9e10"

    refused = assert_problem(
        client.post(PROJECTS, {"name": "P", "organisation_id": unknown, "team_id": team["id"]}),
        422,
    )

    assert list(refused["errors"]) == ["organisation_id"]


def test_the_phase_cannot_be_patched(client):
    project = builders.project(client)

    refused = assert_problem(client.patch(f"{PROJECTS}/{project['id']}", {"phase": "closed"}), 422)

    assert "phase" in refused["errors"]
    assert client.ok("GET", f"{PROJECTS}/{project['id']}")["phase"] == "intake"


def test_the_phase_cannot_be_set_at_creation(client):
    organisation = builders.organisation(client)
    team = builders.team(client, organisation["id"])
    body = {"name": "P", "organisation_id": organisation["id"], "team_id": team["id"]}

    refused = assert_problem(client.post(PROJECTS, {**body, "phase": "development"}), 422)

    assert "phase" in refused["errors"]


def test_name_and_description_can_be_patched(client):
    project = builders.project(client)

    changed = client.ok(
        "PATCH", f"{PROJECTS}/{project['id']}", {"name": "Renamed", "description": "Six services."}
    )

    assert (changed["name"], changed["description"]) == ("Renamed", "Six services.")
    assert changed["version"] == project["version"] + 1


def test_projects_can_be_filtered_by_organisation(client):
    organisation = builders.organisation(client)
    ours = builders.project(client, organisation["id"])
    builders.project(client)

    listed = client.ok("GET", PROJECTS, query_string={"organisation_id": organisation["id"]})

    assert [p["id"] for p in listed] == [ours["id"]]


def test_projects_can_be_filtered_by_phase(client):
    moved, _ = builders.project_in(client, "service_definition")
    builders.project(client)

    listed = client.ok("GET", PROJECTS, query_string={"phase": "service_definition"})

    assert [p["id"] for p in listed] == [moved["id"]]


def test_an_unknown_phase_filter_is_refused(client):
    assert_problem(client.get(PROJECTS, query_string={"phase": "finished"}), 422)


def test_deleting_a_project_deletes_its_intake_and_history(client, engine):
    project, _ = builders.project_in(client, "service_definition")
    client.ok(
        "POST",
        f"{PROJECTS}/{project['id']}/intake/grievances",
        {"text": "Nobody listens.", "anonymous": True},
    )

    client.ok("DELETE", f"{PROJECTS}/{project['id']}")

    assert_problem(client.get(f"{PROJECTS}/{project['id']}"), 404)
    assert_problem(client.get(f"{PROJECTS}/{project['id']}/intake"), 404)
    intake_tables = [
        tables.findings,
        tables.grievances,
        tables.readiness_ratings,
        tables.intake_conclusions,
        tables.participants,
        tables.phase_transitions,
    ]
    with engine.connect() as connection:
        left = {
            t.name: connection.scalar(
                select(func.count()).select_from(t).where(t.c.project_id == UUID(project["id"]))
            )
            for t in intake_tables
        }
    assert left == dict.fromkeys(left, 0)
