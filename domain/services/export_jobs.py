"""Asking for a project's workbook as a job, and following it to its file."""

from __future__ import annotations

from uuid import UUID

from domain.errors import Conflict, NotFound
from domain.export_jobs import ExportFile, ExportJob
from domain.ports import UnitOfWork
from domain.texts import _


def submit_export(uow: UnitOfWork, project_id: UUID, language: str) -> ExportJob:
    """Keep a job for the worker. The project is looked up now, so one that is not there
    (or not the caller's to read) is told at once, with no job."""
    with uow:
        project = uow.projects.get(project_id)
        scope = uow.scope
        job = ExportJob(
            workspace_id=scope.workspace_id,
            project_id=project.id,
            organisation_id=project.organisation_id,
            language=language,
            actor_id=scope.actor_id,
            actor_kind=scope.actor_kind,
            scope_organisation_id=scope.organisation_id,
        )
        uow.export_jobs.add(job)
        uow.commit()
    return job


def get_export(uow: UnitOfWork, job_id: UUID) -> ExportJob:
    with uow:
        job = uow.export_jobs.find(job_id)
    if job is None:
        raise NotFound("export", job_id)
    return job


def export_file(uow: UnitOfWork, job_id: UUID) -> ExportFile:
    """The workbook of a job that succeeded; a job still running (or failed) has none."""
    with uow:
        found = uow.export_jobs.file(job_id)
        job = uow.export_jobs.find(job_id) if found is None else None
    if found is not None:
        return found
    if job is None:
        raise NotFound("export", job_id)
    message = _("The export has no file: its status is {status}.", status=job.status.value)
    raise Conflict(message, "export-not-ready")
