"""Imports as use cases: a file in, one report out, all or nothing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from domain.base import ListQuery, Page
from domain.errors import NotFound, RuleViolation
from domain.import_jobs import ImportJob, ImportStatus, NoProgress, Progress
from domain.imports import Import, ImportedItem, ImportFormat, Row, RowFile, RowKind, Tally
from domain.ports import UnitOfWork
from domain.services.document_imports import read_document
from domain.services.row_imports import ROW_KINDS, LevelRows, ServiceRows, chunks
from domain.texts import _


def import_rows(
    uow: UnitOfWork,
    kind: RowKind,
    target_id: UUID | None,
    rows: RowFile,
    *,
    format: ImportFormat,
    dry_run: bool = False,
    job: ImportJob | None = None,
    progress: Progress | None = None,
) -> Import:
    """Upsert a file of one kind of row, chunk by chunk, in one transaction.

    Every row is checked, even after a bad one, so the caller learns every problem at
    once; a single problem rejects the file and the transaction is rolled back. A dry run
    goes all the way and rolls back too, so it reports exactly what the import would do
    (and keeps only that report).
    """
    with uow:
        rows_of_kind = ROW_KINDS[kind](uow, target_id)
        tally = Tally()
        progress = progress or NoProgress()
        read = 0
        for chunk in chunks(rows):
            read += len(chunk)
            progress.read(read)
            rows_of_kind.apply(tally.well_formed(chunk), tally)
            progress.applied(len(tally.items))
        return _finish(
            uow,
            tally,
            dry_run,
            job,
            read,
            format=format,
            kind=kind.value,
            target_id=target_id,
            organisation_id=rows_of_kind.organisation_id,
            encoding=rows.encoding,
            delimiter=rows.delimiter,
        )


def _finish(
    uow: UnitOfWork,
    tally: Tally,
    dry_run: bool,
    job: ImportJob | None,
    read: int,
    **report: Any,
) -> Import:
    """Reject a bad file; otherwise keep the report. A dry run keeps only its report (the
    id it answers stays readable, saying ``dry_run``): what it wrote is rolled back.

    A job's report takes the job's id, and the job is marked succeeded in the same
    transaction as its rows: either both are kept or neither is."""
    tally.check()
    if not tally.items:
        raise RuleViolation.on("body", _("The file holds nothing to import."), "empty")
    if dry_run:
        uow.rollback()
        _forget_what_was_not_made(uow, report)
    if job is not None:
        report["id"] = job.id
    result = tally.report(dry_run=dry_run, actor_id=uow.scope.actor_id, **report)
    uow.imports.add(result)
    if job is not None:
        uow.import_jobs.succeed(job, rows_read=read, rows_applied=len(tally.items))
    uow.commit()
    return result


def _forget_what_was_not_made(uow: UnitOfWork, report: dict[str, Any]) -> None:
    """A dry run of a document may have made the project, or its organisation, it names:
    rolled back, they are not there to be named by the report."""
    if report.get("organisation_id") and not uow.organisations.find(report["organisation_id"]):
        report["organisation_id"] = None
    maybe_new = report["format"] is ImportFormat.DOCUMENT and report.get("target_id")
    if maybe_new and not uow.projects.find(report["target_id"]):
        report["target_id"] = None


def import_workbook(
    uow: UnitOfWork,
    project_id: UUID,
    services: list[Row],
    levels: list[Row],
    *,
    dry_run: bool = False,
    job: ImportJob | None = None,
) -> Import:
    """An export workbook edited in a spreadsheet program, read back as an update of the
    project it came from: its Services and Matrix sheets, matched by name, ref and code."""
    with uow:
        tally = Tally()
        organisation_id = None  # the project's, as the row kinds that ran read it
        for rows_of_kind, rows in ((ServiceRows, services), (LevelRows, levels)):
            good = tally.well_formed(rows)
            if good:
                applied = rows_of_kind(uow, project_id)
                applied.apply(good, tally)
                organisation_id = applied.organisation_id
        return _finish(
            uow,
            tally,
            dry_run,
            job,
            len(services) + len(levels),
            format=ImportFormat.WORKBOOK,
            target_id=project_id,
            organisation_id=organisation_id,
        )


def get_import(uow: UnitOfWork, import_id: UUID) -> ImportStatus:
    """An import's state: a job's as it runs, and its report once applied (a synchronous
    import, answered when it was done, has only its report)."""
    with uow:
        job = uow.import_jobs.find(import_id)
        report = uow.imports.find(import_id)
    if job is None and report is None:
        raise NotFound("import", import_id)
    if job is None:
        assert report is not None
        return ImportStatus.of_report(report)
    return ImportStatus.of_job(job, report)


def import_items(uow: UnitOfWork, import_id: UUID, query: ListQuery) -> Page[ImportedItem]:
    """An import's item outcomes a page at a time (a job's may be 100,000 of them)."""
    with uow:
        report = uow.imports.find(import_id)
        if report is None:
            if uow.import_jobs.find(import_id) is None:
                raise NotFound("import", import_id)
            return Page([], 0)  # not applied (yet): no outcomes
    start = query.page.offset
    return Page(report.items[start : start + query.page.page_size], len(report.items))


def submit_import(
    uow: UnitOfWork,
    format: ImportFormat,
    kind: RowKind | None,
    target_id: UUID | None,
    body: Iterable[bytes],
    *,
    dry_run: bool = False,
) -> ImportJob:
    """Keep a job and its body for the worker. Its target is checked now, so a file sent
    to an organisation or project that is not there (or not editable) is told so at once."""
    with uow:
        scope = uow.scope
        organisation_id: UUID | None = scope.organisation_id  # a document: the key's own
        if format is ImportFormat.WORKBOOK:
            assert target_id is not None
            organisation_id = ServiceRows(uow, target_id).organisation_id
        elif format is not ImportFormat.DOCUMENT:
            assert kind is not None
            organisation_id = ROW_KINDS[kind](uow, target_id).organisation_id
        job = ImportJob(
            workspace_id=scope.workspace_id,
            format=format,
            kind=kind.value if kind else None,
            target_id=target_id,
            organisation_id=organisation_id,
            dry_run=dry_run,
            actor_id=scope.actor_id,
            actor_kind=scope.actor_kind,
            scope_organisation_id=scope.organisation_id,
        )
        uow.import_jobs.add(job, body)
        uow.commit()
    return job


def import_document(
    uow: UnitOfWork,
    document: dict[str, Any],
    *,
    dry_run: bool = False,
    job: ImportJob | None = None,
) -> Import:
    with uow:
        tally = Tally()
        project = read_document(uow, document, tally)
        return _finish(
            uow,
            tally,
            dry_run,
            job,
            len(tally.items),
            format=ImportFormat.DOCUMENT,
            target_id=project.id if project else None,
            organisation_id=project.organisation_id if project else None,
        )
