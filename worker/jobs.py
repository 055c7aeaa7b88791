"""What every kind of job shares on the worker: taking one (once, however often its
message arrives), a heartbeat beside its work, and the clock's look for jobs to send
again (their worker died, or their message was lost).

Taking a job moves its attempt on, and only the attempt that took it may end it, so a
message delivered twice never runs a job twice. A job cut off MAX_ATTEMPTS times fails:
it is what kills its workers.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from domain.base import utcnow
from domain.errors import DomainError
from domain.import_jobs import problem_data
from domain.jobs import MAX_ATTEMPTS, JobStatus
from repositories import progress
from repositories.jobs import JobTable

log = logging.getLogger(__name__)


class Heartbeat:
    """The job's progress, written out every ``every`` seconds (and at once when it
    starts) by a thread of its own, so a long step of the job still beats. ``bytes_read``
    says how far an import has read its body; other jobs tell rows or nothing."""

    def __init__(
        self,
        engine: Engine,
        job: Any,
        every: float,
        bytes_read: Callable[[], int] = lambda: 0,
    ) -> None:
        self.engine, self.job, self.every, self.bytes_read = engine, job, every, bytes_read
        self.rows_read = self.rows_applied = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"job-{job.id}", daemon=True)

    def read(self, rows: int) -> None:
        self.rows_read = rows

    def applied(self, rows: int) -> None:
        self.rows_applied = rows

    def beat(self) -> None:
        beat = progress.Beat(
            self.job.attempts, self.rows_read, self.rows_applied, self.bytes_read(), utcnow()
        )
        try:
            progress.write(self.engine, self.job.id, beat)
        except DBAPIError as error:  # a missed beat is not a failed job
            log.warning("job %s: progress not written: %s", self.job.id, error)

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
        progress.forget(self.engine, self.job.id)


def take(
    engine: Engine,
    table: JobTable,
    job_id: Any,
    lease: timedelta,
    lost: Callable[[int], DomainError],
) -> tuple[Any | None, JobStatus | None]:
    """The job, taken for this worker, or None and how it stands: done, unknown or alive
    in another worker (None), or just failed for being cut off too often (FAILED, with
    the ``lost`` error)."""
    now = utcnow()
    job = table.load(engine, UUID(str(job_id)))
    if job is None or job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED):
        return None, None
    if job.status is JobStatus.RUNNING and table.alive(engine, job, now, lease):
        return None, None
    if job.attempts >= MAX_ATTEMPTS:
        table.fail(engine, job, problem_data(lost(job.attempts)), now)
        return None, JobStatus.FAILED
    return table.claim(engine, job, now), None


def failed(engine: Engine, table: JobTable, job: Any, error: DomainError) -> JobStatus | None:
    """End the job failed with ``error``; None when another attempt holds it now."""
    return JobStatus.FAILED if table.fail(engine, job, problem_data(error), utcnow()) else None


def resume(engine: Engine, table: JobTable, lease: timedelta) -> list[Any]:
    """Jobs to run again: running without a heartbeat within the lease (their worker
    died), or queued a lease after their message was sent (it was lost, or waits behind
    long jobs: then the copy costs a look). Each is sent again at most once a lease."""
    now: datetime = utcnow()
    found = []
    for job_id in table.unfinished(engine):
        job = table.load(engine, job_id)
        if job is None:
            continue
        dead = job.status is JobStatus.RUNNING and not table.alive(engine, job, now, lease)
        lost = job.status is JobStatus.QUEUED
        sent_long_ago = job.enqueued_at < now - lease
        if (dead or lost) and sent_long_ago and table.enqueued(engine, job, now):
            found.append(job_id)
    return found
