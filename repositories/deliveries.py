"""The worker's side of webhooks: events fanned out to subscriptions, and each delivery's
tries recorded. Runs across workspaces (an operator task), in short transactions: no
transaction is open while a receiver is called."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import Connection, Engine, insert, or_, select, update

from domain.events import Event
from domain.webhooks import GIVE_UP_AFTER, Webhook, next_wait
from repositories import tables as t
from repositories.database import WRITE, begin
from repositories.outbox import UNLISTED, event_columns

W, D = t.webhooks.c, t.webhook_deliveries.c


@contextmanager
def _writing(engine: Engine) -> Iterator[Connection]:
    connection, transaction = begin(engine, WRITE)
    try:
        yield connection
        transaction.commit()
    finally:
        connection.close()


def fan_out(engine: Engine, now: datetime, batch: int = 1000) -> int:
    """Turn new events into pending deliveries of each enabled subscription that wants
    them; each subscription's cursor moves in the same transaction. Answers how many."""
    with _writing(engine) as connection:
        subscriptions = connection.execute(
            select(W.id, W.workspace_id, W.event_types, W.organisation_id, W.cursor, W.url).where(
                W.enabled.is_(True)
            )
        ).all()
    made = 0
    for sub in subscriptions:
        webhook = Webhook(
            id=sub.id,
            url=sub.url,
            event_types=sub.event_types,
            organisation_id=sub.organisation_id,
            cursor=sub.cursor,
        )
        with _writing(engine) as connection:
            c = t.events.c
            rows = connection.execute(
                select(*(c[n] for n in event_columns()))
                .where(
                    c.workspace_id == sub.workspace_id,
                    c.position > sub.cursor,
                    c.entity_type.not_in(UNLISTED),
                )
                .order_by(c.position)
                .limit(batch)
            ).all()
            if not rows:
                continue
            events = [Event(**r._mapping) for r in rows]
            wanted = [e for e in events if webhook.wants(e)]
            moved = connection.execute(
                update(t.webhooks)
                .where(W.id == sub.id, W.cursor == sub.cursor)
                .values(cursor=events[-1].position)
            )
            if moved.rowcount != 1:
                continue  # another worker fanned these out meanwhile: this one writes nothing
            if wanted:
                connection.execute(
                    insert(t.webhook_deliveries),
                    [
                        {
                            "id": uuid4(),
                            "workspace_id": sub.workspace_id,
                            "webhook_id": sub.id,
                            "event_id": e.id,
                            "position": e.position,
                            "event_type": e.type,
                            "status": "pending",
                            "attempts": 0,
                            "next_attempt_at": now,
                            "created_at": now,
                        }
                        for e in wanted
                    ],
                )
            made += len(wanted)
    return made


def due_webhooks(engine: Engine, now: datetime) -> list[UUID]:
    """Enabled subscriptions, not being delivered to, whose oldest pending delivery is due."""
    with _writing(engine) as connection:
        rows = connection.execute(
            select(W.id).where(
                W.enabled.is_(True),
                or_(W.leased_until.is_(None), W.leased_until < now),
                select(D.id)
                .where(D.webhook_id == W.id, D.status == "pending", D.next_attempt_at <= now)
                .exists(),
            )
        )
        return [r.id for r in rows]


def claim(engine: Engine, webhook_id: Any, now: datetime, lease: timedelta) -> bool:
    """Take (or renew) the subscription for ``lease``: one deliverer at a time keeps its
    events in order. A worker killed while holding it loses it when the lease runs out."""
    with _writing(engine) as connection:
        taken = connection.execute(
            update(t.webhooks)
            .where(W.id == webhook_id, W.enabled.is_(True))
            .where(or_(W.leased_until.is_(None), W.leased_until < now))
            .values(leased_until=now + lease)
        )
        return taken.rowcount == 1


def renew(engine: Engine, webhook_id: Any, now: datetime, lease: timedelta) -> None:
    with _writing(engine) as connection:
        connection.execute(
            update(t.webhooks).where(W.id == webhook_id).values(leased_until=now + lease)
        )


def release(engine: Engine, webhook_id: Any) -> None:
    with _writing(engine) as connection:
        connection.execute(update(t.webhooks).where(W.id == webhook_id).values(leased_until=None))


