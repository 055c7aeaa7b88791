"""Stored first responses of POSTs sent with an ``Idempotency-Key``.

A claim is committed on its own before the request runs, so a concurrent retry sees it
and waits (409) instead of applying the change a second time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from domain.access import Scope
from domain.base import utcnow
from repositories.tables import idempotency_records as records

LIFETIME = timedelta(hours=24)


@dataclass(frozen=True)
class Claim:
    """What claiming a key found: ``new`` (go ahead), ``replay``, ``running`` or ``mismatch``."""

    state: str
    record_id: UUID | None = None
    status: int | None = None
    headers: dict[str, str] | None = None
    body: str | None = None


class IdempotencyStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

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
        with self.engine.connect() as connection:
            row = connection.execute(
                select(records).where(records.c.api_key_id == scope.actor_id, records.c.key == key)
            ).first()
        if row is None:  # expired and removed between our two statements: try once more
            return self.claim(scope, key, fingerprint)
        if row.fingerprint != fingerprint:
            return Claim("mismatch", row.id)
        if row.status is None:
            return Claim("running", row.id)
        return Claim("replay", row.id, row.status, row.headers, row.body)

    def complete(self, record_id: UUID, status: int, headers: dict[str, Any], body: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(records)
                .where(records.c.id == record_id)
                .values(status=status, headers=json.loads(json.dumps(headers)), body=body)
            )

    def release(self, record_id: UUID) -> None:
        """Forget a claim whose request failed on our side, so the client may retry."""
        with self.engine.begin() as connection:
            connection.execute(delete(records).where(records.c.id == record_id))
