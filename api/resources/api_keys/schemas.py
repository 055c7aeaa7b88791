from __future__ import annotations

import marshmallow as ma

from api.conventions import ListArgsSchema
from api.extensions import Schema
from api.fields import EntitySchema, Text
from domain.access import Role

API_KEY_EXAMPLE = {"name": "Personio sync", "role": "integration", "organisation_id": None}


class ApiKeySchema(EntitySchema):
    name = ma.fields.String(metadata={"example": "Personio sync"})
    role = ma.fields.Enum(Role, by_value=True)
    organisation_id = ma.fields.UUID(
        allow_none=True, metadata={"description": "Set when the key sees one organisation only."}
    )
    prefix = ma.fields.String(
        metadata={"description": "The secret's first characters, to tell keys apart."}
    )
    active = ma.fields.Boolean()
    revoked_at = ma.fields.AwareDateTime(allow_none=True)


class ApiKeyCreatedSchema(ApiKeySchema):
    secret = ma.fields.String(
        metadata={"description": "The key itself. Shown in this response only: store it now."}
    )


class ApiKeyCreateSchema(Schema):
    name = Text(required=True)
    role = ma.fields.Enum(Role, by_value=True, required=True)
    organisation_id = ma.fields.UUID(load_default=None, allow_none=True)


class ApiKeyQueryArgsSchema(ListArgsSchema):
    role = ma.fields.Enum(Role, by_value=True)