@dataclass(frozen=True)
class Due:
    """The next delivery of a subscription, with what it takes to send it."""

    delivery_id: UUID
    workspace_id: UUID
    attempts: int
    url: str
    secret: str
    event: Event


def next_due(engine: Engine, webhook_id: Any, now: datetime) -> Due | None:
    """The subscription's oldest pending delivery, if it is due: a later one never
    overtakes it, so a receiver gets each subscription's events in order."""
    c = t.events.c
    with _writing(engine) as connection:
        row = connection.execute(
            select(
                D.id.label("delivery_id"),
                D.workspace_id,
                D.attempts,
                D.next_attempt_at,
                W.url,
                W.secret,
                W.enabled,
                *(c[n].label(f"e_{n}") for n in event_columns()),
            )
            .join(t.webhooks, W.id == D.webhook_id)
            .join(t.events, c.id == D.event_id)
            .where(D.webhook_id == webhook_id, D.status == "pending")
            .order_by(D.position)
            .limit(1)
        ).first()
    if row is None or not row.enabled or row.next_attempt_at > now:
        return None
    event = Event(**{n: row._mapping[f"e_{n}"] for n in event_columns()})
    return Due(row.delivery_id, row.workspace_id, row.attempts, row.url, row.secret, event)


def _attempted(
    connection: Connection,
    webhook_id: Any,
    due: Due,
    now: datetime,
    *,
    status: str,
    status_code: int | None,
    latency_ms: int | None,
    error: str | None = None,
    next_attempt_at: datetime | None = None,
) -> None:
    """The try, in the history and in where its delivery stands, in one transaction."""
    number = due.attempts + 1
    connection.execute(
        insert(t.webhook_attempts).values(
            id=uuid4(),
            workspace_id=due.workspace_id,
            webhook_id=webhook_id,
            delivery_id=due.delivery_id,
            number=number,
            attempted_at=now,
            status=status,
            status_code=status_code,
            latency_ms=latency_ms,
            error=error[:500] if error else None,
            next_attempt_at=next_attempt_at,
        )
    )
    delivered = status == "succeeded"
    connection.execute(
        update(t.webhook_deliveries)
        .where(D.id == due.delivery_id)
        .values(
            status=status if delivered or next_attempt_at is None else "pending",
            attempts=number,
            last_attempt_at=now,
            next_attempt_at=next_attempt_at,
            **({"delivered_at": now} if delivered else {}),
        )
    )


def succeeded(
    engine: Engine, webhook_id: Any, due: Due, now: datetime, status: int, latency_ms: int
) -> None:
    with _writing(engine) as connection:
        _attempted(
            connection,
            webhook_id,
            due,
            now,
            status="succeeded",
            status_code=status,
            latency_ms=latency_ms,
        )
        connection.execute(update(t.webhooks).where(W.id == webhook_id).values(failing_since=None))


def failed(
    engine: Engine,
    webhook_id: Any,
    due: Due,
    now: datetime,
    error: str,
    status: int | None,
    latency_ms: int | None,
) -> bool:
    """Schedule the next try; a subscription failing for a day is disabled, saying why.
    Answers whether it was disabled."""
    with _writing(engine) as connection:
        since = connection.scalar(select(W.failing_since).where(W.id == webhook_id)) or now
        give_up = now - since >= GIVE_UP_AFTER
        _attempted(
            connection,
            webhook_id,
            due,
            now,
            status="failed",
            status_code=status,
            latency_ms=latency_ms,
            error=error,
            next_attempt_at=None if give_up else now + next_wait(due.attempts + 1),
        )
        values: dict[str, Any] = {"failing_since": since}
        if give_up:
            values.update(
                enabled=False,
                version=W.version + 1,  # a change the admin sees: their ETag is stale now
                updated_at=now,
                leased_until=None,
                disabled_reason=(
                    f"Disabled at {now.isoformat(timespec='seconds')}: every delivery failed "
                    f"since {since.isoformat(timespec='seconds')}; the last one: {error}"
                )[:500],
            )
        connection.execute(update(t.webhooks).where(W.id == webhook_id).values(**values))
        return give_up
