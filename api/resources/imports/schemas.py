"""The shapes of imports: the query of an upload, each kind of row, and the report."""

from __future__ import annotations

import re
from typing import Any

import marshmallow as ma

from api.extensions import ProblemSchema, Schema
from api.fields import BatchResultSchema, EntitySchema, Text
from api.resources.competences.schemas import Code
from api.resources.imports.readers import DELIMITERS, ENCODINGS
from domain.import_jobs import ImportStatus
from domain.imports import ImportFormat, Outcome, RowKind
from domain.jobs import JobStatus
from domain.matrix import LevelSource

# The column set of each kind, in the order a CSV file's header may give them.
COLUMNS: dict[RowKind, tuple[str, ...]] = {
    RowKind.PEOPLE: ("external_id", "name", "email", "active", "team"),
    RowKind.COMPETENCES: ("code", "name", "description", "parent"),
    RowKind.LEVELS: ("person", "competence", "level", "source"),
    RowKind.CONTRIBUTIONS: ("service", "person", "contribution"),
    RowKind.WISHES: ("person", "competence", "motivation"),
}
# What each kind is imported into, as a query parameter.
TARGET = {
    RowKind.PEOPLE: "organisation_id",
    RowKind.COMPETENCES: None,
    RowKind.LEVELS: "project_id",
    RowKind.CONTRIBUTIONS: "project_id",
    RowKind.WISHES: "project_id",
}


_WHOLE = re.compile(r"(-?\d{1,9})(?:[.,]0+)?")


def whole_number(value: object) -> int | None:
    """A whole number from JSON (3) or a cell ("3"; "3,0" and "3.0" as spreadsheets write
    a number shown with decimals, the comma being Dutch); None for anything else, 2.5 and
    "2,5" included: a level is never quietly rounded."""
    if isinstance(value, str) and (match := _WHOLE.fullmatch(value.strip())):
        return int(match.group(1))
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


class WholeNumber(ma.fields.Integer):
    """A whole number, as ``whole_number`` reads it."""

    def _deserialize(self, value, attr, data, **kwargs):
        number = whole_number(value)
        if number is None:
            raise self.make_error("invalid")
        return super()._deserialize(number, attr, data, **kwargs)


class Flag(ma.fields.Boolean):
    """Yes or no as files write it, in any case: true/false, 1/0, and as Dutch spreadsheets
    write it, ja/nee and waar/onwaar (what Dutch Excel writes for TRUE and FALSE)."""

    truthy = {*ma.fields.Boolean.truthy, "ja", "j", "waar"}
    falsy = {*ma.fields.Boolean.falsy, "nee", "onwaar"}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = value.strip().lower()
        return super()._deserialize(value, attr, data, **kwargs)


class ImportArgsSchema(Schema):
    kind = ma.fields.Enum(
        RowKind,
        by_value=True,
        metadata={"description": "The kind of row of a CSV or NDJSON file (one per file)."},
    )
    organisation_id = ma.fields.UUID(metadata={"description": "Where `people` go."})
    project_id = ma.fields.UUID(
        metadata={
            "description": "Where `levels`, `contributions` and `wishes` go; for a workbook, "
            "the project it updates."
        }
    )
    dry_run = ma.fields.Boolean(
        load_default=False,
        metadata={
            "description": "Validate and report what would happen; write no data (the "
            "report is kept, readable at its id)."
        },
    )


class PersonRow(Schema):
    """A column (or NDJSON key) a file leaves out keeps each stored person's value; an
    empty cell (or null) clears an e-mail or team."""

    external_id = Text(required=True)
    name = Text(required=True)
    email = ma.fields.Email(allow_none=True, validate=ma.validate.Length(max=320))
    active = Flag(
        metadata={
            "description": "true/false, ja/nee, waar/onwaar or 1/0, in any case. "
            "Left out: kept (a new person: true)."
        }
    )
    team = Text(allow_none=True, metadata={"description": "The name of a team."})


class CompetenceRow(Schema):
    code = Text(required=True, max_length=64, validate=Code)
    name = Text(required=True)
    description = Text(max_length=10_000, blank=True, allow_none=True)
    parent = Text(allow_none=True, max_length=64, metadata={"description": "A code."})


class LevelRow(Schema):
    person = Text(required=True, metadata={"description": "The external_id of a participant."})
    competence = Text(required=True, max_length=64, metadata={"description": "A code."})
    level = WholeNumber(
        required=True,
        metadata={
            "minimum": 0,
            "maximum": 4,
            "description": 'A whole number; a CSV cell may write it "3", "3,0" or "3.0".',
        },
    )
    source = ma.fields.Enum(
        LevelSource,
        by_value=True,
        metadata={"description": "self, peer, coach or import (the default for a changed level)."},
    )


class ContributionRow(Schema):
    service = Text(required=True, metadata={"description": "The name of a service."})
    person = Text(required=True)
    contribution = Text(max_length=10_000, blank=True, allow_none=True)


class WishRow(Schema):
    person = Text(required=True)
    competence = Text(required=True, max_length=64)
    motivation = Text(max_length=10_000, blank=True, allow_none=True)


ROW_SCHEMAS: dict[RowKind, type[Schema]] = {
    RowKind.PEOPLE: PersonRow,
    RowKind.COMPETENCES: CompetenceRow,
    RowKind.LEVELS: LevelRow,
    RowKind.CONTRIBUTIONS: ContributionRow,
    RowKind.WISHES: WishRow,
}


