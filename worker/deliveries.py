"""Delivering events: fan out new ones, then send each subscription's due ones in order."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine

from domain.base import utcnow
from repositories import deliveries as store
from worker import sending, settings

Sender = Callable[..., sending.Outcome]


def dispatch(engine: Engine) -> list[Any]:
    """New events into deliveries; answers the subscriptions that have one due now."""
    now = utcnow()
    store.fan_out(engine, now)
    return store.due_webhooks(engine, now)


def deliver(
    engine: Engine,
    webhook_id: Any,
    *,
    send: Sender = sending.send,
    lease: timedelta | None = None,
    budget: int = 100,
) -> int:
    """Send the subscription's due deliveries one after another, holding its lease; stops
    at the first that fails (it is retried later, and nothing after it overtakes it).
    Answers how many were delivered. Another worker holding the lease: nothing to do."""
    lease = lease or settings.lease()
    if not store.claim(engine, webhook_id, utcnow(), lease):
        return 0
    delivered = 0
    try:
        for _ in range(budget):
            due = store.next_due(engine, webhook_id, utcnow())
            if due is None:
                break
            outcome = send(
                due.url,
                due.secret,
                due.event,
                allow_private=settings.allow_private_targets(),
                timeout=settings.timeout_seconds(),
            )
            now = utcnow()
            if not outcome.ok:
                store.failed(
                    engine,
                    webhook_id,
                    due,
                    now,
                    outcome.error or "failed",
                    outcome.status,
                    outcome.latency_ms,
                )
                break
            store.succeeded(
                engine, webhook_id, due, now, outcome.status or 200, outcome.latency_ms or 0
            )
            delivered += 1
            store.renew(engine, webhook_id, now, lease)
    finally:
        store.release(engine, webhook_id)
    return delivered
