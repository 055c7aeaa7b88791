"""Imports as use cases: a file in, one report out, all or nothing."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.errors import RuleViolation
from domain.imports import Import, ImportFormat, Row, RowFile, RowKind, Tally
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
        for chunk in chunks(rows):
            rows_of_kind.apply(tally.well_formed(chunk), tally)
        return _finish(
            uow,
            tally,
            dry_run,
            format=format,
            kind=kind.value,
            target_id=target_id,
            organisation_id=rows_of_kind.organisation_id,
            encoding=rows.encoding,
            delimiter=rows.delimiter,
        )


def _finish(uow: UnitOfWork, tally: Tally, dry_run: bool, **report: Any) -> Import:
    """Reject a bad file; otherwise keep the report. A dry run keeps only its report (the
    id it answers stays readable, saying ``dry_run``): what it wrote is rolled back."""
    tally.check()
    if not tally.items:
        raise RuleViolation.on("body", _("The file holds nothing to import."), "empty")
    if dry_run:
        uow.rollback()
        _forget_what_was_not_made(uow, report)
    result = tally.report(dry_run=dry_run, actor_id=uow.scope.actor_id, **report)
    uow.imports.add(result)
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
            format=ImportFormat.WORKBOOK,
            target_id=project_id,
            organisation_id=organisation_id,
        )


def get_import(uow: UnitOfWork, import_id: UUID) -> Import:
    with uow:
        return uow.imports.get(import_id)


def import_document(uow: UnitOfWork, document: dict[str, Any], *, dry_run: bool = False) -> Import:
    with uow:
        tally = Tally()
        project = read_document(uow, document, tally)
        return _finish(
            uow,
            tally,
            dry_run,
            format=ImportFormat.DOCUMENT,
            target_id=project.id if project else None,
            organisation_id=project.organisation_id if project else None,
        )
