"""Rendering workbook export jobs: take one, read the project in one snapshot with the
requester's rights, render the workbook in the requester's language, and keep the file
and the job's success in one transaction.

A worker killed mid-render keeps nothing (the file is written with the success); its
job stays ``running`` until the clock finds the heartbeat stopped and sends it again, as
for imports (``worker.jobs``).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from api.i18n import speaking
from api.resources.exports.workbook import filename, workbook
from domain.errors import DomainError
from domain.export_jobs import ExportJob, ExportWorkerLost
from domain.import_jobs import Unexpected
from domain.jobs import JobStatus
from domain.services.exchange import project_records
from repositories import export_jobs as store
from repositories.jobs import LostJob
from repositories.unit_of_work import SqlUnitOfWork
from worker import jobs, settings

log = logging.getLogger(__name__)


def run(
    engine: Engine, job_id: Any, *, lease: timedelta | None = None, every: float = 1.0
) -> JobStatus | None:
    """Render the job's workbook if no one else is: answers how it ended, or None when it
    was not taken (done already, unknown, or alive in another worker)."""
    lease = lease or settings.import_lease()
    job, status = jobs.take(engine, store.TABLE, job_id, lease, ExportWorkerLost)
    return _render(engine, job, every) if job is not None else status


def _render(engine: Engine, job: ExportJob, every: float) -> JobStatus | None:
    try:
        with jobs.Heartbeat(engine, job, every), speaking(job.language):
            uow = SqlUnitOfWork(engine, job.scope, write=False, snapshot=True)
            records = project_records(uow, job.project_id)
            store.store(engine, job, f"{filename(records)}.xlsx", workbook(records))
    except LostJob:
        return None
    except DomainError as error:  # the project deleted meanwhile, or no longer readable
        return jobs.failed(engine, store.TABLE, job, error)
    except DBAPIError:
        raise
    except Exception:
        log.exception("export job %s failed", job.id)
        return jobs.failed(engine, store.TABLE, job, Unexpected())
    return JobStatus.SUCCEEDED


def resume(engine: Engine, lease: timedelta | None = None) -> list[Any]:
    """Export jobs to run again (``worker.jobs.resume``)."""
    return jobs.resume(engine, store.TABLE, lease or settings.import_lease())
