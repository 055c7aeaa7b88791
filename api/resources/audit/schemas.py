from __future__ import annotations

import marshmallow as ma

from api.conventions import ListArgsSchema
from api.extensions import Schema
from domain.access import ActorKind


class AuditRecordSchema(Schema):
    id = ma.fields.UUID()
    actor_id = ma.fields.UUID(
        allow_none=True,
        metadata={
            "description": "The API key or user that acted (``actor_kind`` says which); "
            "null for what a user did anonymously."
        },
    )
    actor_kind = ma.fields.Enum(ActorKind, by_value=True)
    action = ma.fields.String(metadata={"example": "update"})
    entity_type = ma.fields.String(metadata={"example": "person"})
    entity_id = ma.fields.UUID()
    changed_fields = ma.fields.List(ma.fields.String(), metadata={"example": ["name", "email"]})
    created_at = ma.fields.AwareDateTime()


class AuditQueryArgsSchema(ListArgsSchema):
    entity_type = ma.fields.String()
    entity_id = ma.fields.UUID()
    actor_id = ma.fields.UUID()
    actor_kind = ma.fields.Enum(ActorKind, by_value=True)
    action = ma.fields.String()
