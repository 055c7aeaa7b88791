"""The collective intake: findings, grievances, readiness and the conclusion."""

from uuid import UUID

from sqlalchemy import MetaData, Table, select

from tests import builders
from tests.client import assert_problem

# Every column a grievance row has; none of them but participant_id names an author.
GRIEVANCE_COLUMNS = {
    "id",
    "workspace_id",
    "version",
    "created_at",
    "updated_at",
    "project_id",
    "text",
    "anonymous",
    "participant_id",
}


def intake(project) -> str:
    return f"/api/v1/projects/{project['id']}/intake"


def rating(desire, energy, feasibility) -> dict:
    return {"desire": desire, "energy": energy, "feasibility": feasibility}


# --- findings ------------------------------------------------------------------------


def test_a_finding_is_recorded_and_read_back(client):
    project = builders.project(client)

    response = client.post(f"{intake(project)}/findings", {"text": "Nobody shares knowledge."})

    assert response.status_code == 201
    made = response.get_json()
    assert (made["project_id"], made["text"]) == (project["id"], "Nobody shares knowledge.")
    assert client.ok("GET", response.headers["Location"]) == made
    assert client.ok("GET", f"{intake(project)}/findings") == [made]


def test_a_finding_can_be_reworded(client):
    project = builders.project(client)
    made = client.ok("POST", f"{intake(project)}/findings", {"text": "Draft"})
    path = f"{intake(project)}/findings/{made['id']}"

    changed = client.ok("PATCH", path, {"text": "Conflicts go unaddressed."})

    assert changed["text"] == "Conflicts go unaddressed."
    assert changed["version"] == made["version"] + 1
    assert client.ok("GET", path)["text"] == "Conflicts go unaddressed."


def test_a_deleted_finding_is_gone(client):
    project = builders.project(client)
    made = client.ok("POST", f"{intake(project)}/findings", {"text": "Soon gone"})
    path = f"{intake(project)}/findings/{made['id']}"

    client.ok("DELETE", path)

    assert_problem(client.get(path), 404)
    assert client.ok("GET", f"{intake(project)}/findings") == []


def test_a_blank_finding_is_refused(client):
    project = builders.project(client)

    refused = assert_problem(client.post(f"{intake(project)}/findings", {"text": "  "}), 422)

    assert "text" in refused["errors"]


# --- grievances ----------------------------------------------------------------------


def test_an_anonymous_grievance_leaves_no_author_in_its_row(client, engine):
    project = builders.project(client)
    participants = [builders.participant(client, project) for _ in range(2)]

    made = client.ok(
        "POST",
        f"{intake(project)}/grievances",
        {"text": "Conflicts are never addressed.", "anonymous": True},
    )

    assert (made["anonymous"], made["participant_id"]) == (True, None)
    grievances = Table("grievances", MetaData(), autoload_with=engine)
    assert {c.name for c in grievances.columns} == GRIEVANCE_COLUMNS
    with engine.connect() as connection:
        row = connection.execute(
            select(grievances).where(grievances.c.id == UUID(made["id"]))
        ).one()
    assert row.participant_id is None
    traces = {UUID(p[key]) for p in participants for key in ("id", "person_id")}
    assert not traces & {value for value in row if isinstance(value, UUID)}


def test_a_signed_grievance_names_its_participant(client):
    project = builders.project(client)
    author = builders.participant(client, project)

    made = client.ok(
        "POST",
        f"{intake(project)}/grievances",
        {"text": "I am never asked.", "participant_id": author["id"]},
    )

    assert (made["anonymous"], made["participant_id"]) == (False, author["id"])


def test_a_signed_grievance_needs_a_participant_of_the_project(client):
    project = builders.project(client)
    stranger = builders.participant(client, builders.project(client))

    refused = assert_problem(
        client.post(
            f"{intake(project)}/grievances",
            {"text": "Not mine to air.", "participant_id": stranger["id"]},
        ),
        422,
    )

    assert list(refused["errors"]) == ["participant_id"]
    assert client.ok("GET", f"{intake(project)}/grievances") == []


def test_a_signed_grievance_without_participant_is_refused(client):
    project = builders.project(client)

    refused = assert_problem(
        client.post(f"{intake(project)}/grievances", {"text": "Who said this?"}), 422
    )

    assert list(refused["errors"]) == ["participant_id"]


