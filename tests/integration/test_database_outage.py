"""A database outage, on a PostgreSQL of the test's own: stopped and started under the app.

While the database is down the API answers 503 problem+json with ``Retry-After`` (never
500, never a driver message), ``/ready`` answers 503, and once it is back the same app
object serves again without a restart (``pool_pre_ping`` replaces the dead connections).

The server is a private cluster in a temporary directory on a free port, so stopping it
disturbs nobody; it is removed afterwards whatever happens. It needs the PostgreSQL
server binaries (``PG_BINDIR``, ``pg_ctl`` on the PATH, or /usr/lib/postgresql/*/bin);
as root it runs as the ``postgres`` OS user, since PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from sqlalchemy import event

from api import create_app
from domain.services.access import create_workspace
from repositories.migrate import upgrade
from repositories.unit_of_work import SqlUnitOfWork
from tests.client import ApiClient, assert_problem

RECOVERY_SECONDS = 10  # the most a recovery may take once the server accepts connections
PROBLEM_KEYS = {"type", "title", "status", "detail", "instance", "request_id"}
# What the driver and server say (e.g. 'connection to server at "127.0.0.1", port 5432
# failed: FATAL: the database system is shutting down'): none of it may reach a caller.
INTERNALS = (
    "psycopg",
    "sqlalchemy",
    "operationalerror",
    "traceback",
    "127.0.0.1",
    "port",
    "server at",
    "fatal",
    "shutting down",
    "administrator command",
)


def _bindir() -> Path | None:
    candidates = [os.environ.get("PG_BINDIR")]
    if pg_ctl := shutil.which("pg_ctl"):
        candidates.append(str(Path(pg_ctl).parent))
    candidates += sorted(
        (str(p) for p in Path("/usr/lib/postgresql").glob("*/bin")),
        key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0,
        reverse=True,
    )
    for candidate in filter(None, candidates):
        path = Path(candidate)
        if (path / "initdb").exists() and (path / "pg_ctl").exists():
            return path
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateCluster:
    """A throwaway PostgreSQL: ``init``, ``start``, ``stop``, and ``remove`` at the end."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="od-outage-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres?connect_timeout=3"

    def _run(self, *args: str, timeout: float = 20) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        # Output to a file, not a pipe: the server that pg_ctl starts must not hold our pipe.
        with tempfile.TemporaryFile() as output:
            result = subprocess.run(
                command, cwd=self.root, stdout=output, stderr=subprocess.STDOUT, timeout=timeout
            )
            if result.returncode != 0:
                output.seek(0)
                log = self.root / "server.log"
                tail = log.read_text()[-2000:] if log.exists() else ""
                raise RuntimeError(
                    f"{' '.join(args)} failed ({result.returncode}):\n"
                    f"{output.read().decode(errors='replace')}\n{tail}"
                )

    def init(self) -> None:
        if self.as_root:
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
            "--no-instructions",
        )
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.root}'\n"
                "fsync = off\nfull_page_writes = off\nsynchronous_commit = off\n"
                "max_connections = 50\nshared_buffers = 16MB\n"
            )

    def start(self) -> None:
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-t",
            "15",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "15", "stop")

    def remove(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self.stop("immediate")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def _cannot_run(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must test a database outage")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def cluster() -> Iterator[PrivateCluster]:
    bindir = _bindir()
    if bindir is None:
        _cannot_run("the PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            _cannot_run("running as root, and there is no 'postgres' OS user to run PostgreSQL as")
    server = PrivateCluster(bindir)
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.remove()


@dataclass
class Outage:
    app: object
    cluster: PrivateCluster
    secret: str

    def client(self) -> ApiClient:
        return ApiClient(self.app.test_client(), self.secret)

    def forget_keys(self) -> None:
        """Empty the API-key cache, so the next call must look its key up in the database."""
        self.app.extensions["od"].key_cache.clear()


@pytest.fixture(scope="module")
def outage(cluster, settings) -> Iterator[Outage]:
    # Not TESTING: errors must take the path they take in production.
    # A lease of a second: a claim the outage left unanswered is free for a retry soon.
    app = create_app(
        replace(settings, database_url=cluster.url, db_pool_size=4, idempotency_lease_seconds=1)
    )
    state = app.extensions["od"]
    upgrade(state.engine)
    _workspace, _key, secret = create_workspace(
        lambda scope: SqlUnitOfWork(state.engine, scope), state.hasher, "Outage consultancy"
    )
    yield Outage(app, cluster, secret)
    state.engine.dispose()


@pytest.fixture
def running(outage) -> Iterator[Outage]:
    """The server is up when the test starts and is left up whatever the test did."""
    if not (outage.cluster.data / "postmaster.pid").exists():
        outage.cluster.start()
    yield outage
    if not (outage.cluster.data / "postmaster.pid").exists():
        outage.cluster.start()


def assert_unavailable(response) -> None:
    """503 problem+json with Retry-After, and nothing of the driver or server in it."""
    body = assert_problem(response, 503)
    assert response.headers.get("Retry-After", "").isdigit(), dict(response.headers)
    assert set(body) <= PROBLEM_KEYS, body
    text = response.get_data(as_text=True).lower()
    for internal in INTERNALS:
        assert internal not in text, text


def wait_until_served(api: ApiClient, path: str) -> list[int]:
    """Call ``path`` until it answers 200; answers every status seen on the way."""
    seen = []
    deadline = time.monotonic() + RECOVERY_SECONDS
    while time.monotonic() < deadline:
        response = api.get(path)
        seen.append(response.status_code)
        if response.status_code == 200:
            return seen
        assert_unavailable(response)
        time.sleep(0.1)
    pytest.fail(f"{path} still not served {RECOVERY_SECONDS} s after the restart: {seen[-5:]}")


def test_while_the_database_is_down_calls_answer_503_and_the_same_app_recovers(running):
    api = running.client()
    before = api.ok("POST", "/api/v1/organisations", {"name": "Before the outage"})
    assert api.get("/ready").status_code == 200
    engine = running.app.extensions["od"].engine

    running.cluster.stop("fast")

    ready = api.get("/ready")
    assert ready.status_code == 503
    assert ready.get_json() == {"status": "unavailable", "database": "unreachable"}
    assert api.get("/health").status_code == 200  # the process itself is fine
    # The key was just verified, so the cache admits it: the data query itself must fail softly.
    assert_unavailable(api.get("/api/v1/organisations"))
    assert_unavailable(api.get(f"/api/v1/organisations/{before['id']}"))
    assert_unavailable(api.post("/api/v1/organisations", json={"name": "During the outage"}))
    assert_unavailable(api.patch(f"/api/v1/organisations/{before['id']}", json={"name": "Renamed"}))
    retried = {"Idempotency-Key": f"outage-{uuid.uuid4()}"}
    assert_unavailable(api.post("/api/v1/organisations", json={"name": "Retried"}, headers=retried))
    # A key not in the cache cannot be checked: that is an outage too, not a 401.
    running.forget_keys()
    assert_unavailable(api.get("/api/v1/organisations"))

    running.cluster.start()

    wait_until_served(api, "/api/v1/organisations")
    assert running.app.extensions["od"].engine is engine  # recovered, not rebuilt
    assert api.get("/ready").status_code == 200
    names = [
        o["name"] for o in api.ok("GET", "/api/v1/organisations", query_string={"page_size": 100})
    ]
    assert "Before the outage" in names
    assert "During the outage" not in names
    # The idempotent POST refused during the outage was never claimed: its retry applies.
    again = api.post("/api/v1/organisations", json={"name": "Retried"}, headers=retried)
    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again.headers


def test_under_load_a_restart_gives_503s_and_then_200s_but_never_a_500(running):
    statuses: list[tuple[float, str, int]] = []
    failures: list[str] = []
    stop = threading.Event()
    lock = threading.Lock()

    def worker(number: int) -> None:
        api = running.client()
        calls = 0
        while not stop.is_set():
            calls += 1
            kind = ("list", "ready", "create", "idempotent")[(number + calls) % 4]
            try:
                if kind == "list":
                    response = api.get("/api/v1/organisations")
                elif kind == "ready":
                    response = api.get("/ready")
                elif kind == "create":
                    response = api.post("/api/v1/organisations", json={"name": f"Load {number}"})
                else:
                    response = api.post(
                        "/api/v1/organisations",
                        json={"name": f"Load {number}"},
                        headers={"Idempotency-Key": str(uuid.uuid4())},
                    )
                if response.status_code == 503 and kind != "ready":
                    assert_unavailable(response)
            except Exception as error:  # a crash or a malformed 503 is a failure
                with lock:
                    failures.append(f"{kind}: {error!r}")
                continue
            with lock:
                statuses.append((time.monotonic(), kind, response.status_code))
            time.sleep(0.005)

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(4)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(0.5)
        running.cluster.stop("fast")
        down_until = time.monotonic() + 1.0
        while time.monotonic() < down_until:
            running.forget_keys()  # let the key lookup itself meet the outage too
            time.sleep(0.2)
        running.cluster.start()
        restarted = time.monotonic()
        deadline = restarted + RECOVERY_SECONDS
        while time.monotonic() < deadline:
            with lock:
                recovered = [
                    s for t, kind, s in statuses if t > restarted + 0.5 and s in (200, 201)
                ]
            if len(recovered) >= 8:
                break
            time.sleep(0.1)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=15)

    assert not failures, failures[:5]
    counts: dict[int, int] = {}
    for _, _, status in statuses:
        counts[status] = counts.get(status, 0) + 1
    assert set(counts) <= {200, 201, 503}, counts
    assert counts.get(503), f"the outage was never seen: {counts}"
    late = [s for t, _, s in statuses if t > restarted + 0.5]
    assert late.count(200) + late.count(201) >= 8, f"no recovery after the restart: {counts}"


# --- an idempotent POST cut off by the outage ------------------------------------------

CUT_POINTS = {
    # the change itself fails: nothing of it is stored
    "before-the-change": "INSERT INTO organisations",
    # the change is committed (its claim marked applied with it), but its response cannot
    # be stored for replays
    "after-the-change": "UPDATE idempotency_records SET status",
}


def stop_server_before(outage: Outage, statement_start: str):
    """Stop the server just before the first statement starting so, within this request."""
    engine = outage.app.extensions["od"].engine
    done = threading.Event()

    def cut(_conn, _cursor, statement, *_args):
        if not done.is_set() and statement.lstrip().upper().startswith(statement_start.upper()):
            done.set()
            outage.cluster.stop("fast")

    event.listen(engine, "before_cursor_execute", cut)
    return done, lambda: event.remove(engine, "before_cursor_execute", cut)


@pytest.mark.parametrize("cut_point", CUT_POINTS)
def test_an_idempotent_post_cut_off_by_the_outage_answers_503(running, cut_point):
    api = running.client()
    body = {"name": f"Cut off {cut_point}"}
    headers = {"Idempotency-Key": f"cut-{uuid.uuid4()}"}
    done, undo = stop_server_before(running, CUT_POINTS[cut_point])
    try:
        response = api.post("/api/v1/organisations", json=body, headers=headers)
    finally:
        undo()
    assert done.is_set(), "the request never reached the statement to cut it off at"
    assert_unavailable(response)


@pytest.mark.parametrize("cut_point", CUT_POINTS)
def test_the_retry_of_an_idempotent_post_cut_off_by_the_outage_is_applied_once(running, cut_point):
    """Cut off before its change, the request left a claim without an answer: a retry
    waits out its lease (409, Retry-After) and is applied. Cut off after its change was
    committed, the request's answer is lost: the retry is told so and applies nothing."""
    api = running.client()
    body = {"name": f"Retried after {cut_point}"}
    headers = {"Idempotency-Key": f"cut-{uuid.uuid4()}"}
    done, undo = stop_server_before(running, CUT_POINTS[cut_point])
    try:
        assert_unavailable(api.post("/api/v1/organisations", json=body, headers=headers))
    finally:
        undo()
    assert done.is_set()
    running.cluster.start()
    wait_until_served(api, "/api/v1/organisations")

    retry = api.post("/api/v1/organisations", json=body, headers=headers)
    deadline = time.monotonic() + 10
    while retry.status_code == 409 and "Retry-After" in retry.headers:
        assert time.monotonic() < deadline, "the claim was never free for the retry"
        time.sleep(int(retry.headers["Retry-After"]))
        retry = api.post("/api/v1/organisations", json=body, headers=headers)

    listed = api.ok("GET", "/api/v1/organisations", query_string={"q": body["name"]})
    assert len(listed) == 1  # applied exactly once
    if cut_point == "before-the-change":
        assert retry.status_code == 201, retry.get_data(as_text=True)
        assert listed[0]["id"] == retry.get_json()["id"]
    else:
        problem = assert_problem(retry, 409)
        assert problem["type"] == "urn:od:problem:idempotency-key-applied"
