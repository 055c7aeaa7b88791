"""Real servers and a real load generator: gunicorn started with the project's own
``gunicorn.conf.py``, loaded by ``wrk``.

The small-reads, latency and memory rows must measure what production runs (the same
worker model, the same request log, real sockets), not the Flask test client, so
these helpers start gunicorn as a subprocess and parse what wrk prints.
"""

from __future__ import annotations

import os
import re
import runpy
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

# Ends wrk after exactly `limit` responses and says how many were not 2xx: the memory row
# needs a request count, not a duration (wrk's own thread:stop() still waits out -d).
# Only right with one wrk thread: each thread runs a Lua state of its own.
COUNTING_SCRIPT = """
local responses, failures, limit = 0, 0, 0
function init(args) limit = tonumber(args[1]) end
function response(status, headers, body)
  responses = responses + 1
  if status < 200 or status > 299 then failures = failures + 1 end
  if responses >= limit then
    io.write(string.format("counted %d responses, %d not 2xx\\n", responses, failures))
    io.flush()
    os.exit(0)
  end
end
"""


class BenchError(RuntimeError):
    """A setup step failed; the message says what to do about it."""


def ensure_wrk() -> str:
    """wrk's path, installing Debian's package when it is missing (quality.md asks for a
    real load generator, not a Python loop that would measure itself)."""
    found = shutil.which("wrk")
    if found:
        return found
    apt = shutil.which("apt-get")
    if apt is None:
        raise BenchError("wrk is not installed and there is no apt-get: install wrk first.")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print("wrk is missing: apt-get install -y wrk", file=sys.stderr)
    done = subprocess.run([*sudo, apt, "install", "-y", "wrk"], check=False)
    found = shutil.which("wrk")
    if done.returncode != 0 or found is None:
        raise BenchError("Could not install wrk with apt-get; install it (apt-get install wrk).")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen

    def worker_pids(self) -> list[int]:
        """gunicorn's workers: the children of the master process."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # a process that ended meanwhile
            if int(fields[1]) == self.process.pid:  # field 4 of stat: the parent's pid
                pids.append(int(stat.parent.name))
        return pids

    def worker_cpu_seconds(self) -> float:
        """CPU time (user and system) the workers have used so far: what a request costs
        the server, apart from what the load generator and the database cost."""
        ticks = 0
        for pid in self.worker_pids():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
        return ticks / os.sysconf("SC_CLK_TCK")

    def worker_rss_kib(self) -> int:
        """VmRSS of the only worker (the memory row runs one worker so this is that worker)."""
        (pid,) = self.worker_pids()
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise BenchError(f"No VmRSS for worker {pid}")


@contextmanager
def gunicorn(app: str, env: dict[str, str], workers: int | None = None) -> Iterator[Server]:
    """``app`` (a ``module:variable``) served by gunicorn with the project's config on a
    free port; stopped on exit. ``workers`` overrides WEB_CONCURRENCY (the memory row)."""
    port = free_port()
    full_env = {**os.environ, **env, "HOST": "127.0.0.1", "PORT": str(port)}
    if workers is not None:
        full_env["WEB_CONCURRENCY"] = str(workers)
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", app],
            cwd=ROOT,
            env=full_env,
            stdout=subprocess.DEVNULL,
            stderr=errors,  # the request log (a line a request) and gunicorn's own
        )
        server = Server(f"http://127.0.0.1:{port}", process)
        try:
            _wait_until_up(server, errors, expected=_workers(full_env))
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _workers(env: dict[str, str]) -> int:
    """How many workers gunicorn.conf.py starts under ``env``."""
    if "WEB_CONCURRENCY" in env:
        return int(env["WEB_CONCURRENCY"])
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"]


def _wait_until_up(server: Server, errors, expected: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            errors.seek(0)
            raise BenchError(f"gunicorn exited:\n{errors.read().decode()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{server.url}/health", timeout=2):
                pass
        except OSError:
            time.sleep(0.1)
            continue
        if len(server.worker_pids()) >= expected:
            return
        time.sleep(0.1)
    raise BenchError(f"gunicorn did not answer on {server.url} within {timeout} s")


@dataclass
class WrkResult:
    requests: int
    requests_per_second: float
    p99_ms: float
    non_2xx: int
    socket_errors: int

    def as_dict(self) -> dict:
        return {
            "requests": self.requests,
            "requests_per_second": self.requests_per_second,
            "p99_ms": self.p99_ms,
            "non_2xx": self.non_2xx,
            "socket_errors": self.socket_errors,
        }


def wrk(
    url: str,
    key: str | None = None,
    *,
    seconds: float = 10,
    connections: int = 32,
    threads: int = 2,
) -> WrkResult:
    """Load ``url`` for ``seconds`` and parse wrk's report."""
    command = [
        ensure_wrk(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--latency",
        *_auth(key),
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchError(f"wrk failed: {done.stderr or done.stdout}")
    return parse_wrk(done.stdout)


def wrk_count(
    url: str, key: str | None, requests: int, *, connections: int = 8, timeout: float = 600
) -> tuple[int, int]:
    """Make exactly ``requests`` requests with wrk (one thread, ``connections``
    connections); answers how many were made and how many were not 2xx."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(COUNTING_SCRIPT)
        script.flush()
        command = [
            ensure_wrk(),
            "-t1",
            f"-c{connections}",
            f"-d{round(timeout)}s",
            "-s",
            script.name,
            *_auth(key),
            url,
            "--",
            str(requests),
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    found = re.search(r"counted (\d+) responses, (\d+) not 2xx", done.stdout)
    if done.returncode != 0 or found is None:
        raise BenchError(f"wrk did not count {requests} responses: {done.stderr or done.stdout}")
    return int(found.group(1)), int(found.group(2))


def _auth(key: str | None) -> list[str]:
    return ["-H", f"Authorization: Bearer {key}"] if key else []


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def parse_wrk(output: str) -> WrkResult:
    def number(pattern: str, default: str | None = None) -> str:
        found = re.search(pattern, output)
        if found is None:
            if default is None:
                raise BenchError(f"Unexpected wrk output:\n{output}")
            return default
        return found.group(1)

    p99 = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    if p99 is None:
        raise BenchError(f"No 99% latency in wrk output:\n{output}")
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return WrkResult(
        requests=int(number(r"(\d+) requests in")),
        requests_per_second=float(number(r"Requests/sec:\s+([\d.]+)")),
        p99_ms=float(p99.group(1)) * _UNITS_MS[p99.group(2)],
        non_2xx=int(number(r"Non-2xx or 3xx responses: (\d+)", "0")),
        socket_errors=sum(int(n) for n in errors.groups()) if errors else 0,
    )