def test_an_anonymous_grievance_naming_a_participant_is_refused(client):
    project = builders.project(client)
    author = builders.participant(client, project)

    refused = assert_problem(
        client.post(
            f"{intake(project)}/grievances",
            {"text": "Anonymous, but…", "anonymous": True, "participant_id": author["id"]},
        ),
        422,
    )

    assert list(refused["errors"]) == ["participant_id"]
    assert client.ok("GET", f"{intake(project)}/grievances") == []


def test_the_anonymity_of_a_grievance_cannot_be_patched(client):
    project = builders.project(client)
    made = client.ok(
        "POST", f"{intake(project)}/grievances", {"text": "Never heard.", "anonymous": True}
    )

    refused = assert_problem(
        client.patch(
            f"{intake(project)}/grievances/{made['id']}", {"text": "x", "anonymous": False}
        ),
        422,
    )

    assert "anonymous" in refused["errors"]


# --- readiness -----------------------------------------------------------------------


def test_a_first_rating_is_created_and_a_second_replaces_it(client):
    project = builders.project(client)
    member = builders.participant(client, project)
    path = f"{intake(project)}/readiness/{member['id']}"

    first = client.ok("PUT", path, rating(4, 3, 4), status=201)
    second = client.ok("PUT", path, rating(2, 2, 5), status=200)

    assert second["id"] == first["id"]
    assert (second["desire"], second["energy"], second["feasibility"]) == (2, 2, 5)
    assert client.ok("GET", path) == second


def test_scores_outside_one_to_five_are_refused(client):
    project = builders.project(client)
    member = builders.participant(client, project)
    path = f"{intake(project)}/readiness/{member['id']}"

    refused = assert_problem(client.put(path, rating(0, 6, 3)), 422)

    assert set(refused["errors"]) == {"desire", "energy"}
    assert_problem(client.get(path), 404)


def test_the_summary_has_count_mean_and_median_per_dimension(client):
    project = builders.project(client)
    scores = [rating(5, 1, 2), rating(2, 3, 4), rating(4, 3, 3)]
    for score in scores:
        member = builders.participant(client, project)
        client.ok("PUT", f"{intake(project)}/readiness/{member['id']}", score, status=201)

    summary = client.ok("GET", f"{intake(project)}/readiness")

    # desire 5, 2, 4: mean 11/3, median 4; energy 1, 3, 3: 7/3 and 3; feasibility 2, 4, 3: 3 and 3
    assert summary["desire"] == {"count": 3, "mean": 3.67, "median": 4.0, "withheld": None}
    assert summary["energy"] == {"count": 3, "mean": 2.33, "median": 3.0, "withheld": None}
    assert summary["feasibility"] == {"count": 3, "mean": 3.0, "median": 3.0, "withheld": None}


def test_members_rated_counts_only_participants_with_the_member_role(client):
    project = builders.project(client)
    member = builders.participant(client, project, roles=("member",))
    builders.participant(client, project, roles=("member", "senior"))
    manager = builders.participant(client, project, roles=("manager",))
    for who in (member, manager):
        client.ok("PUT", f"{intake(project)}/readiness/{who['id']}", rating(3, 3, 3), status=201)

    summary = client.ok("GET", f"{intake(project)}/readiness")

    assert (summary["members_total"], summary["members_rated"]) == (2, 1)
    assert summary["enough_members_rated"] is True


# --- the whole intake ----------------------------------------------------------------


def test_the_intake_shows_everything_recorded_and_what_is_still_unmet(client):
    project = builders.project(client)
    member = builders.participant(client, project)
    finding = client.ok("POST", f"{intake(project)}/findings", {"text": "Nobody shares."})
    grievance = client.ok(
        "POST", f"{intake(project)}/grievances", {"text": "No feedback.", "anonymous": True}
    )
    client.ok("PUT", f"{intake(project)}/readiness/{member['id']}", rating(4, 4, 4), status=201)
    conclusion = client.ok("PUT", f"{intake(project)}/conclusion", {"ready": False, "text": "No."})

    shown = client.ok("GET", intake(project))

    assert shown["findings"] == [finding]
    assert shown["grievances"] == [grievance]
    assert (shown["readiness"]["members_rated"], shown["readiness"]["desire"]["count"]) == (1, 1)
    assert shown["conclusion"] == conclusion
    assert [u["code"] for u in shown["unmet"]] == ["team_not_ready"]


def test_an_empty_intake_has_no_conclusion_and_every_condition_unmet(client):
    project = builders.project(client)

    shown = client.ok("GET", intake(project))

    assert (shown["findings"], shown["grievances"], shown["conclusion"]) == ([], [], None)
    assert [u["code"] for u in shown["unmet"]] == ["no_findings", "no_members", "no_conclusion"]
