"""One function per row of quality.md's Performance table; each answers a ``Result``.

Every ratio divides two figures taken in the same run on the same machine, so the table
means the same on a laptop as on CI: absolute numbers would not.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event

from bench import events, floors, serve
from bench.async_import import async_import
from bench.fixtures import (
    API_KEY,
    Api,
    Project,
    Target,
    Team,
    fresh_database,
    make_app,
    make_competences,
    rated_project,
    server_env,
)
from bench.killed_import import killed_import
from repositories.database import make_engine
from repositories.migrate import upgrade

MOST_STATEMENTS_PER_READ = 8


@dataclass
class Result:
    """One row of the table. ``ratio`` is None only when the row could not be measured
    (``status`` says why)."""

    name: str
    database: str
    ratio: float | None
    target: str
    passed: bool | None
    raw: dict[str, Any] = field(default_factory=dict)
    status: str = ""

    def __post_init__(self) -> None:
        if not self.status:
            self.status = "pass" if self.passed else "fail"


@dataclass(frozen=True)
class Sizes:
    """How big and how long; ``QUICK`` keeps the smoke test to seconds."""

    wrk_seconds: float = 5
    warmup_seconds: float = 2
    connections: int = 32
    wrk_threads: int = 2
    matrix: tuple[int, int] = (200, 100)  # participants, competences
    counts_small: tuple[int, int] = (10, 10)
    derived: tuple[int, int] = (100, 400)  # participants, at the same competences
    derived_competences: int = 100
    import_people: int = 10_000
    import_matrix: tuple[int, int] = (200, 100)
    memory: tuple[int, int] = (1_000, 20_000)
    killed_import: tuple[int, float] = (100_000, 1.5)  # people, seconds before the kill
    repeats: int = 7
    repeats_import: int = 3  # each on fresh databases, so fewer
    rounds: int = 4  # of the wrk loads of the small-reads row: the VM swings a round by 15 %
    served: bool = True  # the rows that need gunicorn and wrk
    events: int = 2_000  # changes committed with the outbox on and off
    deliveries: int = 500  # events the worker delivers to a local receiver
    async_import: int = 100_000  # people, imported as a job and at once


QUICK = Sizes(
    wrk_seconds=1,
    warmup_seconds=0,
    connections=4,
    matrix=(6, 4),
    counts_small=(3, 2),
    derived=(4, 8),
    derived_competences=4,
    import_people=30,
    import_matrix=(6, 4),
    memory=(50, 200),
    killed_import=(3_000, 0.3),
    repeats=2,
    repeats_import=1,
    rounds=1,
    served=shutil.which("wrk") is not None,  # quick runs never install wrk
    events=20,
    deliveries=5,
    async_import=200,
)


def _best(repeats: int, measure: Callable[[], float]) -> dict[str, float]:
    runs = [measure() for _ in range(repeats)]
    return {"best": min(runs), "median": statistics.median(runs)}


def _timed_get(api: Api, path: str) -> float:
    started = time.perf_counter()
    response = api.request("GET", path)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise AssertionError(f"GET {path}: {response.status_code}")
    return elapsed


# --- in-process rows: large reads, SQL per request, derived analyses -----------------


class Workbench:
    """The API in-process on one fresh database, with the projects the rows read."""

    def __init__(self, target: Target, url: str, sizes: Sizes) -> None:
        self.target = target
        self.sizes = sizes
        self.app = make_app(url, target.tmp / "instance")
        self.api = Api(self.app)
        most = max(sizes.matrix[1], sizes.counts_small[1], sizes.derived_competences)
        self.competences = make_competences(self.api, most)
        self._projects: dict[tuple[int, int], Project] = {}

    @property
    def engine(self) -> Engine:
        return self.app.extensions["od"].engine

    def project(self, participants: int, competences: int) -> Project:
        """A rated project of this size, made once and shared by the rows that read it."""
        size = (participants, competences)
        if size not in self._projects:
            self._projects[size] = rated_project(
                self.api, participants, self.competences[:competences]
            )
        return self._projects[size]

    def close(self) -> None:
        self.engine.dispose()


def large_reads(bench: Workbench) -> Result:
    size = bench.sizes.matrix
    project = bench.project(*size)
    path = f"{project.base}/matrix"
    _timed_get(bench.api, path)  # warm: the key verified and cached, statements compiled
    app = _best(bench.sizes.repeats, lambda: _timed_get(bench.api, path))
    floor_runs = [floors.matrix_floor(bench.engine, project.id) for _ in range(bench.sizes.repeats)]
    floor = {
        "best": min(s for s, _ in floor_runs),
        "median": statistics.median(s for s, _ in floor_runs),
    }
    body = len(bench.api.request("GET", path).data)
    ratio = app["best"] / floor["best"]
    return Result(
        "large reads",
        bench.target.label,
        ratio,
        "≤ 2",
        ratio <= 2,
        {
            "participants": size[0],
            "competences": size[1],
            "app_seconds": app,
            "floor_seconds": floor,
            "app_bytes": body,
            "floor_bytes": floor_runs[0][1],
        },
    )


@contextmanager
def counting(engine: Engine) -> Iterator[list[str]]:
    """The statements ``engine`` executes meanwhile. SQLite's BEGIN and PRAGMAs are left
    out: PostgreSQL opens transactions without a statement, and counts must compare."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _reads(project: Project) -> dict[str, str]:
    return {
        "project": project.base,
        "matrix": f"{project.base}/matrix",
        "dependencies": f"{project.base}/dependencies",
        "priorities": f"{project.base}/priorities",
        "people": f"/api/v1/organisations/{project.team.organisation_id}/people",
    }


