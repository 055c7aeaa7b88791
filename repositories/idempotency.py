"""Stored first responses of POSTs sent with an ``Idempotency-Key``.

A claim is committed on its own before the request runs, so a concurrent retry sees it
and waits (409) instead of applying the change a second time. The transaction that applies
the change also marks the claim applied. Afterwards the request completes the claim with
its response (a success, or a refusal that came after a change was applied), or forgets
it when it was refused before it changed anything (a 4xx) or failed on our side (a 5xx).

A claim's ``created_at`` is when its lease began: a take-over renews it, and the release
of an applied claim ends it. A retry that finds a claim without a response cannot tell,
within the lease, whether its request is still running, and waits (409). Once the lease
is over (the request failed, the database went away, the worker was killed):
- not applied: the retry takes the claim over and runs;
- applied: the change happened, but its response is gone; the retry is told so (409)
  rather than applying the change again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from domain.access import Scope
from domain.base import utcnow
from repositories.database import reading
from repositories.tables import idempotency_records as records

LIFETIME = timedelta(hours=24)


@dataclass(frozen=True)
class Claim:
    """What claiming a key found: ``new`` (go ahead), ``replay``, ``running`` or ``mismatch``."""

    state: str  # new, replay, running, applied (without a kept response) or mismatch
    record_id: UUID | None = None
    status: int | None = None
    headers: dict[str, str] | None = None
    body: str | None = None


class IdempotencyStore:
    def __init__(self, engine: Engine, lease: timedelta) -> None:
        """``lease``: at least the longest a request may run (gunicorn's timeout)."""
        self.engine = engine
        self.lease = lease

    def claim(self, scope: Scope, key: str, fingerprint: str) -> Claim:
        with self.engine.begin() as connection:
            connection.execute(
                delete(records).where(
                    records.c.api_key_id == scope.actor_id,
                    records.c.key == key,
                    records.c.created_at < utcnow() - LIFETIME,
                )
            )
        record_id = uuid4()
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    insert(records).values(
                        id=record_id,
                        workspace_id=scope.workspace_id,
                        api_key_id=scope.actor_id,
                        key=key,
                        fingerprint=fingerprint,
                        created_at=utcnow(),
                    )
                )
            return Claim("new", record_id)
        except IntegrityError:
            pass
        with reading(self.engine) as connection:
            row = connection.execute(
                select(records).where(records.c.api_key_id == scope.actor_id, records.c.key == key)
            ).first()
        if row is None:  # expired and removed between our two statements: try once more
            return self.claim(scope, key, fingerprint)
        if row.fingerprint != fingerprint:
            return Claim("mismatch", row.id)
        if row.status is None:
            if row.created_at >= utcnow() - self.lease:  # its request may still be running
                return Claim("running", row.id)
            if row.applied_at is not None:
                return Claim("applied", row.id)
            return self._take_over(row.id) or Claim("running", row.id)
        return Claim("replay", row.id, row.status, row.headers, row.body)

    def _take_over(self, record_id: UUID) -> Claim | None:
        """The claim, renewed, when its lease ran out without a response; one retry wins."""
        now = utcnow()
        with self.engine.begin() as connection:
            taken = connection.execute(
                update(records)
                .where(
                    records.c.id == record_id,
                    records.c.status.is_(None),
                    records.c.applied_at.is_(None),
                    records.c.created_at < now - self.lease,
                )
                .values(created_at=now)
            ).rowcount
        return Claim("new", record_id) if taken == 1 else None

    def complete(self, record_id: UUID, status: int, headers: dict[str, Any], body: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(records)
                .where(records.c.id == record_id)
                .values(status=status, headers=json.loads(json.dumps(headers)), body=body)
            )

    def settle(self, record_id: UUID, status: int, headers: dict[str, Any], body: str) -> None:
        """A refusal (4xx): kept as the key's answer only if its request had applied a
        change before it was refused. Refused before any write (validation, a rule, a
        conflict), the claim is forgotten, so a corrected retry with the same key runs
        (Stripe's rule: a result is kept once the operation began changing data)."""
        with self.engine.begin() as connection:
            forgotten = connection.execute(
                delete(records).where(records.c.id == record_id, records.c.applied_at.is_(None))
            ).rowcount
        if not forgotten:
            self.complete(record_id, status, headers, body)

    def release(self, record_id: UUID) -> None:
        """The claim's request failed on our side with no response worth keeping.

        Not applied: the claim is forgotten, so the client may retry. Applied (it failed
        after its change was committed): the claim stays, and its lease ends now, so a
        retry is told at once that the change was applied rather than after the lease.
        """
        with self.engine.begin() as connection:
            connection.execute(
                delete(records).where(records.c.id == record_id, records.c.applied_at.is_(None))
            )
            connection.execute(
                update(records)
                .where(records.c.id == record_id, records.c.status.is_(None))
                .values(created_at=utcnow() - self.lease - timedelta(seconds=1))
            )


def mark_applied(connection: Connection, record_id: UUID) -> None:
    """In the transaction that applies the request's change: the claim's change happened."""
    connection.execute(update(records).where(records.c.id == record_id).values(applied_at=utcnow()))
