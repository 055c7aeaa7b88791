"""A worker killed in the middle of an import leaves nothing of it behind (quality.md,
"partial writes"): the import runs in one transaction, which dies with the worker.

Served by gunicorn with one worker: a large NDJSON file of people is uploaded, the
worker is killed (SIGKILL, no chance to clean up) once the file has arrived and the
import is under way, gunicorn starts a new worker, and the organisation must hold no one.
The same file is then imported whole, to show how long the import ran when it was cut.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
import urllib.error
import urllib.request
from typing import Any

from bench import serve
from bench.fixtures import API_KEY, Api, Target, fresh_database, make_app, server_env


def _upload(url: str, body: bytes, outcome: dict[str, Any]) -> None:
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/x-ndjson"},
    )
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            outcome["status"] = response.status
    except urllib.error.HTTPError as error:
        outcome["status"] = error.code
    except OSError as error:  # the worker died with the connection open
        outcome["error"] = type(error).__name__


def _served_again(server: serve.Server, timeout: float = 60) -> None:
    """gunicorn has replaced the killed worker and answers again."""
    deadline = time.monotonic() + timeout
    last: OSError | None = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{server.url}/health", timeout=5):
                return
        except OSError as error:
            last = error
            time.sleep(0.2)
    raise serve.BenchError(
        f"gunicorn did not answer {timeout:.0f} s after its worker was killed "
        f"(workers now: {server.worker_pids()}, last attempt: {last!r})"
    )


def killed_import(target: Target, people: int, kill_after: float) -> dict[str, Any]:
    """Rows left behind by a killed import (must be 0), with the timings that show it was
    cut mid-way."""
    with fresh_database(target) as url:
        app = make_app(url, target.tmp / "killed-instance")
        api = Api(app)
        organisation = api.ok("POST", "/api/v1/organisations", {"name": "Killed import"})
        people_path = f"/api/v1/organisations/{organisation['id']}/people"
        body = "".join(
            json.dumps({"external_id": f"K-{n}", "name": f"Person {n}"}) + "\n"
            for n in range(people)
        ).encode()
        with serve.gunicorn("wsgi:app", server_env(url), workers=1) as server:
            endpoint = (
                f"{server.url}/api/v1/imports?kind=people&organisation_id={organisation['id']}"
            )
            (worker,) = server.worker_pids()
            outcome: dict[str, Any] = {}
            upload = threading.Thread(target=_upload, args=(endpoint, body, outcome))
            started = time.monotonic()
            upload.start()
            time.sleep(kill_after)
            os.kill(worker, signal.SIGKILL)
            killed_at = time.monotonic() - started
            upload.join()
            _served_again(server)
            listed = api.request("GET", f"{people_path}?page_size=1")
            left_total = json.loads(listed.headers["X-Pagination"])["total"]
            again = time.monotonic()
            whole: dict[str, Any] = {}
            _upload(endpoint, body, whole)
            whole_seconds = time.monotonic() - again
        return {
            "rows_left_behind": left_total,
            "killed_after_s": round(killed_at, 2),
            "cut_request": outcome,
            "whole_import_s": round(whole_seconds, 2),
            "whole_import_status": whole.get("status"),
            "people": people,
        }