def statements_per_read(bench: Workbench, project: Project) -> dict[str, int]:
    counts = {}
    for name, path in _reads(project).items():
        _timed_get(bench.api, path)  # the key cached: only the read itself is counted
        with counting(bench.engine) as statements:
            _timed_get(bench.api, path)
        counts[name] = len(statements)
    return counts


def sql_per_request(bench: Workbench) -> Result:
    small_size, large_size = bench.sizes.counts_small, bench.sizes.matrix
    small = statements_per_read(bench, bench.project(*small_size))
    large = statements_per_read(bench, bench.project(*large_size))
    ratio = max(large[name] / small[name] for name in small)
    most = max(large.values())
    constant = all(large[name] == small[name] for name in small)
    return Result(
        "SQL per request",
        bench.target.label,
        ratio,
        f"= 1, ≤ {MOST_STATEMENTS_PER_READ} each",
        constant and most <= MOST_STATEMENTS_PER_READ,
        {
            "small": {"size": small_size, "statements": small},
            "large": {"size": large_size, "statements": large},
            "most": most,
        },
    )


def derived_analyses(bench: Workbench) -> Result:
    fewer, more = bench.sizes.derived
    competences = bench.sizes.derived_competences
    seconds = {}
    for participants in (fewer, more):
        project = bench.project(participants, competences)
        paths = [f"{project.base}/dependencies", f"{project.base}/priorities"]
        for path in paths:
            _timed_get(bench.api, path)
        seconds[participants] = _best(
            bench.sizes.repeats, lambda paths=paths: sum(_timed_get(bench.api, p) for p in paths)
        )
    ratio = seconds[more]["best"] / seconds[fewer]["best"]
    return Result(
        "derived analyses",
        bench.target.label,
        ratio,
        "≤ 5",
        ratio <= 5,
        {"competences": competences, "seconds_by_participants": seconds},
    )


# --- served rows: small reads, latency under load, memory ------------------------------


