"""Running an import from the bytes of its file: the one path both a request (at once)
and the worker (a job) take, so a job reads, checks and applies a file exactly as the
synchronous import does, and reports alike.

The worker imports this module (and through it the readers and schemas of files); it
touches no request: nothing here reads Flask's request or answers HTTP.
"""

from __future__ import annotations

import json
from typing import IO
from uuid import UUID

import marshmallow as ma

from api.resources.imports.document import ProjectDocumentSchema
from api.resources.imports.readers import csv_rows, flat_errors, ndjson_rows
from api.resources.imports.schemas import COLUMNS, ROW_SCHEMAS
from api.resources.imports.workbook import rows_of_workbook
from domain.errors import RuleViolation
from domain.import_jobs import ImportJob, Progress
from domain.imports import Import, ImportFormat, RowKind, Tally
from domain.ports import UnitOfWork
from domain.services import imports as service
from domain.texts import _


def run(
    uow: UnitOfWork,
    source: ImportFormat,
    kind: RowKind | None,
    target_id: UUID | None,
    body: IO[bytes],
    *,
    dry_run: bool,
    job: ImportJob | None = None,
    progress: Progress | None = None,
) -> Import:
    """Import ``body`` (a document, a file of ``kind`` rows, or a workbook) into
    ``target_id``; a job's report takes its id and marks it succeeded."""
    if source is ImportFormat.DOCUMENT:
        return service.import_document(uow, document(body), dry_run=dry_run, job=job)
    if source is ImportFormat.WORKBOOK:
        assert target_id is not None
        rows = rows_of_workbook(body)
        return service.import_workbook(
            uow, target_id, rows.services, rows.levels, dry_run=dry_run, job=job
        )
    assert kind is not None
    schema = ROW_SCHEMAS[kind]()
    row_file = (
        csv_rows(body, schema, COLUMNS[kind])
        if source is ImportFormat.CSV
        else ndjson_rows(body, schema)
    )
    return service.import_rows(
        uow, kind, target_id, row_file, format=source, dry_run=dry_run, job=job, progress=progress
    )


def document(body: IO[bytes]) -> dict:
    """The document, its form checked whole: every problem at its JSON pointer."""
    try:
        found = json.load(body)
    except (ValueError, UnicodeDecodeError) as error:
        message = _("Not a valid JSON document: {error}.", error=str(error))
        raise RuleViolation.on("body", message, "malformed") from None
    if not isinstance(found, dict):
        raise RuleViolation.on("body", _("The document must be a JSON object."), "malformed")
    try:
        return ProjectDocumentSchema().load(found)
    except ma.ValidationError as error:
        tally = Tally()
        for path, messages in flat_errors(error.messages).items():
            *parents, name = path.split(".")
            for says in messages:
                tally.problem("/" + "/".join(parents), name, says, "invalid")
        tally.check()
        raise