class ImportedItemSchema(Schema):
    index = ma.fields.Integer(
        metadata={"description": "The line of a CSV or NDJSON file; the position in a document."}
    )
    kind = ma.fields.String(metadata={"example": "people"})
    key = ma.fields.String(metadata={"description": "The natural key.", "example": "E-1042"})
    outcome = ma.fields.Enum(Outcome, by_value=True)


class ImportedItems(ma.fields.List):
    """The outcome of every item, as ImportedItemSchema documents it, written out directly:
    an import answers with one item per row, and a schema pass per item was a sixth of the
    time of importing 10,000 people."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(ma.fields.Nested(ImportedItemSchema), **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return [
            {"index": i.index, "kind": i.kind, "key": i.key, "outcome": i.outcome.value}
            for i in value
        ]


class ImportFieldsSchema(EntitySchema):
    """What a report holds; ImportReportSchema adds the state of a job."""

    format = ma.fields.Enum(ImportFormat, by_value=True)
    kind = ma.fields.String(
        allow_none=True,
        validate=ma.validate.OneOf([kind.value for kind in RowKind]),
        metadata={"description": "The kind of row of a CSV or NDJSON file; null otherwise."},
    )
    target_id = ma.fields.UUID(allow_none=True)
    organisation_id = ma.fields.UUID(
        allow_none=True,
        metadata={
            "description": "The organisation whose data it touched (none for competences); "
            "a key restricted to another organisation does not see the report."
        },
    )
    dry_run = ma.fields.Boolean(
        metadata={"description": "A dry run: the report of what would have happened."}
    )
    encoding = ma.fields.String(
        allow_none=True,
        validate=ma.validate.OneOf(ENCODINGS),
        metadata={
            "description": "How a CSV or NDJSON file's text was read: UTF-8, UTF-8 with a "
            "byte-order mark (utf-8-sig), or Windows-1252 (what Dutch Excel saves as CSV); "
            "null for a document or workbook."
        },
    )
    delimiter = ma.fields.String(
        allow_none=True,
        validate=ma.validate.OneOf(DELIMITERS),
        metadata={
            "description": "The cell delimiter found in a CSV file's header line (comma, "
            "semicolon or tab); null otherwise."
        },
    )
    counts = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Nested(BatchResultSchema),
        metadata={
            "description": "Per kind: created, updated, unchanged.",
            "example": {"people": {"created": 2, "updated": 1, "unchanged": 7}},
        },
    )
    items = ImportedItems()
    actor_id = ma.fields.UUID(allow_none=True)


class ImportReportSchema(ImportFieldsSchema):
    """An import as ``GET /imports/{id}`` shows it: its state and, once applied, its
    report. A synchronous import is ``succeeded`` when answered; a job moves from
    ``queued`` through ``running`` to ``succeeded`` or ``failed``."""

    status = ma.fields.Enum(
        JobStatus,
        by_value=True,
        metadata={
            "description": "queued (waiting for the worker), running, succeeded (applied, "
            "or a dry run done: the report's fields are filled) or failed (nothing was "
            "written: see problem)."
        },
    )
    rows_read = ma.fields.Integer(
        metadata={"description": "Rows (items) read from the file so far."}
    )
    rows_applied = ma.fields.Integer(
        metadata={
            "description": "Rows applied so far, inside the import's one transaction: none "
            "of them is kept unless the whole import succeeds."
        }
    )
    percent = ma.fields.Integer(
        metadata={"description": "How much of the file was read, 0-100; 100 once succeeded."}
    )
    problem = ma.fields.Nested(
        ProblemSchema,
        allow_none=True,
        metadata={
            "description": "Why a failed job failed, as the synchronous import would have "
            "answered it (a 422 with every problem located, a 404 for a target deleted "
            "meanwhile); null otherwise."
        },
    )
    items = ImportedItems(
        metadata={
            "description": "Each item's outcome, for an import answered at once; always empty "
            "for an import run as a job, whose items are paged at `/imports/{id}/items` "
            "(every import's are)."
        },
    )

    @ma.pre_dump
    def _flatten(self, found: ImportStatus | object, **kwargs):
        from api.problems import domain_problem

        if not isinstance(found, ImportStatus):
            return found
        job, report = found.job, found.report
        values: dict[str, Any] = {
            "id": found.id,
            "status": found.status,
            "rows_read": found.rows_read,
            "rows_applied": found.rows_applied,
            "percent": found.percent,
            "problem": domain_problem(found.problem) if found.problem else None,
        }
        if report is not None:
            values |= {name: getattr(report, name) for name in _REPORT_FIELDS}
        if job is not None:
            values |= {
                "format": job.format,
                "kind": job.kind,
                "target_id": job.target_id,
                "organisation_id": job.organisation_id,
                "dry_run": job.dry_run,
                "actor_id": job.actor_id,
                "items": [],
            }
            if report is None:
                values |= {
                    "version": 1,
                    "created_at": job.created_at,
                    "updated_at": job.finished_at or job.started_at or job.created_at,
                    "encoding": None,
                    "delimiter": None,
                    "counts": {},
                }
        return values


_REPORT_FIELDS = (
    "version",
    "created_at",
    "updated_at",
    "format",
    "kind",
    "target_id",
    "organisation_id",
    "dry_run",
    "encoding",
    "delimiter",
    "counts",
    "items",
    "actor_id",
)
