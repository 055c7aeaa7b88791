"""The life of a job the worker runs, whatever it does (an import, a workbook export):
its row is taken, kept alive by a heartbeat, sent again by the clock and ended by the
attempt that took it.

Each kind of job has a table with the same lifecycle columns (``id``, ``status``,
``attempts``, ``problem``, ``enqueued_at``, ``started_at``, ``finished_at``,
``created_at``) and a table of what it carries (an import's uploaded body, an export's
file) dropped when it fails. The worker's side runs across workspaces (it is handed a
job's id) in short transactions of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Table, delete, select, update

from domain.access import ActorKind
from domain.jobs import Job, JobStatus
from repositories import progress
from repositories.database import READ, WRITE, begin


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    connection, transaction = begin(engine, WRITE)
    with connection:
        yield connection
        transaction.commit()


class LostJob(RuntimeError):
    """Another worker took the job over: this one's work is rolled back."""


class JobTable:
    """One kind of job's rows, made its domain object (``kind``, a ``domain.jobs.Job``)
    and back; ``carried`` is the table of what the job carries, keyed by ``job_id``."""

    def __init__(self, jobs: Table, carried: Table, kind: type[Job]) -> None:
        self.jobs, self.carried, self.kind = jobs, carried, kind
        self.c = jobs.c

    def to_job(self, row: Any) -> Any:
        """The job a row holds; its lifecycle enums are kept as plain strings."""
        values = dict(row._mapping)
        values["status"] = JobStatus(values["status"])
        values["actor_kind"] = ActorKind(values["actor_kind"])
        return self.kind(**values)

    def row(self, job: Job) -> dict[str, Any]:
        """The values of the job's row: every column, by the attribute of its name."""
        return {column.name: getattr(job, column.name) for column in self.jobs.columns}

    def load(self, engine: Engine, job_id: Any) -> Any | None:
        connection, _ = begin(engine, READ)
        with connection:
            row = connection.execute(select(self.jobs).where(self.c.id == job_id)).first()
        return self.to_job(row) if row else None

    def alive(self, engine: Engine, job: Any, now: datetime, lease: timedelta) -> bool:
        """Whether a running job's worker wrote its heartbeat within the lease."""
        beat = progress.read(engine, job.id)
        reference = beat.beat_at if beat and beat.attempt == job.attempts else job.started_at
        return reference is not None and reference > now - lease

    def claim(self, engine: Engine, job: Any, now: datetime) -> Any | None:
        """Take the job as it was read: one more attempt, running. Someone who took it
        meanwhile (the attempts moved on) keeps it; then this answers None."""
        c = self.c
        with writing(engine) as connection:
            taken = connection.execute(
                update(self.jobs)
                .where(c.id == job.id, c.attempts == job.attempts, c.status == job.status.value)
                .values(status=JobStatus.RUNNING, attempts=job.attempts + 1, started_at=now)
            )
        if taken.rowcount != 1:
            return None
        job.status, job.attempts, job.started_at = JobStatus.RUNNING, job.attempts + 1, now
        return job

    def ended(self, connection: Connection, job: Any, **values: Any) -> None:
        """In the transaction that keeps the job's work: the job succeeded exactly if its
        work is kept. Another worker that took the job meanwhile (this one was thought
        dead) wins: this transaction then fails and keeps nothing."""
        c = self.c
        done = connection.execute(
            update(self.jobs)
            .where(c.id == job.id, c.attempts == job.attempts, c.status == JobStatus.RUNNING)
            .values(status=JobStatus.SUCCEEDED, **values)
        )
        if done.rowcount != 1:
            raise LostJob(job.id)
        job.status = JobStatus.SUCCEEDED

    def fail(self, engine: Engine, job: Any, problem: dict[str, Any], now: datetime) -> bool:
        """End the job as failed (its work was rolled back) and drop what it carries;
        answers whether this worker still held it."""
        c = self.c
        with writing(engine) as connection:
            done = connection.execute(
                update(self.jobs)
                .where(c.id == job.id, c.attempts == job.attempts)
                .values(status=JobStatus.FAILED, problem=problem, finished_at=now)
            )
            if done.rowcount == 1:
                connection.execute(delete(self.carried).where(self.carried.c.job_id == job.id))
        return done.rowcount == 1

    def enqueued(self, engine: Engine, job: Any, now: datetime) -> bool:
        """Note that the job was put on the broker again; answers False when someone else
        did so meanwhile (then this one does not)."""
        c = self.c
        with writing(engine) as connection:
            done = connection.execute(
                update(self.jobs)
                .where(c.id == job.id, c.enqueued_at == job.enqueued_at)
                .values(enqueued_at=now)
            )
        return done.rowcount == 1

    def unfinished(self, engine: Engine) -> list[Any]:
        """Jobs queued or running: the clock looks at each (a lost message, a dead worker)."""
        connection, _ = begin(engine, READ)
        with connection:
            return list(
                connection.execute(
                    select(self.c.id)
                    .where(self.c.status.in_([JobStatus.QUEUED.value, JobStatus.RUNNING.value]))
                    .order_by(self.c.created_at)
                ).scalars()
            )
