"""Real concurrency on PostgreSQL: races that only a database can settle.

Each race sends the same request from several threads at once, every thread with its
own test client of the one app (each request gets its own connection from the pool),
released together by a barrier, for several rounds. Then a few races are forced into
their worst order with a pause inside the database session, which shows that the
database, not luck in timing, closes them.

SQLite serialises every writer (``BEGIN IMMEDIATE``), so these races cannot happen
there; the tests skip on it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy import event
from werkzeug.test import TestResponse

from tests import builders
from tests.client import ApiClient, assert_problem

THREADS = 8
ROUNDS = 5
TIMEOUT = 20  # seconds any one wait may take before the test gives up


@pytest.fixture(autouse=True)
def _postgres_only(is_postgres):
    if not is_postgres:
        pytest.skip(
            "needs PostgreSQL (--database-url): SQLite serialises writers, so no race can occur"
        )


@dataclass
class Outcome:
    response: TestResponse
    started: float
    finished: float


def race(app, secret: str, calls: list[Callable[[ApiClient], TestResponse]]) -> list[Outcome]:
    """Run every call in a thread of its own, all released at the same instant."""
    barrier = threading.Barrier(len(calls), timeout=TIMEOUT)

    def run(call: Callable[[ApiClient], TestResponse]) -> Outcome:
        api = ApiClient(app.test_client(), secret)
        barrier.wait()
        started = time.perf_counter()
        response = call(api)
        return Outcome(response, started, time.perf_counter())

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(run, call) for call in calls]
        return [f.result(timeout=TIMEOUT) for f in futures]


def most_in_flight(outcomes: list[Outcome]) -> int:
    """How many of the requests were being served at the same moment, at most."""
    return max(sum(o.started <= x.started < o.finished for o in outcomes) for x in outcomes)


def describe(outcomes: list[Outcome]) -> list[tuple[int, str]]:
    return [(o.response.status_code, o.response.get_data(as_text=True)[:200]) for o in outcomes]


def people_with_external_id(api: ApiClient, organisation_id: str, external_id: str) -> list[dict]:
    listed = api.ok(
        "GET",
        f"/api/v1/organisations/{organisation_id}/people",
        query_string={"page_size": 100},
    )
    return [p for p in listed if p["external_id"] == external_id]


# --- races released together ---------------------------------------------------------


def test_concurrent_patches_with_the_same_if_match_let_exactly_one_win(app, workspace, client):
    overlap = []
    for round_ in range(ROUNDS):
        organisation = builders.organisation(client)
        path = f"/api/v1/organisations/{organisation['id']}"
        names = [f"Name {round_}.{n}" for n in range(THREADS)]
        outcomes = race(
            app,
            workspace.admin.secret,
            [
                lambda api, path=path, name=name: api.patch(
                    path, json={"name": name}, headers={"If-Match": '"v1"'}
                )
                for name in names
            ],
        )
        overlap.append(most_in_flight(outcomes))

        winners = [i for i, o in enumerate(outcomes) if o.response.status_code == 200]
        assert len(winners) == 1, describe(outcomes)
        (winner,) = winners
        for i, outcome in enumerate(outcomes):
            if i != winner:
                assert_problem(outcome.response, 412)
        assert outcomes[winner].response.headers["ETag"] == '"v2"'

        stored = client.request("GET", path)
        assert stored.headers["ETag"] == '"v2"'
        assert stored.get_json()["version"] == 2
        assert stored.get_json()["name"] == names[winner]
        updates = builders.audit_trail(client, entity_id=organisation["id"], action="update")
        assert len(updates) == 1
    assert max(overlap) >= 2, f"the requests never overlapped: {overlap}"


def test_concurrent_posts_with_the_same_idempotency_key_are_applied_once(app, workspace, client):
    overlap = []
    for round_ in range(ROUNDS):
        body = {"name": f"Imported organisation {round_}"}
        headers = {"Idempotency-Key": f"import-{round_}"}
        outcomes = race(
            app,
            workspace.admin.secret,
            [
                lambda api, body=body, headers=headers: api.post(
                    "/api/v1/organisations", json=body, headers=headers
                )
                for _ in range(THREADS)
            ],
        )
        overlap.append(most_in_flight(outcomes))

        created = [o.response for o in outcomes if o.response.status_code == 201]
        firsts = [r for r in created if "Idempotent-Replayed" not in r.headers]
        assert len(firsts) == 1, describe(outcomes)
        (first,) = firsts
        for response in created:
            if response is not first:
                assert response.headers["Idempotent-Replayed"] == "true"
                assert response.get_json() == first.get_json()
                assert response.headers["Location"] == first.headers["Location"]
        for outcome in outcomes:
            if outcome.response.status_code != 201:
                problem = assert_problem(outcome.response, 409)
                assert problem["type"] == "urn:od:problem:idempotency-key-in-use"
                assert outcome.response.headers["Retry-After"]

        listed = client.ok("GET", "/api/v1/organisations", query_string={"page_size": 100})
        assert [o["id"] for o in listed if o["name"] == body["name"]] == [first.get_json()["id"]]

        retry = client.post("/api/v1/organisations", json=body, headers=headers)
        assert retry.status_code == 201
        assert retry.headers["Idempotent-Replayed"] == "true"
        assert retry.get_json() == first.get_json()
    assert max(overlap) >= 2, f"the requests never overlapped: {overlap}"


def test_concurrent_hris_upserts_of_one_employee_make_one_person(app, workspace, client):
    body = {"name": "Jan Jansen", "email": "jan.jansen@example.nl"}
    overlap = []
    for _ in range(ROUNDS):
        organisation = builders.organisation(client)
        path = f"/api/v1/organisations/{organisation['id']}/people/external/E-1"
        outcomes = race(
            app,
            workspace.admin.secret,
            [lambda api, path=path: api.put(path, json=body) for _ in range(THREADS)],
        )
        overlap.append(most_in_flight(outcomes))

        statuses = [o.response.status_code for o in outcomes]
        assert set(statuses) <= {200, 201, 409}, describe(outcomes)
        assert statuses.count(201) == 1, describe(outcomes)
        person = next(o.response.get_json() for o in outcomes if o.response.status_code == 201)
        for outcome in outcomes:
            if outcome.response.status_code == 200:
                assert outcome.response.get_json() == person  # the same person, unchanged
            elif outcome.response.status_code == 409:
                assert assert_problem(outcome.response, 409)["code"] == "duplicate"

        stored = people_with_external_id(client, organisation["id"], "E-1")
        assert [p["id"] for p in stored] == [person["id"]]
        assert stored[0]["version"] == 1  # resending the same body wrote nothing
    assert max(overlap) >= 2, f"the requests never overlapped: {overlap}"


# --- races forced into their worst order --------------------------------------------


@contextmanager
def paused_before(
    engine, statement_start: str
) -> Iterator[tuple[threading.Event, threading.Event]]:
    """Hold the first statement starting with ``statement_start`` run by a worker thread
    (not the test's own) until ``release`` is set; ``arrived`` tells that it is held."""
    arrived, release = threading.Event(), threading.Event()
    main = threading.main_thread()

    def hold(_conn, _cursor, statement, *_args):
        if (
            threading.current_thread() is not main
            and not arrived.is_set()
            and statement.lstrip().upper().startswith(statement_start.upper())
        ):
            arrived.set()
            release.wait(TIMEOUT)

    event.listen(engine, "before_cursor_execute", hold)
    try:
        yield arrived, release
    finally:
        release.set()
        event.remove(engine, "before_cursor_execute", hold)


def in_background(app, secret: str, call: Callable[[ApiClient], TestResponse]):
    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(lambda: call(ApiClient(app.test_client(), secret)))
    pool.shutdown(wait=False)
    return future


def test_a_patch_that_read_the_old_version_loses_to_one_committed_meanwhile(
    app, engine, workspace, client
):
    """The version check sits in the UPDATE itself: a writer that passed the service's
    check on version 1 and is overtaken before it writes still cannot overwrite."""
    organisation = builders.organisation(client)
    path = f"/api/v1/organisations/{organisation['id']}"
    stale = {"If-Match": '"v1"'}
    with paused_before(engine, "UPDATE organisations") as (arrived, release):
        slow = in_background(
            app,
            workspace.admin.secret,
            lambda api: api.patch(path, json={"name": "Slow"}, headers=stale),
        )
        assert arrived.wait(TIMEOUT), "the slow PATCH never reached its UPDATE"
        client.ok("PATCH", path, {"name": "Fast"}, headers=stale)
        release.set()
        assert_problem(slow.result(TIMEOUT), 412)
    stored = client.ok("GET", path)
    assert (stored["name"], stored["version"]) == ("Fast", 2)


def test_a_retry_while_the_first_request_is_still_running_gets_409_then_the_replay(
    app, engine, workspace, client
):
    """The claim on the key is committed before the request runs, so a retry during it
    sees the claim and is told to wait, instead of applying the change again."""
    body = {"name": "Imported while running"}
    headers = {"Idempotency-Key": "running-import"}
    with paused_before(engine, "INSERT INTO organisations") as (arrived, release):
        first = in_background(
            app,
            workspace.admin.secret,
            lambda api: api.post("/api/v1/organisations", json=body, headers=headers),
        )
        assert arrived.wait(TIMEOUT), "the first POST never reached its INSERT"
        during = client.post("/api/v1/organisations", json=body, headers=headers)
        release.set()
        first_response = first.result(TIMEOUT)
    assert_problem(during, 409)
    assert during.headers["Retry-After"]
    assert first_response.status_code == 201
    after = client.post("/api/v1/organisations", json=body, headers=headers)
    assert after.status_code == 201
    assert after.headers["Idempotent-Replayed"] == "true"
    assert after.get_json() == first_response.get_json()


def test_an_upsert_overtaken_by_a_create_of_the_same_employee_is_refused_cleanly(
    app, engine, workspace, client
):
    """Two HRIS calls for a new employee both find nobody; the unique constraint lets one
    insert, and the other answers 409 (not 500), so the HRIS can resend."""
    organisation = builders.organisation(client)
    path = f"/api/v1/organisations/{organisation['id']}/people/external/E-1"
    body = {"name": "Jan Jansen", "email": "jan.jansen@example.nl"}
    with paused_before(engine, "INSERT INTO people") as (arrived, release):
        slow = in_background(app, workspace.admin.secret, lambda api: api.put(path, json=body))
        assert arrived.wait(TIMEOUT), "the slow PUT never reached its INSERT"
        person = client.ok("PUT", path, body, status=201)
        release.set()
        slow_response = slow.result(TIMEOUT)
    assert assert_problem(slow_response, 409)["code"] == "duplicate"
    stored = people_with_external_id(client, organisation["id"], "E-1")
    assert [p["id"] for p in stored] == [person["id"]]
    resent = client.put(path, json=body)
    assert resent.status_code == 200
    assert resent.get_json() == person
