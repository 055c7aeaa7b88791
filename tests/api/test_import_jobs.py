"""Imports as jobs: ``Prefer: respond-async`` (or a large body) answers 202 at once, the
worker applies the file all or nothing, and the import is followed at its Location:
status, progress, then the report, its items paged; a killed worker leaves nothing."""

from __future__ import annotations

import dataclasses
import json
import time
from datetime import timedelta
from uuid import UUID

import pytest
from sqlalchemy import func, select

from domain.base import utcnow
from repositories import tables as t
from tests import builders
from tests.client import assert_problem
from tests.workers import Worker, celery_worker
from worker import imports as jobs

IMPORTS = "/api/v1/imports"
NDJSON = "application/x-ndjson"
ASYNC = {"Prefer": "respond-async"}


def people_file(count: int, start: int = 0, **values) -> bytes:
    return "".join(
        json.dumps({"external_id": f"J-{n}", "name": f"Person {n}", **values}) + "\n"
        for n in range(start, start + count)
    ).encode()


def submit(api, organisation, body: bytes, headers=ASYNC, **query):
    return api.post(
        IMPORTS,
        data=body,
        headers={"Content-Type": NDJSON, **headers},
        query_string={"kind": "people", "organisation_id": organisation["id"], **query},
    )


def people_count(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(t.people)).scalar_one()


@pytest.fixture
def organisation(client):
    return builders.organisation(client)


def test_respond_async_answers_202_and_the_worker_applies_the_file(client, engine, organisation):
    response = submit(client, organisation, people_file(5))

    assert response.status_code == 202, response.get_json()
    assert response.headers["Preference-Applied"] == "respond-async"
    location = response.headers["Location"]
    queued = response.get_json()
    assert location.endswith(f"{IMPORTS}/{queued['id']}")
    assert (queued["status"], queued["rows_read"], queued["percent"]) == ("queued", 0, 0)
    assert (queued["kind"], queued["format"], queued["items"]) == ("people", "ndjson", [])
    waiting = client.get(location)
    assert (waiting.get_json()["status"], waiting.headers["Retry-After"]) == ("queued", "2")
    assert people_count(engine) == 0

    assert jobs.run(engine, queued["id"]) == jobs.JobStatus.SUCCEEDED

    done = client.get(location)
    assert "Retry-After" not in done.headers
    job = done.get_json()
    assert job["status"] == "succeeded"
    assert (job["rows_read"], job["rows_applied"], job["percent"]) == (5, 5, 100)
    assert job["counts"] == {"people": {"created": 5, "updated": 0, "unchanged": 0}}
    assert (job["items"], job["problem"], job["encoding"]) == ([], None, "utf-8")
    assert people_count(engine) == 5
    with engine.connect() as connection:  # the body is not kept once applied
        assert connection.execute(select(func.count()).select_from(t.import_uploads)).scalar() == 0


def test_the_items_of_a_job_are_paged(client, engine, organisation):
    job = submit(client, organisation, people_file(5)).get_json()
    items = f"{IMPORTS}/{job['id']}/items"
    assert client.ok("GET", items) == []  # nothing applied yet

    jobs.run(engine, job["id"])

    response = client.get(items, query_string={"page": 2, "page_size": 2})
    assert response.status_code == 200
    assert json.loads(response.headers["X-Pagination"])["total"] == 5
    assert 'rel="next"' in response.headers["Link"]
    assert response.get_json() == [
        {"index": 3, "kind": "people", "key": "J-2", "outcome": "created"},
        {"index": 4, "kind": "people", "key": "J-3", "outcome": "created"},
    ]


def test_a_synchronous_import_says_it_succeeded_and_pages_its_items_too(client, organisation):
    report = client.ok(
        "POST",
        IMPORTS,
        data=people_file(3),
        headers={"Content-Type": NDJSON},
        query_string={"kind": "people", "organisation_id": organisation["id"]},
    )
    assert (report["status"], report["rows_applied"], report["percent"]) == ("succeeded", 3, 100)
    assert len(report["items"]) == 3
    assert client.ok("GET", f"{IMPORTS}/{report['id']}") == report
    assert len(client.ok("GET", f"{IMPORTS}/{report['id']}/items")) == 3


