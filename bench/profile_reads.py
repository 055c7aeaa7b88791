"""Where the small-reads row's extra worker CPU goes: the API's ``GET /projects/{id}``
against the plain route (``bench.plain``), both called as gunicorn calls them (the WSGI
callable, one environ a request), in one process, over the same SQLite database.

Throughput on two shared cores moves with whatever else runs, and so does CPU time; the
number of instructions a request executes does not. ``instructions`` counts them with
valgrind (callgrind) for each side over N requests, start-up left uninstrumented.
``profile`` shows where the API's time goes.

    python -m bench.profile_reads instructions [--requests N]
    python -m bench.profile_reads profile [--requests N]
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import json
import os
import pstats
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from werkzeug.test import EnvironBuilder

from api import logs
from bench.fixtures import API_KEY, Api, Target, fresh_database, make_app, make_competences
from bench.fixtures import rated_project as _rated

SIDES = ("plain", "api")


def _prepare(folder: Path) -> dict[str, str]:
    """A SQLite database with a rated project of ten participants, as the row reads."""
    with fresh_database(Target("sqlite", None, folder)) as url:
        app = make_app(url, folder / "instance")
        api = Api(app)
        project = _rated(api, 10, make_competences(api, 10))
        app.extensions["od"].engine.dispose()
        return {"url": url, "plain": f"/projects/{project.id}", "api": project.base}


def _call(side: str, state: dict[str, str]) -> Callable[[], None]:
    if side == "api":
        app = make_app(state["url"], Path(state["url"].removeprefix("sqlite:///")).parent)
        headers = {"Authorization": f"Bearer {API_KEY}"}
        logs.configure("info")  # as served: every request writes its line
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115  # the lines are not read
    else:
        os.environ["DATABASE_URL"] = state["url"]
        app, headers = importlib.import_module("bench.plain").app, {}
    wsgi, environ = app.wsgi_app, EnvironBuilder(path=state[side], headers=headers).get_environ()

    def start_response(status: str, headers: list, exc_info=None) -> None:
        if not status.startswith("200"):
            raise AssertionError(f"{state[side]}: {status}")

    def call() -> None:
        body = wsgi(dict(environ), start_response)
        for _ in body:
            pass
        getattr(body, "close", lambda: None)()

    call()  # the first request fills the caches every later one finds
    return call


def _instrument(switch: str) -> None:
    """Count from here (``on``) or no more (``off``): start-up runs uninstrumented."""
    subprocess.run(["callgrind_control", "-i", switch, str(os.getpid())], capture_output=True)


def _instructions(side: str, state: Path, requests: int) -> int:
    with tempfile.TemporaryDirectory() as out:
        command = [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={out}/callgrind.out",
            sys.executable,
            "-m",
            "bench.profile_reads",
            "run",
            side,
            str(state),
            str(requests),
        ]
        done = subprocess.run(
            command, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"}
        )
        found = re.search(r"Collected : (\d+)", done.stderr)
        if done.returncode != 0 or found is None:
            raise RuntimeError(done.stderr[-2000:])
        return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("instructions", "profile", "run"))
    parser.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    parser.add_argument("--requests", type=int, default=200)
    options = parser.parse_args()
    if options.what == "run":  # one side, under valgrind: python -m … run SIDE STATE N
        side, state, requests = options.args
        call = _call(side, json.loads(Path(state).read_text()))
        _instrument("on")
        for _ in range(int(requests)):
            call()
        _instrument("off")
        return
    with tempfile.TemporaryDirectory() as tmp:
        state = _prepare(Path(tmp))
        if options.what == "profile":
            call = _call("api", state)
            profiler = cProfile.Profile()
            profiler.runcall(lambda: [call() for _ in range(options.requests)])
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
            return
        saved = Path(tmp) / "state.json"
        saved.write_text(json.dumps(state))
        per_request = {
            side: _instructions(side, saved, options.requests) / options.requests for side in SIDES
        }
        print(
            f"instructions a request: api {per_request['api']:,.0f}, "
            f"plain {per_request['plain']:,.0f}; plain/api = "
            f"{per_request['plain'] / per_request['api']:.3f}"
        )


if __name__ == "__main__":
    main()
