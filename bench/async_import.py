"""A large import as a job against the same import answered at once (issue 18).

The same NDJSON file of people goes into a fresh database twice: once through
``POST /imports`` answered when done (the synchronous import, in this process), once
with ``Prefer: respond-async``, timed from the submission to the first poll that sees
``succeeded`` (the job runs on a real Celery worker process, started and warmed up with
a small job beforehand, so its start-up is not counted). Polled every 0.2 s, as a client
would, which adds at most that much. The ratio is the job's seconds over the request's;
target ≤ 1.2: storing the body and handing it over may cost, the import itself not.

    .venv/bin/python -m bench.async_import [--rows N] [--postgres URL]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.fixtures import Api, Target, Team, fresh_database, make_app

NDJSON = "application/x-ndjson"
POLL_SECONDS = 0.2


def _people(rows: int, prefix: str = "A") -> bytes:
    return "".join(
        json.dumps({"external_id": f"{prefix}-{n}", "name": f"Person {n}", "active": True}) + "\n"
        for n in range(rows)
    ).encode()


@contextmanager
def _worker(database_url: str, broker_url: str, tmp: Path) -> Iterator[subprocess.Popen]:
    env = {**os.environ, "DATABASE_URL": database_url, "CELERY_BROKER_URL": broker_url}
    command = [sys.executable, "-m", "celery", "--app", "worker.app", "worker", "--beat"]
    command += ["--pool", "solo", "--loglevel", "warning", "--schedule", str(tmp / "beat")]
    worker = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        yield worker
    finally:
        worker.terminate()
        worker.communicate(timeout=60)


def _submit(api: Api, organisation_id: str, body: bytes, prefer: bool) -> Any:
    headers = {"Prefer": "respond-async"} if prefer else {}
    response = api.request(
        "POST",
        f"/api/v1/imports?kind=people&organisation_id={organisation_id}",
        data=body,
        content_type=NDJSON,
        headers=headers,
    )
    if response.status_code != (202 if prefer else 201):
        raise AssertionError(f"{response.status_code} {response.get_data(as_text=True)[:500]}")
    return response.get_json()


def _until_done(api: Api, job_id: str, worker: subprocess.Popen, timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen = api.ok("GET", f"/api/v1/imports/{job_id}")
        if seen["status"] in ("succeeded", "failed"):
            return seen
        if worker.poll() is not None:
            raise AssertionError(f"the worker stopped: {worker.stderr.read().decode()[-1000:]}")
        time.sleep(POLL_SECONDS)
    raise AssertionError(f"job {job_id} not done in {timeout:.0f} s")


def synchronous(target: Target, rows: int) -> float:
    body = _people(rows)
    with fresh_database(target) as url:
        app = make_app(url, target.tmp / "sync-instance", import_async_bytes=len(body) + 1)
        try:
            api = Api(app)
            organisation = Team.make(api).organisation_id
            started = time.perf_counter()
            report = _submit(api, organisation, body, prefer=False)
            seconds = time.perf_counter() - started
        finally:
            app.extensions["od"].engine.dispose()
    assert report["counts"]["people"]["created"] == rows, report["counts"]
    return seconds


def as_job(target: Target, rows: int) -> dict[str, Any]:
    body = _people(rows)
    broker = f"sqla+sqlite:///{target.tmp / 'async-broker.sqlite3'}"
    with fresh_database(target) as url:
        app = make_app(url, target.tmp / "async-instance", celery_broker_url=broker)
        try:
            api = Api(app)
            organisation = Team.make(api).organisation_id
            with _worker(url, broker, target.tmp) as worker:
                warm = _submit(api, organisation, _people(10, "W"), prefer=True)
                _until_done(api, warm["id"], worker, 120)
                started = time.perf_counter()
                job = _submit(api, organisation, body, prefer=True)
                accepted = time.perf_counter() - started
                done = _until_done(api, job["id"], worker, 1800)
                seconds = time.perf_counter() - started
        finally:
            app.extensions["od"].engine.dispose()
    if done["status"] != "succeeded":
        raise AssertionError(f"the job failed: {done['problem']}")
    assert done["counts"]["people"]["created"] == rows, done["counts"]
    return {"seconds": seconds, "accepted_seconds": accepted}


def async_import(target: Target, rows: int, repeats: int = 1) -> dict[str, Any]:
    """The best of ``repeats`` of each, interleaved."""
    sync_runs, job_runs = [], []
    for _ in range(repeats):
        sync_runs.append(synchronous(target, rows))
        job_runs.append(as_job(target, rows))
    best = min(job_runs, key=lambda r: r["seconds"])
    return {
        "rows": rows,
        "synchronous_seconds": round(min(sync_runs), 2),
        "job_seconds": round(best["seconds"], 2),
        "accepted_after_seconds": round(best["accepted_seconds"], 3),
        "runs_seconds": {
            "synchronous": [round(s, 2) for s in sync_runs],
            "job": [round(r["seconds"], 2) for r in job_runs],
        },
        "ratio": best["seconds"] / min(sync_runs),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--postgres", default=None, help="a PostgreSQL URL (default: SQLite)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="od-bench-") as tmp:
        label = "postgresql" if args.postgres else "sqlite"
        target = Target(label, args.postgres, Path(tmp) / label)
        target.tmp.mkdir(parents=True)
        raw = async_import(target, args.rows, args.repeats)
    print(json.dumps({"database": label, **raw}, indent=2))
    return 0 if raw["ratio"] <= 1.2 else 1


if __name__ == "__main__":
    sys.exit(main())
