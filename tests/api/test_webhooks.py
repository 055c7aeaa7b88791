"""Webhooks: events delivered to a real receiver, signed, in order, retried, and never
lost, also when the worker dies mid-delivery."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from uuid import uuid4

import pytest
from sqlalchemy import select, update

from domain.base import utcnow
from domain.events import Event
from domain.webhooks import new_secret
from repositories import tables as t
from tests import builders
from tests.client import assert_problem
from tests.receiver import free_receiver
from tests.workers import celery_worker
from worker import deliveries, sending

WEBHOOKS = "/api/v1/webhooks"


@pytest.fixture(autouse=True)
def _private_targets_allowed(monkeypatch):
    """The operator setting the worker reads: the receivers are on 127.0.0.1."""
    monkeypatch.setenv("WEBHOOK_ALLOW_PRIVATE_TARGETS", "true")


@pytest.fixture
def receiver():
    made = free_receiver()
    yield made
    made.stop()


def subscribe(client, receiver, **fields):
    return client.ok("POST", WEBHOOKS, {"url": receiver.url, **fields}, status=201)


def run_worker(engine, rounds: int = 3) -> None:
    """What the worker's jobs do, run here: fan out, then deliver what is due."""
    for _ in range(rounds):
        for webhook_id in deliveries.dispatch(engine):
            deliveries.deliver(engine, webhook_id)


