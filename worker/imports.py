"""Running import jobs: take one, apply its file in one transaction exactly as the
synchronous import does, and end it succeeded or failed; meanwhile a heartbeat thread
writes its progress beside that transaction.

A worker killed mid-job leaves the job ``running`` with its transaction rolled back by
the database, so nothing of it is kept. Celery redelivers the message when a pool process
dies (``acks_late``, ``reject_on_worker_lost``), but a worker killed whole may take its
unacknowledged message with it (kombu's SQLite transport holds it in memory), so the
clock does not rely on that: ``resume`` runs again every job whose heartbeat stopped for
longer than ``IMPORT_LEASE_SECONDS``, and every job left queued that long (its message
lost). Taking a job moves its attempt on, and only the attempt that took it may end it,
so a message delivered twice never runs a job twice. A job cut off MAX_ATTEMPTS times
fails: it is what kills its workers.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from api.resources.imports import running
from domain.base import utcnow
from domain.errors import DomainError, RuleViolation
from domain.import_jobs import (
    MAX_ATTEMPTS,
    ImportJob,
    JobStatus,
    Unexpected,
    WorkerLost,
    problem_data,
)
from domain.imports import RowKind
from domain.texts import _
from repositories import import_jobs as store
from repositories import progress
from repositories.unit_of_work import SqlUnitOfWork
from worker import settings

log = logging.getLogger(__name__)


class Heartbeat:
    """The job's progress as the import reports it, written out every ``every`` seconds
    (and at once when it starts) by a thread of its own, so a long step of the import (a
    document read whole, one large chunk) still beats."""

    def __init__(
        self, engine: Engine, job: ImportJob, stream: store.UploadStream, every: float
    ) -> None:
        self.engine, self.job, self.stream, self.every = engine, job, stream, every
        self.rows_read = self.rows_applied = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"import-{job.id}", daemon=True)

    def read(self, rows: int) -> None:
        self.rows_read = rows

    def applied(self, rows: int) -> None:
        self.rows_applied = rows

    def beat(self) -> None:
        beat = progress.Beat(
            self.job.attempts, self.rows_read, self.rows_applied, self.stream.bytes_read, utcnow()
        )
        try:
            progress.write(self.engine, self.job.id, beat)
        except DBAPIError as error:  # a missed beat is not a failed import
            log.warning("import job %s: progress not written: %s", self.job.id, error)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.beat()

    def __enter__(self) -> Heartbeat:
        self.beat()
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def run(
    engine: Engine, job_id: Any, *, lease: timedelta | None = None, every: float = 1.0
) -> JobStatus | None:
    """Run the job if no one else is: answers how it ended, or None when it was not taken
    (done already, unknown, or alive in another worker)."""
    lease = lease or settings.import_lease()
    now = utcnow()
    job = store.load(engine, UUID(str(job_id)))
    if job is None or job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED):
        return None
    if job.status is JobStatus.RUNNING and store.alive(engine, job, now, lease):
        return None
    if job.attempts >= MAX_ATTEMPTS:
        store.fail(engine, job, problem_data(WorkerLost(job.attempts)), now)
        return JobStatus.FAILED
    taken = store.claim(engine, job, now)
    if taken is None:
        return None
    return _apply(engine, taken, every)


def _apply(engine: Engine, job: ImportJob, every: float) -> JobStatus | None:
    stream = store.UploadStream(engine, job.id)
    try:
        with Heartbeat(engine, job, stream, every) as heartbeat:
            running.run(
                SqlUnitOfWork(engine, job.scope),
                job.format,
                RowKind(job.kind) if job.kind else None,
                job.target_id,
                stream,
                dry_run=job.dry_run,
                job=job,
                progress=heartbeat,
            )
    except store.LostJob:
        return None  # another worker took it over and ends it
    except DomainError as error:
        return _failed(engine, job, error)
    except RecursionError:  # a document nested thousands deep: the file is wrong
        message = _("The request body is not valid JSON: it is nested too deeply.")
        return _failed(engine, job, RuleViolation.on("body", message, "malformed"))
    except DBAPIError:
        raise  # the database failed: the job stays running and is taken up again later
    except Exception:
        log.exception("import job %s failed", job.id)
        return _failed(engine, job, Unexpected())
    finally:
        progress.forget(engine, job.id)
    return JobStatus.SUCCEEDED


def _failed(engine: Engine, job: ImportJob, error: DomainError) -> JobStatus | None:
    return JobStatus.FAILED if store.fail(engine, job, problem_data(error), utcnow()) else None


def resume(engine: Engine, lease: timedelta | None = None) -> list[Any]:
    """Jobs to run again: running without a heartbeat within the lease (their worker
    died), or queued a lease after their message was sent (it was lost, or waits behind
    long jobs: then the copy costs a look). Each is sent again at most once a lease."""
    lease = lease or settings.import_lease()
    now = utcnow()
    found = []
    for job_id in store.unfinished(engine):
        job = store.load(engine, job_id)
        if job is None:
            continue
        dead = job.status is JobStatus.RUNNING and not store.alive(engine, job, now, lease)
        lost = job.status is JobStatus.QUEUED
        sent_long_ago = job.enqueued_at < now - lease
        if (dead or lost) and sent_long_ago and store.enqueued(engine, job, now):
            found.append(job_id)
    return found
