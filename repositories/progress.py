"""Where a running import job's progress and heartbeat are written: beside the import's
transaction, never in it, so a poller sees them while the import stays all or nothing.

On PostgreSQL that is the ``import_progress`` table of the database itself. SQLite has
one writer at a time, and while a job runs that writer is the import (it holds the
write lock until it commits), so there the table lives in a small SQLite file beside the
database: the same rows, written without waiting for the import. SQLite serves one
machine, so every process that reads the database also reads that file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from repositories import tables as t
from repositories.database import READ, WRITE, begin

P = t.import_progress.c


@dataclass(frozen=True)
class Beat:
    attempt: int
    rows_read: int
    rows_applied: int
    bytes_read: int
    beat_at: datetime


def board(engine: Engine) -> Engine:
    """The engine whose ``import_progress`` table holds the progress of ``engine``'s jobs."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return engine
    return _beside(str(Path(database).resolve()) + "-progress")


@cache
def _beside(path: str) -> Engine:
    from repositories.database import make_engine  # the same setup as the database's

    engine = make_engine(f"sqlite:///{path}")
    t.import_progress.create(engine, checkfirst=True)
    return engine


def write(engine: Engine, job_id: Any, beat: Beat) -> None:
    values = {
        "attempt": beat.attempt,
        "rows_read": beat.rows_read,
        "rows_applied": beat.rows_applied,
        "bytes_read": beat.bytes_read,
        "beat_at": beat.beat_at,
    }
    target = board(engine)
    upsert = pg_insert if target.dialect.name == "postgresql" else sqlite_insert
    statement = upsert(t.import_progress).values(job_id=job_id, **values)
    statement = statement.on_conflict_do_update(index_elements=[P.job_id], set_=values)
    connection, transaction = begin(target, WRITE)
    with connection:
        connection.execute(statement)
        transaction.commit()


def read(engine: Engine, job_id: Any) -> Beat | None:
    connection, _ = begin(board(engine), READ)
    with connection:
        row = connection.execute(
            select(P.attempt, P.rows_read, P.rows_applied, P.bytes_read, P.beat_at).where(
                P.job_id == job_id
            )
        ).first()
    return Beat(**row._mapping) if row else None


def forget(engine: Engine, job_id: Any) -> None:
    connection, transaction = begin(board(engine), WRITE)
    with connection:
        connection.execute(delete(t.import_progress).where(P.job_id == job_id))
        transaction.commit()