def verify(secret: str, headers: dict, body: bytes) -> bool:
    """Standard Webhooks' check, written out apart from the code under test."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    given = [s.split(",", 1)[1] for s in headers["webhook-signature"].split()]
    return any(hmac.compare_digest(expected, g) for g in given)


def make_due(engine) -> None:
    """Time passes: every scheduled retry is due now."""
    with engine.begin() as connection:
        connection.execute(
            update(t.webhook_deliveries)
            .where(t.webhook_deliveries.c.status == "pending")
            .values(next_attempt_at=utcnow())
        )


def test_the_secret_is_shown_once(client, receiver):
    made = subscribe(client, receiver)
    assert made["secret"].startswith("whsec_")
    shown = client.ok("GET", f"{WEBHOOKS}/{made['id']}")
    assert "secret" not in shown
    assert shown["enabled"] is True


def test_a_subscriber_receives_signed_events_of_the_story_in_order(client, engine, receiver):
    hook = subscribe(client, receiver)
    organisation = builders.organisation(client)
    person = builders.person(client, organisation["id"])
    client.ok("PATCH", f"/api/v1/people/{person['id']}", {"name": "Another name"})
    client.ok("DELETE", f"/api/v1/people/{person['id']}")

    run_worker(engine)

    assert [r["json"]["type"] for r in receiver.received] == [
        "organisation.created",
        "person.created",
        "person.updated",
        "person.deleted",
    ]
    for request in receiver.received:
        headers = {k.lower(): v for k, v in request["headers"].items()}
        assert verify(hook["secret"], headers, request["body"])
        assert abs(int(headers["webhook-timestamp"]) - time.time()) < 60
    assert receiver.received[2]["json"]["data"]["changed_fields"] == ["name"]
    assert "Another name" not in str(receiver.received)
    tries = client.ok("GET", f"{WEBHOOKS}/{hook['id']}/deliveries")
    assert [a["event_type"] for a in tries] == [
        "person.deleted",
        "person.updated",
        "person.created",
        "organisation.created",
    ]
    for attempt in tries:
        assert (attempt["status"], attempt["number"], attempt["status_code"]) == (
            "succeeded",
            1,
            204,
        )
        assert attempt["latency_ms"] is not None
        assert attempt["next_attempt_at"] is None
    assert [a["event_id"] for a in reversed(tries)] == [
        r["headers"]["webhook-id"] for r in receiver.received
    ]


def test_a_new_subscription_hears_only_of_what_follows(client, engine, receiver):
    builders.organisation(client, "Before")
    subscribe(client, receiver)
    after = builders.organisation(client, "After")
    run_worker(engine)
    assert [r["json"]["data"]["entity_id"] for r in receiver.received] == [after["id"]]


def test_event_types_and_an_organisation_narrow_a_subscription(client, engine, receiver):
    mine, theirs = builders.organisation(client, "Mine"), builders.organisation(client, "Theirs")
    subscribe(client, receiver, event_types=["person.created"], organisation_id=mine["id"])
    builders.person(client, mine["id"])
    builders.person(client, theirs["id"])
    builders.team(client, mine["id"])
    run_worker(engine)
    assert [
        (r["json"]["type"], r["json"]["data"]["organisation_id"]) for r in receiver.received
    ] == [("person.created", mine["id"])]


def test_a_receiver_down_for_a_while_then_up_gets_every_event_once_in_order(
    client, engine, receiver
):
    hook = subscribe(client, receiver)
    organisation = builders.organisation(client)
    receiver.stop()  # down: connections are refused
    people = [builders.person(client, organisation["id"]) for _ in range(3)]
    run_worker(engine)
    # The first is tried and scheduled again; nothing after it overtakes it.
    (refused,) = client.ok("GET", f"{WEBHOOKS}/{hook['id']}/deliveries")
    assert (refused["status"], refused["status_code"]) == ("failed", None)
    assert "Connection refused" in refused["error"]
    assert refused["next_attempt_at"] is not None
    waiting = client.ok("GET", f"{WEBHOOKS}/{hook['id']}/deliveries/{refused['delivery_id']}")
    assert (waiting["status"], waiting["attempts"]) == ("pending", 1)
    failing = client.ok("GET", f"{WEBHOOKS}/{hook['id']}")
    assert failing["failing_since"] is not None
    assert failing["enabled"] is True

    receiver.start()  # up again, on the same port
    make_due(engine)
    run_worker(engine)

    ids = [r["json"]["data"]["entity_id"] for r in receiver.received]
    assert ids == [organisation["id"], *(p["id"] for p in people)]
    assert len({r["headers"]["webhook-id"] for r in receiver.received}) == 4
    tries = client.ok("GET", f"{WEBHOOKS}/{hook['id']}/deliveries")
    assert [(a["status"], a["number"]) for a in tries] == [("succeeded", 1)] * 3 + [
        ("succeeded", 2),
        ("failed", 1),
    ]
    assert tries[3]["delivery_id"] == refused["delivery_id"]
    succeeded = client.ok(
        "GET", f"{WEBHOOKS}/{hook['id']}/deliveries", query_string={"status": "succeeded"}
    )
    assert len(succeeded) == 4
    assert client.ok("GET", f"{WEBHOOKS}/{hook['id']}")["failing_since"] is None


def test_a_failed_delivery_is_retried_later_with_growing_waits(client, engine, receiver):
    hook = subscribe(client, receiver)
    receiver.status = 500
    builders.organisation(client)
    run_worker(engine)
    make_due(engine)
    run_worker(engine)
    second, first = client.ok("GET", f"{WEBHOOKS}/{hook['id']}/deliveries")
    assert [(a["number"], a["status"], a["status_code"]) for a in (first, second)] == [
        (1, "failed", 500),
        (2, "failed", 500),
    ]
    assert "500" in second["error"]
    waits = [
        datetime.fromisoformat(a["next_attempt_at"]) - datetime.fromisoformat(a["attempted_at"])
        for a in (first, second)
    ]
    assert timedelta(seconds=2) < waits[0] <= timedelta(seconds=5) <= waits[1]
    delivery = client.ok("GET", f"{WEBHOOKS}/{hook['id']}/deliveries/{first['delivery_id']}")
    assert (delivery["status"], delivery["attempts"]) == ("pending", 2)
    assert delivery["next_attempt_at"] == second["next_attempt_at"]


def test_a_subscription_failing_for_a_day_is_disabled_and_says_why(client, engine, receiver):
    hook = subscribe(client, receiver)
    receiver.status = 410
    builders.organisation(client)
    run_worker(engine)
    with engine.begin() as connection:
        connection.execute(
            update(t.webhooks).values(failing_since=utcnow() - timedelta(hours=24, minutes=1))
        )
    make_due(engine)
    run_worker(engine)

    disabled = client.ok("GET", f"{WEBHOOKS}/{hook['id']}")
    assert disabled["enabled"] is False
    assert "410" in disabled["disabled_reason"]
    last, _ = client.ok("GET", f"{WEBHOOKS}/{hook['id']}/deliveries")
    assert (last["status"], last["status_code"], last["next_attempt_at"]) == ("failed", 410, None)
    given_up = client.ok("GET", f"{WEBHOOKS}/{hook['id']}/deliveries/{last['delivery_id']}")
    assert given_up["status"] == "failed"

    # Enabled again and resent, it arrives.
    receiver.status = 204
    client.ok("PATCH", f"{WEBHOOKS}/{hook['id']}", {"enabled": True})
    resent = client.ok(
        "POST", f"{WEBHOOKS}/{hook['id']}/deliveries/{last['delivery_id']}/resend", status=202
    )
    assert resent["status"] == "pending"
    run_worker(engine)
    assert [r["json"]["type"] for r in receiver.received] == ["organisation.created"]
    tries = client.ok(
        "GET",
        f"{WEBHOOKS}/{hook['id']}/deliveries",
        query_string={"delivery_id": last["delivery_id"]},
    )
    assert [(a["number"], a["status"]) for a in tries] == [
        (3, "succeeded"),
        (2, "failed"),
        (1, "failed"),
    ]


def test_a_refused_change_sends_nothing(client, engine, receiver):
    subscribe(client, receiver)
    organisation = builders.organisation(client)
    run_worker(engine)
    receiver.received.clear()
    response = client.post(
        f"/api/v1/organisations/{organisation['id']}/people", json={"name": "Ans", "email": "x"}
    )
    assert response.status_code == 422
    run_worker(engine)
    assert receiver.received == []


def test_a_worker_killed_mid_delivery_loses_nothing(client, engine, receiver, database_url):
    """A worker process takes the first delivery, the receiver holds the call, the worker
    is killed: once its lease has run out, the next worker sends it again (same
    webhook-id), then the rest, in order."""
    subscribe(client, receiver)
    made = [builders.organisation(client, f"Organisation {n}") for n in range(3)]
    receiver.hang.set()
    script = (
        "from repositories.database import make_engine\n"
        "from worker import deliveries\n"
        "from datetime import timedelta\n"
        f"engine = make_engine({database_url!r})\n"
        "for webhook_id in deliveries.dispatch(engine):\n"
        "    deliveries.deliver(engine, webhook_id, lease=timedelta(seconds=2))\n"
    )
    env = {**os.environ, "WEBHOOK_ALLOW_PRIVATE_TARGETS": "true"}
    worker = subprocess.Popen([sys.executable, "-c", script], env=env)
    try:
        assert receiver.got_one.wait(30), "the worker never called the receiver"
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    receiver.hang.clear()
    with engine.connect() as connection:
        statuses = connection.execute(select(t.webhook_deliveries.c.status)).scalars().all()
    assert statuses == ["pending"] * 3

    time.sleep(2.1)  # the dead worker's lease runs out
    run_worker(engine)

    assert [r["json"]["data"]["entity_id"] for r in receiver.received] == [m["id"] for m in made]


def test_a_target_must_be_http_and_public_unless_the_operator_allows_it(app, client):
    assert_problem(client.post(WEBHOOKS, json={"url": "ftp://hooks.example.org/x"}), 422)
    app.config["WEBHOOK_ALLOW_PRIVATE_TARGETS"] = False
    try:
        for url in ("http://127.0.0.1:8350/x", "http://10.1.2.3/x", "http://169.254.169.254/"):
            response = client.post(WEBHOOKS, json={"url": url})
            assert_problem(response, 422)
            assert "internal address" in str(response.json)
    finally:
        app.config["WEBHOOK_ALLOW_PRIVATE_TARGETS"] = True


def test_a_name_that_resolves_to_loopback_is_refused_at_delivery(
    client, engine, receiver, monkeypatch
):
    """Checked on save, and again by the worker before each call: the operator's setting
    may have changed, or the name may point elsewhere by now."""
    hook = subscribe(client, receiver, url=receiver.url.replace("127.0.0.1", "localhost"))
    builders.organisation(client)
    monkeypatch.setenv("WEBHOOK_ALLOW_PRIVATE_TARGETS", "false")

    run_worker(engine)

    assert not receiver.got_one.is_set()
    (attempt,) = client.ok("GET", f"{WEBHOOKS}/{hook['id']}/deliveries")
    assert (attempt["status"], attempt["status_code"]) == ("failed", None)
    assert "internal address" in attempt["error"]


def test_the_worker_connects_to_the_address_it_checked(receiver):
    """The name is looked up once; the connection goes to that answer, not to a second
    lookup (which DNS rebinding could point at an internal address), and the name stays
    in the Host header. Here only the worker's lookup knows the name at all."""
    looked_up = []

    def lookup(host: str) -> list[str]:
        looked_up.append(host)
        return ["127.0.0.1"]

    event = Event(
        type="organisation.created",
        entity_type="organisation",
        entity_id=uuid4(),
        change="created",
        occurred_at=utcnow(),
    )
    url = f"http://hooks.rebinding.invalid:{receiver.port}/hook?from=od"
    outcome = sending.send(url, new_secret(), event, allow_private=True, timeout=5, lookup=lookup)

    assert outcome.ok, outcome
    assert looked_up == ["hooks.rebinding.invalid"]
    (request,) = receiver.received
    assert request["headers"]["host"] == f"hooks.rebinding.invalid:{receiver.port}"
    assert request["json"]["data"]["entity_id"] == str(event.entity_id)


def test_only_admins_manage_webhooks(workspace):
    consultant = workspace.client("consultant")
    assert_problem(consultant.get(WEBHOOKS), 403)


def test_the_celery_worker_and_its_clock_deliver_on_their_own(
    client, receiver, database_url, tmp_path
):
    """What ``make run`` starts beside gunicorn: the worker with its beat, over the
    embedded broker (a SQLite file), delivering without anyone calling it."""
    subscribe(client, receiver)
    organisation = builders.organisation(client)
    env = {
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}",
        "WEBHOOK_POLL_SECONDS": "0.5",
        "WEBHOOK_ALLOW_PRIVATE_TARGETS": "true",
    }
    with celery_worker(env, tmp_path / "beat-schedule") as worker:
        deadline = time.monotonic() + 60
        while not receiver.received and time.monotonic() < deadline and worker.running():
            time.sleep(0.2)
        errors = worker.stop()
    assert [r["json"]["data"]["entity_id"] for r in receiver.received] == [organisation["id"]], (
        errors[-2000:]
    )
