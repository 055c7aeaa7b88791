from __future__ import annotations

import marshmallow as ma

from api.extensions import Schema
from api.fields import Text
from domain.access import Language

WORKSPACE_EXAMPLE = {"language": "nl"}
LANGUAGE = {
    "description": "The language of the platform's texts (problems, checklists, reasons, "
    "workbooks) when a request's Accept-Language names neither en nor nl.",
    "example": "nl",
}


class WorkspaceSchema(Schema):
    id = ma.fields.UUID()
    name = ma.fields.String(metadata={"example": "Bureau Verbinding"})
    language = ma.fields.Enum(Language, by_value=True, metadata=LANGUAGE)
    created_at = ma.fields.AwareDateTime()


class WorkspaceUpdateSchema(Schema):
    name = Text()
    language = ma.fields.Enum(Language, by_value=True, metadata=LANGUAGE)