def test_a_body_above_the_threshold_runs_as_a_job_unasked(app, client, organisation, monkeypatch):
    state = app.extensions["od"]
    lower = dataclasses.replace(state.settings, import_async_bytes=100)
    monkeypatch.setattr(state, "settings", lower)

    small = submit(client, organisation, people_file(1), headers={})
    large = submit(client, organisation, people_file(10, start=1), headers={})

    assert small.status_code == 201
    assert large.status_code == 202
    assert large.headers["Preference-Applied"] == "respond-async"


def test_a_bad_file_fails_the_job_with_the_problem_the_request_would_answer(
    client, engine, organisation
):
    body = people_file(3) + b'{"external_id": "J-9", "name": "X", "email": "not-an-address"}\n'
    job = submit(client, organisation, body).get_json()

    assert jobs.run(engine, job["id"]) == jobs.JobStatus.FAILED

    failed = client.ok("GET", f"{IMPORTS}/{job['id']}")
    assert failed["status"] == "failed"
    problem = failed["problem"]
    assert (problem["status"], problem["type"]) == (422, "urn:od:problem:rule-violation")
    assert list(problem["errors"]) == ["line 4: email"]
    assert problem["violations"][0]["location"] == "line 4"
    assert failed["counts"] == {}
    assert people_count(engine) == 0  # all or nothing: the three good rows are not kept
    assert client.ok("GET", f"{IMPORTS}/{job['id']}/items") == []
    dutch = client.ok("GET", f"{IMPORTS}/{job['id']}", headers={"Accept-Language": "nl"})
    assert dutch["problem"]["detail"].startswith("Er is niets geïmporteerd")


def test_a_target_that_is_not_there_is_told_at_once(client, engine):
    missing = {"id": "00000000-0000-4000-8000-000000000000"}
    assert_problem(submit(client, missing, people_file(1)), 404)
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(t.import_jobs)).scalar() == 0


def test_a_job_runs_once_however_often_its_message_arrives(client, engine, organisation):
    job = submit(client, organisation, people_file(3)).get_json()

    assert jobs.run(engine, job["id"]) == jobs.JobStatus.SUCCEEDED
    assert jobs.run(engine, job["id"]) is None
    assert jobs.resume(engine, timedelta(seconds=0)) == []
    assert client.ok("GET", f"{IMPORTS}/{job['id']}")["counts"]["people"]["created"] == 3


def test_a_job_announces_import_completed_once_applied(client, engine, organisation):
    job = submit(client, organisation, people_file(2)).get_json()
    feed = {"types": "import.completed,person.created"}
    assert client.ok("GET", "/api/v1/changes", query_string=feed)["changes"] == []

    jobs.run(engine, job["id"])

    changes = client.ok("GET", "/api/v1/changes", query_string=feed)["changes"]
    assert [(c["type"], c["entity_id"]) for c in changes] == [("import.completed", job["id"])]


def test_another_organisations_key_does_not_see_the_job(workspace, client, engine, organisation):
    job = submit(client, organisation, people_file(1)).get_json()
    elsewhere = builders.organisation(client, "Elsewhere")
    restricted = workspace.client("integration", organisation_id=UUID(elsewhere["id"]))

    assert_problem(restricted.get(f"{IMPORTS}/{job['id']}"), 404)
    assert_problem(restricted.get(f"{IMPORTS}/{job['id']}/items"), 404)


def test_a_job_whose_worker_keeps_dying_fails_after_three_attempts(client, engine, organisation):
    job = submit(client, organisation, people_file(1)).get_json()
    long_ago = utcnow() - timedelta(minutes=5)
    with engine.begin() as connection:  # three workers took it and died
        connection.execute(
            t.import_jobs.update().values(
                status="running", attempts=3, started_at=long_ago, enqueued_at=long_ago
            )
        )

    assert jobs.resume(engine, timedelta(seconds=1)) == [UUID(job["id"])]
    assert jobs.resume(engine, timedelta(seconds=1)) == []  # sent again once a lease
    assert jobs.run(engine, job["id"], lease=timedelta(seconds=1)) == jobs.JobStatus.FAILED

    failed = client.ok("GET", f"{IMPORTS}/{job['id']}")
    assert failed["status"] == "failed"
    assert failed["problem"]["type"] == "urn:od:problem:worker-lost"
    assert people_count(engine) == 0


