from __future__ import annotations

import base64
import binascii

import marshmallow as ma
from webargs import fields as webargs_fields

from api.extensions import Schema

MAX_LIMIT = 500
_PREFIX = "c1."


def cursor(position: int) -> str:
    """Opaque to clients: only this API reads it, so its form may change."""
    return base64.urlsafe_b64encode(f"{_PREFIX}{position}".encode()).decode().rstrip("=")


class Cursor(ma.fields.String):
    """A cursor the feed gave, read back as the position it stands for."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            decoded = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
            if not decoded.startswith(_PREFIX):
                raise ValueError(decoded)
            position = int(decoded.removeprefix(_PREFIX))
            if position < 0:
                raise ValueError(decoded)
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise ma.ValidationError(
                "Not a cursor of this feed: send back a next_cursor."
            ) from None
        return position


class ChangesQueryArgsSchema(Schema):
    since = Cursor(
        load_default=0,
        metadata={
            "description": "The `next_cursor` of the previous page; without it the feed "
            "starts at the workspace's first change."
        },
    )
    organisation_id = ma.fields.UUID(
        metadata={"description": "Only that organisation's changes (and the workspace's own)."}
    )
    types = webargs_fields.DelimitedList(
        ma.fields.String(validate=ma.validate.Length(min=3, max=64)),
        load_default=list,
        metadata={
            "description": "Comma-separated event types, e.g. `person.deleted,person.updated`."
        },
    )
    limit = ma.fields.Integer(load_default=100, validate=ma.validate.Range(min=1, max=MAX_LIMIT))


class ChangeEventSchema(Schema):
    """One change to a resource, in the feed and in a webhook's body. Its component is
    ``ChangeEvent``, not ``Change``: a generated client names the model after the schema and a
    local variable after each field, and a ``Change`` with its ``change`` field shadowed itself
    in openapi-python-client's output (which then failed mypy)."""

    id = ma.fields.UUID(metadata={"description": "The event's id (a webhook's `webhook-id`)."})
    type = ma.fields.String(metadata={"example": "person.updated"})
    change = ma.fields.String(
        validate=ma.validate.OneOf(["created", "updated", "deleted"]),
        metadata={"description": "What happened to the resource itself."},
    )
    entity_type = ma.fields.String(metadata={"example": "person"})
    entity_id = ma.fields.UUID()
    version = ma.fields.Integer(
        allow_none=True, metadata={"description": "The version the change made (or deleted)."}
    )
    changed_fields = ma.fields.List(ma.fields.String(), metadata={"example": ["email"]})
    organisation_id = ma.fields.UUID(allow_none=True)
    project_id = ma.fields.UUID(allow_none=True)
    occurred_at = ma.fields.AwareDateTime()


class ChangesPageSchema(Schema):
    changes = ma.fields.List(ma.fields.Nested(ChangeEventSchema))
    next_cursor = ma.fields.String(
        metadata={"description": "Send as `since` for what follows (also when nothing did)."}
    )
    has_more = ma.fields.Boolean(
        metadata={"description": "More changes follow right now: ask again at once."}
    )