def small_reads_and_latency(bench: Workbench) -> list[Result]:
    """GET project against the plain one-query route (``bench.plain``), each served by
    gunicorn and loaded by wrk alike; the bare route too, for the ratio printed beside it
    and for the latency row.

    The servers run side by side and are loaded in turn, ``rounds`` times; each keeps its
    best round. Something else busy on the machine for a while then hurts one round of
    each rather than one side of the ratio."""
    sizes = bench.sizes
    project = bench.project(*sizes.counts_small)
    env = server_env(str(bench.engine.url.render_as_string(hide_password=False)))
    options = {"connections": sizes.connections, "threads": sizes.wrk_threads}
    with (
        serve.gunicorn("bench.bare:app", env) as bare_server,
        serve.gunicorn("bench.plain:app", env) as plain_server,
        serve.gunicorn("wsgi:app", env) as api_server,
    ):
        loads = {
            "bare": (bare_server, bare_server.url + "/bare", None),
            "plain": (plain_server, f"{plain_server.url}/projects/{project.id}", None),
            "api": (api_server, api_server.url + project.base, API_KEY),
        }
        if sizes.warmup_seconds:
            for _, url, key in loads.values():
                serve.wrk(url, key, seconds=sizes.warmup_seconds, **options)
        rounds: dict[str, list[serve.WrkResult]] = {name: [] for name in loads}
        cpu: dict[str, list[float]] = {name: [] for name in loads}  # worker µs per request
        for _ in range(sizes.rounds):
            for name, (server, url, key) in loads.items():
                before = server.worker_cpu_seconds()
                done = serve.wrk(url, key, seconds=sizes.wrk_seconds, **options)
                used = server.worker_cpu_seconds() - before
                rounds[name].append(done)
                cpu[name].append(round(used * 1e6 / max(done.requests, 1)))
    bare, plain, api = (
        max(rounds[n], key=lambda r: r.requests_per_second) for n in ("bare", "plain", "api")
    )
    clean = all(r.non_2xx == 0 and r.socket_errors == 0 for r in (bare, plain, api))
    raw = {
        "connections": sizes.connections,
        "seconds": sizes.wrk_seconds,
        "api": api.as_dict(),
        "bare": bare.as_dict(),
        "plain": plain.as_dict(),
        # Printed beside the row: the API and the plain route against the bare route.
        "bare_ratio": api.requests_per_second / bare.requests_per_second,
        "plain_ratio": plain.requests_per_second / bare.requests_per_second,
        "rounds_requests_per_second": {
            name: [r.requests_per_second for r in runs] for name, runs in rounds.items()
        },
        # Where a request's time goes, less noisy than throughput: the workers' CPU.
        "rounds_worker_cpu_us_per_request": cpu,
    }
    throughput = api.requests_per_second / plain.requests_per_second
    latency = api.p99_ms / bare.p99_ms
    return [
        Result(
            "small reads",
            bench.target.label,
            throughput,
            "≥ 0.85 of plain",
            clean and throughput >= 0.85,
            raw,
        ),
        Result(
            "latency under load", bench.target.label, latency, "≤ 4", clean and latency <= 4, raw
        ),
    ]


def memory(bench: Workbench) -> Result:
    """RSS of a single worker after the first and the last of many GET project."""
    first, last = bench.sizes.memory
    project = bench.project(*bench.sizes.counts_small)
    env = server_env(str(bench.engine.url.render_as_string(hide_password=False)))
    with serve.gunicorn("wsgi:app", env, workers=1) as server:
        url = server.url + project.base
        made_first, failed_first = serve.wrk_count(url, API_KEY, first)
        rss_first = server.worker_rss_kib()
        made_rest, failed_rest = serve.wrk_count(url, API_KEY, last - made_first)
        rss_last = server.worker_rss_kib()
    failed = failed_first + failed_rest
    clean = failed == 0
    ratio = rss_last / rss_first
    return Result(
        "memory",
        bench.target.label,
        ratio,
        "≤ 1.1",
        clean and ratio <= 1.1,
        {
            "requests_first": made_first,
            "requests_total": made_first + made_rest,
            "rss_kib_first": rss_first,
            "rss_kib_last": rss_last,
            "non_2xx": failed,
        },
    )