def _env(database_url: str, broker_url: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "IMPORT_LEASE_SECONDS": "2",
        "WEBHOOK_POLL_SECONDS": "0.5",
    }


def _until(check, timeout: float, worker: Worker):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and worker.running():
        if found := check():
            return found
        time.sleep(0.1)
    return None


def test_a_worker_killed_mid_import_leaves_nothing_and_the_job_runs_again(
    app, client, engine, organisation, database_url, tmp_path
):
    """A real Celery worker takes the job, shows its progress, and is killed with SIGKILL
    mid-import: nothing of the file is kept and the job is still ``running``. A second
    worker's clock finds its heartbeat stopped and runs it again, to the end, once."""
    rows = 20_000
    broker = app.extensions["od"].settings.celery_broker_url
    job = submit(client, organisation, people_file(rows)).get_json()
    location = f"{IMPORTS}/{job['id']}"

    def under_way():
        seen = client.ok("GET", location)
        return seen if seen["status"] == "running" and seen["rows_applied"] >= 2000 else None

    with celery_worker(_env(database_url, broker), tmp_path / "beat-first") as worker:
        seen = _until(under_way, 120, worker)
        worker.kill()
        errors = worker.stop()
    assert seen is not None, errors[-2000:]
    assert 0 < seen["percent"] < 100
    assert seen["rows_read"] >= seen["rows_applied"]

    cut = client.ok("GET", location)
    assert cut["status"] == "running"
    assert cut["counts"] == {}
    assert people_count(engine) == 0  # the killed transaction kept nothing

    with celery_worker(_env(database_url, broker), tmp_path / "beat-second") as worker:
        done = _until(
            lambda: (j := client.ok("GET", location))["status"] in ("succeeded", "failed") and j,
            240,
            worker,
        )
        errors = worker.stop()
    assert done, errors[-2000:]
    assert done["status"] == "succeeded", done
    assert done["counts"]["people"] == {"created": rows, "updated": 0, "unchanged": 0}
    assert people_count(engine) == rows
    with engine.connect() as connection:
        attempts = connection.execute(select(t.import_jobs.c.attempts)).scalar_one()
    assert attempts == 2


def test_a_retried_submission_with_its_idempotency_key_is_one_job(client, engine, organisation):
    headers = {**ASYNC, "Idempotency-Key": "import-once"}
    first = submit(client, organisation, people_file(2), headers=headers)
    again = submit(client, organisation, people_file(2), headers=headers)

    assert (first.status_code, again.status_code) == (202, 202)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Location"] == first.headers["Location"]
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(t.import_jobs)).scalar() == 1


def test_a_dry_run_job_reports_and_writes_nothing(client, engine, organisation):
    job = submit(client, organisation, people_file(4), dry_run="true").get_json()

    assert jobs.run(engine, job["id"]) == jobs.JobStatus.SUCCEEDED

    done = client.ok("GET", f"{IMPORTS}/{job['id']}")
    assert (done["status"], done["dry_run"]) == ("succeeded", True)
    assert done["counts"]["people"]["created"] == 4
    assert people_count(engine) == 0


@pytest.mark.parametrize("path", ["", "/items?page_size=100"])
def test_reading_a_job_costs_the_same_few_statements_whatever_its_size(
    client, engine, organisation, count_statements, path
):
    counts = []
    for start, size in ((0, 10), (10, 200)):
        job = submit(client, organisation, people_file(size, start=start)).get_json()
        jobs.run(engine, job["id"])
        client.ok("GET", f"{IMPORTS}/{job['id']}{path}")  # warm-up
        with count_statements() as counter:
            client.ok("GET", f"{IMPORTS}/{job['id']}{path}")
        counts.append(counter.count)
    assert counts[0] == counts[1] <= 3, counts


def test_a_job_whose_message_was_lost_is_sent_again_once_a_lease(client, engine, organisation):
    job = submit(client, organisation, people_file(1)).get_json()
    assert jobs.resume(engine, timedelta(minutes=1)) == []  # just sent: not lost yet

    time.sleep(0.2)
    assert jobs.resume(engine, timedelta(seconds=0.1)) == [UUID(job["id"])]
    assert jobs.resume(engine, timedelta(minutes=1)) == []
