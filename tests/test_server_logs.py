"""gunicorn's own lines as the app writes its own: one JSON object per line on stderr, and
the request id wherever a line concerns a request (a worker timeout, an exception that
escaped the app), so an operator follows a failed call by the id its client saw."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.ports import free_port

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


class Server:
    def __init__(self, process: subprocess.Popen[bytes], url: str, stderr: Path) -> None:
        self.process, self.url, self.stderr = process, url, stderr

    def get(self, request_id: str, fault: str | None = None, timeout: float = 10) -> int:
        headers = {"X-Request-ID": request_id, **({"X-Test-Fault": fault} if fault else {})}
        try:
            with urllib.request.urlopen(
                urllib.request.Request(f"{self.url}/health", headers=headers), timeout=timeout
            ) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except (OSError, ConnectionError):
            return 0  # the connection broke off: the answer had begun

    def lines(self) -> list[dict]:
        """Every line on stderr, each of which must be a JSON object."""
        text = self.stderr.read_text()
        parsed = []
        for line in text.splitlines():
            try:
                parsed.append(json.loads(line))
            except ValueError:
                pytest.fail(f"not a JSON line on gunicorn's stderr: {line!r}\n{text}")
        return parsed

    def wait_for(self, predicate, timeout: float = 20) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [line for line in self.lines() if predicate(line)]
            if found:
                return found[0]
            time.sleep(0.1)
        pytest.fail(f"no such line within {timeout} s:\n{self.stderr.read_text()}")


@contextmanager
def gunicorn(tmp_path: Path, app: str, **env: str) -> Iterator[Server]:
    """``app`` served by gunicorn with the project's gunicorn.conf.py, one worker."""
    port = free_port()
    stderr = tmp_path / "stderr.log"
    full_env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'od.sqlite3'}",
        "SECRET_KEY": "a-secret-for-this-test-only",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "REDIS_URL": "",
        **env,
    }
    with stderr.open("wb") as sink:
        process = subprocess.Popen(
            [str(GUNICORN), "--config", "gunicorn.conf.py", "--no-control-socket", app],
            cwd=ROOT,
            env=full_env,
            stdout=subprocess.DEVNULL,
            stderr=sink,
        )
    server = Server(process, f"http://127.0.0.1:{port}", stderr)
    try:
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _up(server: Server) -> None:
    deadline = time.monotonic() + 30
    while server.get("warm-up") != 200:
        assert server.process.poll() is None, server.stderr.read_text()
        assert time.monotonic() < deadline, server.stderr.read_text()
        time.sleep(0.2)


def test_an_exception_escaping_the_app_is_one_json_line_with_the_request_id_and_traceback(
    tmp_path,
):
    with gunicorn(tmp_path, "tests.server_faults:app") as server:
        _up(server)
        assert server.get("before-1", fault="raise") == 500
        server.get("after-1", fault="break")
        assert server.get("fine-1") == 200

        before = server.wait_for(lambda x: x.get("request_id") == "before-1" and "exception" in x)
        after = server.wait_for(lambda x: x.get("request_id") == "after-1" and "exception" in x)
        booted = server.wait_for(lambda x: x["event"].startswith("Booting worker"))

    for line in (before, after):
        assert line["event"].startswith("Error handling request")
        assert line["level"] == "error"
        assert line["logger"] == "gunicorn.error"
        assert line["timestamp"].endswith("Z")
        assert line["exception"].startswith("Traceback (most recent call last):")
    assert "RuntimeError: escaped before the answer began" in before["exception"]
    assert "RuntimeError: escaped after the answer began" in after["exception"]
    assert "request_id" not in booted, "a worker booting concerns no request"
    # The request that was answered afterwards is the app's own line; nothing of gunicorn's
    # names it, nor any line the id of a request that ended well.
    lines = server.lines()
    assert [x["status"] for x in lines if x.get("request_id") == "fine-1"] == [200]
    assert not [x for x in lines if x.get("request_id") == "warm-up" and "exception" in x]


def test_a_worker_timeout_names_the_request_it_killed(tmp_path):
    with gunicorn(tmp_path, "tests.server_faults:app", GUNICORN_TIMEOUT="2") as server:
        _up(server)
        server.get("slow-1", fault="hang", timeout=30)

        killed = server.wait_for(lambda x: x["event"].startswith("Worker timed out"))
        traceback = server.wait_for(lambda x: x.get("request_id") == "slow-1" and "exception" in x)
        master = server.wait_for(lambda x: x["event"].startswith("WORKER TIMEOUT"))

    assert killed["level"] == "critical"
    assert killed["request_id"] == "slow-1"
    assert killed["request_ids"] == ["slow-1"]
    assert "time.sleep(120)" in traceback["exception"], "where the worker was stuck"
    assert master["level"] == "critical"
    assert f"pid:{killed['pid']}" in master["event"], "the master's line names the worker"


def test_a_worker_that_cannot_boot_says_why_in_json(tmp_path):
    with gunicorn(tmp_path, "tests.no_such_module:app") as server:
        server.process.wait(timeout=60)
        lines = server.lines()

    assert server.process.returncode != 0
    failure = next(x for x in lines if "exception" in x)
    assert failure["level"] == "error"
    assert "ModuleNotFoundError: No module named 'tests.no_such_module'" in failure["exception"]
