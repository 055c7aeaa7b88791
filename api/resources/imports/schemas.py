"""The shapes of imports: the query of an upload, each kind of row, and the report."""

from __future__ import annotations

import re
from typing import Any

import marshmallow as ma

from api.extensions import Schema
from api.fields import EntitySchema, Text
from api.resources.competences.schemas import Code
from domain.imports import ImportFormat, Outcome, RowKind
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


class WholeNumber(ma.fields.Integer):
    """A whole number, from JSON (3) or from a CSV cell ("3"); 2.5 or "2.5" is refused
    rather than quietly rounded."""

    _DIGITS = re.compile(r"-?\d{1,9}")

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and self._DIGITS.fullmatch(value.strip()):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid")
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
        metadata={"description": "Validate and report what would happen; write nothing."},
    )


class PersonRow(Schema):
    """A column (or NDJSON key) a file leaves out keeps each stored person's value; an
    empty cell (or null) clears an e-mail or team."""

    external_id = Text(required=True)
    name = Text(required=True)
    email = ma.fields.Email(allow_none=True, validate=ma.validate.Length(max=320))
    active = ma.fields.Boolean(metadata={"description": "Left out: kept (a new person: true)."})
    team = Text(allow_none=True, metadata={"description": "The name of a team."})


class CompetenceRow(Schema):
    code = Text(required=True, max_length=64, validate=Code)
    name = Text(required=True)
    description = Text(max_length=10_000, blank=True, allow_none=True)
    parent = Text(allow_none=True, max_length=64, metadata={"description": "A code."})


class LevelRow(Schema):
    person = Text(required=True, metadata={"description": "The external_id of a participant."})
    competence = Text(required=True, max_length=64, metadata={"description": "A code."})
    level = WholeNumber(required=True, metadata={"minimum": 0, "maximum": 4})
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


class ImportReportSchema(EntitySchema):
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
    dry_run = ma.fields.Boolean()
    counts = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer()),
        metadata={
            "description": "Per kind: created, updated, unchanged.",
            "example": {"people": {"created": 2, "updated": 1, "unchanged": 7}},
        },
    )
    items = ImportedItems()
    actor_id = ma.fields.UUID(allow_none=True)
