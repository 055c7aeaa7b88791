"""Workbook exports as jobs: ``Prefer: respond-async`` answers 202 at once, the worker
renders the workbook in the requester's language and keeps it, and the job is followed
at its Location to its file; other workspaces and organisations see none of it."""

from __future__ import annotations

import time
from datetime import timedelta
from io import BytesIO
from uuid import UUID

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from domain.base import utcnow
from repositories import tables as t
from tests import builders
from tests.client import assert_problem
from tests.workers import celery_worker
from worker import exports as jobs
from worker import imports as import_jobs

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ASYNC = {"Prefer": "respond-async"}


@pytest.fixture
def project(client):
    return builders.project(client)


def ask(api, project, **headers):
    return api.get(f"/api/v1/projects/{project['id']}/export.xlsx", headers={**ASYNC, **headers})


def test_respond_async_answers_202_and_the_worker_renders_the_workbook(client, engine, project):
    response = ask(client, project)

    assert response.status_code == 202, response.get_json()
    assert response.headers["Preference-Applied"] == "respond-async"
    queued = response.get_json()
    location = response.headers["Location"]
    assert location.endswith(f"/api/v1/exports/{queued['id']}")
    assert (queued["status"], queued["file"], queued["project_id"]) == (
        "queued",
        None,
        project["id"],
    )
    waiting = client.get(location)
    assert (waiting.get_json()["status"], waiting.headers["Retry-After"]) == ("queued", "2")
    assert_problem(client.get(f"{location}/file"), 409)

    assert jobs.run(engine, queued["id"]) == jobs.JobStatus.SUCCEEDED

    done = client.get(location)
    assert "Retry-After" not in done.headers
    job = done.get_json()
    assert job["status"] == "succeeded"
    assert job["file"] == f"{location}/file"
    assert job["filename"] == f"{project['name'].replace(' ', '-')}.xlsx"
    download = client.get(job["file"])
    assert download.status_code == 200
    assert download.mimetype == XLSX
    assert download.headers["Content-Disposition"] == f'attachment; filename="{job["filename"]}"'
    assert len(download.get_data()) == job["file_bytes"]
    synchronous = client.get(f"/api/v1/projects/{project['id']}/export.xlsx")
    assert (
        load_workbook(BytesIO(download.get_data())).sheetnames
        == load_workbook(BytesIO(synchronous.get_data())).sheetnames
    )
    only_bytes = client.get(job["file"], headers={"Accept": "application/octet-stream"})
    assert only_bytes.mimetype == "application/octet-stream"


def test_the_workbook_is_in_the_language_it_was_asked_in(client, engine, project):
    job = ask(client, project, **{"Accept-Language": "nl"}).get_json()
    assert job["language"] == "nl"

    jobs.run(engine, job["id"])

    book = load_workbook(BytesIO(client.get(f"/api/v1/exports/{job['id']}/file").get_data()))
    dutch = client.get(
        f"/api/v1/projects/{project['id']}/export.xlsx", headers={"Accept-Language": "nl"}
    )
    assert book.sheetnames == load_workbook(BytesIO(dutch.get_data())).sheetnames
    assert book.sheetnames[0] == "Competentiematrix"
    assert book.worksheets[0]["A1"].value == "Medewerker"


def test_a_project_that_is_not_there_is_told_at_once(client, engine):
    assert_problem(ask(client, {"id": "00000000-0000-4000-8000-000000000000"}), 404)
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(t.export_jobs)).scalar() == 0


def test_a_project_deleted_before_the_worker_came_fails_the_job(client, engine, project):
    job = ask(client, project).get_json()
    client.ok("DELETE", f"/api/v1/projects/{project['id']}")

    assert jobs.run(engine, job["id"]) == jobs.JobStatus.FAILED

    failed = client.ok("GET", f"/api/v1/exports/{job['id']}")
    assert (failed["status"], failed["file"]) == ("failed", None)
    assert failed["problem"]["status"] == 404
    assert_problem(client.get(f"/api/v1/exports/{job['id']}/file"), 409)