# --- bulk import: a fresh database for the app, another for the floor ------------------


def _ndjson(lines: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(line) + "\n" for line in lines).encode()


def _import(api: Api, query: str, lines: list[dict[str, Any]]) -> tuple[float, Any]:
    body = _ndjson(lines)
    started = time.perf_counter()
    response = api.request(
        "POST", f"/api/v1/imports?{query}", data=body, content_type="application/x-ndjson"
    )
    elapsed = time.perf_counter() - started
    if response.status_code != 201:
        raise AssertionError(
            f"import {query}: {response.status_code} {response.get_data(as_text=True)[:500]}"
        )
    return elapsed, response.get_json()


def _app_import(target: Target, sizes: Sizes) -> dict[str, Any]:
    """Seconds of the two imports through ``/imports`` into a fresh database (people, then
    the level matrix of a project made of the first of them), with their counts."""
    participants, competences = sizes.import_matrix
    with fresh_database(target) as url:
        app = make_app(url, target.tmp / "instance")
        try:
            api = Api(app)
            team = Team.make(api)
            people_seconds, people_report = _import(
                api,
                f"kind=people&organisation_id={team.organisation_id}",
                [
                    {
                        "external_id": f"E-{i}",
                        "name": f"Employee {i}",
                        "email": f"employee{i}@example.nl",
                        "active": True,
                    }
                    for i in range(sizes.import_people)
                ],
            )
            # Untimed: the project the levels go into, with the first people as participants.
            org = team.organisation_id
            ids = [
                api.ok("GET", f"/api/v1/organisations/{org}/people/external/E-{i}")["id"]
                for i in range(participants)
            ]
            skills = make_competences(api, competences)
            project = Project.in_mapping(api, team, ids, skills)
            levels_seconds, levels_report = _import(
                api,
                f"kind=levels&project_id={project.id}",
                [
                    {
                        "person": f"E-{i}",
                        "competence": skill["code"],
                        "level": (i + j) % 5,
                        "source": "import",
                    }
                    for i in range(participants)
                    for j, skill in enumerate(skills)
                ],
            )
        finally:
            app.extensions["od"].engine.dispose()
    return {
        "people_seconds": people_seconds,
        "levels_seconds": levels_seconds,
        "counts": {"people": people_report.get("counts"), "levels": levels_report.get("counts")},
    }


def _floor_import(target: Target, sizes: Sizes) -> dict[str, float]:
    with fresh_database(target) as url:
        engine = make_engine(url)
        try:
            upgrade(engine)
            return floors.import_floor(engine, sizes.import_people, *sizes.import_matrix)
        finally:
            engine.dispose()


def bulk_import(target: Target, sizes: Sizes) -> Result:
    """The app's imports against the floor's inserts, each the best of ``repeats_import`` runs on
    a fresh database: one run of either varied by a third from run to run here (the disk,
    the other core), and the ratio of two single runs with it."""

    def seconds(run: dict[str, Any]) -> float:
        return run["people_seconds"] + run["levels_seconds"]

    app_runs, floor_runs = [], []
    for _ in range(sizes.repeats_import):  # interleaved: a slow spell hurts both sides
        app_runs.append(_app_import(target, sizes))
        floor_runs.append(_floor_import(target, sizes))
        gc.collect()
    app, floor = min(app_runs, key=seconds), min(floor_runs, key=seconds)
    ratio = seconds(app) / seconds(floor)
    return Result(
        "bulk import",
        target.label,
        ratio,
        "≤ 3",
        ratio <= 3,
        {
            "people": sizes.import_people,
            "matrix": list(sizes.import_matrix),
            "app": {k: v for k, v in app.items() if k != "counts"},
            "floor": floor,
            "runs_seconds": {
                "app": [round(seconds(r), 3) for r in app_runs],
                "floor": [round(seconds(r), 3) for r in floor_runs],
            },
            "counts": app["counts"],
        },
    )


