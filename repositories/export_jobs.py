"""Workbook export jobs: kept by the request that asks for one, rendered and stored by
the worker, read back by id within the requester's workspace."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, insert, select

from domain.base import utcnow
from domain.export_jobs import ExportFile, ExportJob
from repositories import tables as t
from repositories.jobs import JobTable, writing

J, F = t.export_jobs.c, t.export_files.c


TABLE = JobTable(t.export_jobs, t.export_files, ExportJob)


class ExportJobRepository:
    """A unit of work's export jobs: of its workspace, and hidden from keys restricted to
    another organisation as the project is."""

    def __init__(self, uow: Any) -> None:
        self.uow = uow

    def add(self, job: ExportJob) -> None:
        self.uow.connection.execute(insert(t.export_jobs).values(**TABLE.row(job)))

    def _visible(self, query: Any) -> Any:
        scope = self.uow.scope
        query = query.where(J.workspace_id == scope.workspace_id)
        if scope.organisation_id is not None:
            query = query.where(J.organisation_id == scope.organisation_id)
        return query

    def find(self, job_id: Any) -> ExportJob | None:
        row = self.uow.connection.execute(
            self._visible(select(t.export_jobs).where(J.id == job_id))
        ).first()
        return TABLE.to_job(row) if row else None

    def file(self, job_id: Any) -> ExportFile | None:
        """The rendered workbook of a job that succeeded, in one statement."""
        row = self.uow.connection.execute(
            self._visible(
                select(J.filename, F.data)
                .select_from(t.export_jobs.join(t.export_files, F.job_id == J.id))
                .where(J.id == job_id)
            )
        ).first()
        return ExportFile(row.filename, bytes(row.data)) if row else None


def store(engine: Engine, job: ExportJob, filename: str, data: bytes) -> None:
    """The worker's end of a job: the file and the job's success in one transaction, so
    a succeeded job always has its file; an attempt no longer holding the job keeps
    nothing (``LostJob``)."""
    with writing(engine) as connection:
        TABLE.ended(connection, job, filename=filename, file_bytes=len(data), finished_at=utcnow())
        connection.execute(insert(t.export_files).values(job_id=job.id, data=data))
    job.filename, job.file_bytes = filename, len(data)