def test_another_workspace_or_organisation_does_not_see_the_job(
    workspace, other_workspace, client, engine, project
):
    job = ask(client, project).get_json()
    jobs.run(engine, job["id"])
    elsewhere = builders.organisation(client, "Elsewhere")
    restricted = workspace.client("integration", organisation_id=UUID(elsewhere["id"]))
    own = workspace.client("integration", organisation_id=UUID(project["organisation_id"]))

    for stranger in (other_workspace.admin, restricted):
        assert_problem(stranger.get(f"/api/v1/exports/{job['id']}"), 404)
        assert_problem(stranger.get(f"/api/v1/exports/{job['id']}/file"), 404)
    assert own.ok("GET", f"/api/v1/exports/{job['id']}")["status"] == "succeeded"
    assert own.get(f"/api/v1/exports/{job['id']}/file").status_code == 200


def test_a_job_runs_once_however_often_its_message_arrives(client, engine, project):
    job = ask(client, project).get_json()

    assert jobs.run(engine, job["id"]) == jobs.JobStatus.SUCCEEDED
    assert jobs.run(engine, job["id"]) is None
    assert jobs.resume(engine, timedelta(seconds=0)) == []
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(t.export_files)).scalar() == 1


def test_a_job_whose_worker_keeps_dying_fails_after_three_attempts(client, engine, project):
    job = ask(client, project).get_json()
    long_ago = utcnow() - timedelta(minutes=5)
    with engine.begin() as connection:  # three workers took it and died
        connection.execute(
            t.export_jobs.update().values(
                status="running", attempts=3, started_at=long_ago, enqueued_at=long_ago
            )
        )

    assert jobs.resume(engine, timedelta(seconds=1)) == [UUID(job["id"])]
    assert jobs.resume(engine, timedelta(seconds=1)) == []  # sent again once a lease
    assert import_jobs.resume(engine, timedelta(seconds=1)) == []  # each kind its own jobs
    assert jobs.run(engine, job["id"], lease=timedelta(seconds=1)) == jobs.JobStatus.FAILED

    failed = client.ok("GET", f"/api/v1/exports/{job['id']}", headers={"Accept-Language": "nl"})
    assert failed["problem"]["type"] == "urn:od:problem:worker-lost"
    assert "export" in failed["problem"]["detail"]


def test_without_the_preference_the_workbook_is_answered_at_once(client, engine, project):
    response = client.get(f"/api/v1/projects/{project['id']}/export.xlsx")
    assert (response.status_code, response.mimetype) == (200, XLSX)
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(t.export_jobs)).scalar() == 0


def test_a_real_worker_renders_a_large_projects_workbook(
    app, client, engine, database_url, tmp_path
):
    """A real Celery worker (with its clock) takes the job from the broker and renders
    the workbook of a project with many participants; the file is the one the
    synchronous export answers."""
    project = builders.project(client)
    builders.many_participants(client, project, 60)
    broker = app.extensions["od"].settings.celery_broker_url
    job = ask(client, project).get_json()
    location = f"/api/v1/exports/{job['id']}"
    env = {
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker,
        "IMPORT_LEASE_SECONDS": "2",
        "WEBHOOK_POLL_SECONDS": "0.5",
    }
    with celery_worker(env, tmp_path / "beat") as worker:
        deadline = time.monotonic() + 120
        done = None
        while time.monotonic() < deadline and worker.running():
            seen = client.ok("GET", location)
            if seen["status"] in ("succeeded", "failed"):
                done = seen
                break
            time.sleep(0.2)
        errors = worker.stop()
    assert done is not None, errors[-2000:]
    assert done["status"] == "succeeded", done
    book = load_workbook(BytesIO(client.get(done["file"]).get_data()))
    expected = load_workbook(
        BytesIO(client.get(f"/api/v1/projects/{project['id']}/export.xlsx").get_data())
    )
    assert book["Matrix"].max_row == expected["Matrix"].max_row > 60


@pytest.mark.parametrize("path", ["", "/file"])
def test_reading_a_job_costs_the_same_few_statements_whatever_the_projects_size(
    client, engine, count_statements, path
):
    counts = []
    for participants in (1, 30):
        project = builders.project(client)
        builders.many_participants(client, project, participants, start=len(counts) * 100)
        job = ask(client, project).get_json()
        jobs.run(engine, job["id"])
        client.get(f"/api/v1/exports/{job['id']}{path}")  # warm-up
        with count_statements() as counter:
            assert client.get(f"/api/v1/exports/{job['id']}{path}").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1] <= 3, counts
