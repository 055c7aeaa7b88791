from __future__ import annotations

import marshmallow as ma

from api.conventions import ListArgsSchema
from api.extensions import Schema
from api.fields import EntitySchema, Text
from domain.texts import _

COMPETENCE_EXAMPLE = {
    "code": "COMM-FEEDBACK",
    "name": "Giving feedback",
    "description": "Gives critical and positive feedback so that others can act on it.",
    "parent_id": None,
}

Code = ma.validate.Regexp(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
    error=_("Letters, digits, '.', '_' and '-' only, starting with a letter or digit."),
)


class CompetenceSchema(EntitySchema):
    code = ma.fields.String(metadata={"example": "COMM-FEEDBACK"})
    name = ma.fields.String(metadata={"example": "Giving feedback"})
    description = ma.fields.String()
    parent_id = ma.fields.UUID(allow_none=True)
    archived = ma.fields.Boolean(
        metadata={"description": "Kept for history; no longer assignable."}
    )
    archived_at = ma.fields.AwareDateTime(allow_none=True)


class CompetenceCreateSchema(Schema):
    code = Text(required=True, max_length=64, validate=Code)
    name = Text(required=True)
    description = Text(max_length=10_000, blank=True, load_default="")
    parent_id = ma.fields.UUID(allow_none=True, load_default=None)


class CompetenceUpdateSchema(Schema):
    code = Text(max_length=64, validate=Code)
    name = Text()
    description = Text(max_length=10_000, blank=True)
    parent_id = ma.fields.UUID(allow_none=True)


class CompetenceQueryArgsSchema(ListArgsSchema):
    code = ma.fields.String()
    parent_id = ma.fields.UUID()
    include_archived = ma.fields.Boolean(load_default=False)
    q = ma.fields.String(metadata={"description": "Part of the code or name."})
    search_field = "q"

    def list_query(self, args):
        args = dict(args)
        if not args.pop("include_archived"):
            args["archived_at"] = None
        return super().list_query(args)