def measure(target: Target, sizes: Sizes, log: Callable[[str], None]) -> list[Result]:
    """Every row on one database."""
    results: list[Result] = []

    def attempt(names: tuple[str, ...], row: Callable[[], Result | list[Result]]) -> None:
        log(f"[{target.label}] {', '.join(names)}")
        # What earlier rows left for the collector is not this row's cost: a full
        # collection walks every live object, and the import row ran a tenth slower for it.
        gc.collect()
        started = time.perf_counter()
        try:
            made = row()
        except Exception as error:  # a broken row must not hide the others' figures
            made = [
                Result(name, target.label, None, "", None, {"error": repr(error)}, "error")
                for name in names
            ]
        made = made if isinstance(made, list) else [made]
        for result in made:  # other work on the machine skews figures: keep it on record
            result.raw["load_average_1min"] = round(os.getloadavg()[0], 2)
        results.extend(made)
        log(f"[{target.label}] done in {time.perf_counter() - started:.1f} s")

    def workbench_rows(url: str) -> None:
        bench = Workbench(target, url, sizes)
        try:
            served = (("small reads", "latency under load"), ("memory",))
            if sizes.served:
                attempt(served[0], lambda: small_reads_and_latency(bench))
            else:
                results.extend(
                    Result(name, target.label, None, "", None, status="skipped: no wrk")
                    for names in served
                    for name in names
                )
            attempt(("large reads",), lambda: large_reads(bench))
            attempt(("SQL per request",), lambda: sql_per_request(bench))
            attempt(("derived analyses",), lambda: derived_analyses(bench))
            if sizes.served:
                attempt(served[1], lambda: memory(bench))
        finally:
            bench.close()

    with fresh_database(target) as url:
        workbench_rows(url)  # returned: its projects and client are off the heap
    attempt(("bulk import",), lambda: bulk_import(target, sizes))
    attempt(("worker killed mid-import",), lambda: worker_killed(target, sizes))
    attempt(("event throughput",), lambda: event_throughput_row(target, sizes))
    attempt(("webhook deliveries",), lambda: delivery_row(target, sizes))
    attempt(("async import",), lambda: async_import_row(target, sizes))
    return results


def event_throughput_row(target: Target, sizes: Sizes) -> Result:
    raw = events.event_throughput(target, sizes.events, max(sizes.repeats_import, 2))
    ratio = raw["ratio"]
    return Result("event throughput", target.label, ratio, "≥ 0.8", ratio >= 0.8, raw)


MIN_DELIVERIES_PER_SECOND = 20.0


def delivery_row(target: Target, sizes: Sizes) -> Result:
    raw = events.delivery_rate(target, sizes.deliveries, os.environ.__setitem__)
    rate = raw["per_second"]
    return Result(
        "webhook deliveries",
        target.label,
        rate,
        f"≥ {MIN_DELIVERIES_PER_SECOND:.0f} /s",
        rate >= MIN_DELIVERIES_PER_SECOND,
        raw,
    )


def worker_killed(target: Target, sizes: Sizes) -> Result:
    """Rows a killed import left behind: the transaction must die with the worker."""
    people, kill_after = sizes.killed_import
    raw = killed_import(target, people, kill_after)
    left = float(raw["rows_left_behind"])
    return Result("worker killed mid-import", target.label, left, "= 0 rows", left == 0, raw)


def async_import_row(target: Target, sizes: Sizes) -> Result:
    """A 100,000-row import as a job (submitted, run by the worker, polled to its end)
    against the same import answered at once."""
    raw = async_import(target, sizes.async_import)
    ratio = raw["ratio"]
    return Result("async import", target.label, ratio, "≤ 1.2", ratio <= 1.2, raw)
