"""Running import jobs: take one, apply its file in one transaction exactly as the
synchronous import does, and end it succeeded or failed; meanwhile a heartbeat thread
writes its progress beside that transaction.

A worker killed mid-job leaves the job ``running`` with its transaction rolled back by
the database, so nothing of it is kept. Celery redelivers the message when a pool process
dies (``acks_late``, ``reject_on_worker_lost``), but a worker killed whole may take its
unacknowledged message with it (kombu's SQLite transport holds it in memory), so the
clock does not rely on that: ``resume`` runs again every job whose heartbeat stopped for
longer than ``IMPORT_LEASE_SECONDS``, and every job left queued that long (its message
lost). Taking, the heartbeat and resuming are every job's (``worker.jobs``).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from api.resources.imports import running
from domain.errors import DomainError, RuleViolation
from domain.import_jobs import ImportJob, Unexpected, WorkerLost
from domain.imports import RowKind
from domain.jobs import JobStatus
from domain.texts import _
from repositories import import_jobs as store
from repositories.jobs import LostJob
from repositories.unit_of_work import SqlUnitOfWork
from worker import jobs, settings

__all__ = ["JobStatus", "resume", "run"]

log = logging.getLogger(__name__)


def run(
    engine: Engine, job_id: Any, *, lease: timedelta | None = None, every: float = 1.0
) -> JobStatus | None:
    """Run the job if no one else is: answers how it ended, or None when it was not taken
    (done already, unknown, or alive in another worker)."""
    lease = lease or settings.import_lease()
    job, status = jobs.take(engine, store.TABLE, job_id, lease, WorkerLost)
    return _apply(engine, job, every) if job is not None else status


def _apply(engine: Engine, job: ImportJob, every: float) -> JobStatus | None:
    stream = store.UploadStream(engine, job.id)
    try:
        with jobs.Heartbeat(engine, job, every, lambda: stream.bytes_read) as heartbeat:
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
    except LostJob:
        return None  # another worker took it over and ends it
    except DomainError as error:
        return jobs.failed(engine, store.TABLE, job, error)
    except RecursionError:  # a document nested thousands deep: the file is wrong
        message = _("The request body is not valid JSON: it is nested too deeply.")
        return jobs.failed(engine, store.TABLE, job, RuleViolation.on("body", message, "malformed"))
    except DBAPIError:
        raise  # the database failed: the job stays running and is taken up again later
    except Exception:
        log.exception("import job %s failed", job.id)
        return jobs.failed(engine, store.TABLE, job, Unexpected())
    return JobStatus.SUCCEEDED


def resume(engine: Engine, lease: timedelta | None = None) -> list[Any]:
    """Import jobs to run again (``worker.jobs.resume``)."""
    return jobs.resume(engine, store.TABLE, lease or settings.import_lease())
