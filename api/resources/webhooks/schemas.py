from __future__ import annotations

import marshmallow as ma

from api.conventions import ListArgsSchema
from api.extensions import Schema
from api.fields import EntitySchema, Text

WEBHOOK_EXAMPLE = {
    "url": "https://hooks.example.org/od",
    "description": "Mail bridge for reminders",
    "event_types": ["reminder.check_in_due", "agreement.check_in_added"],
    "organisation_id": None,
}
EVENT_TYPE = Text(
    max_length=64,
    validate=ma.validate.Regexp(r"^[a-z_]+\.[a-z_]+$", error="An event type: resource.verb."),
)


class WebhookSchema(EntitySchema):
    url = ma.fields.String(metadata={"example": "https://hooks.example.org/od"})
    description = ma.fields.String(allow_none=True)
    event_types = ma.fields.List(
        ma.fields.String(),
        metadata={"description": "The types it receives; empty: every type."},
    )
    organisation_id = ma.fields.UUID(
        allow_none=True,
        metadata={"description": "Set: only that organisation's events (and the workspace's)."},
    )
    enabled = ma.fields.Boolean()
    disabled_reason = ma.fields.String(
        allow_none=True, metadata={"description": "Why deliveries stopped, when they did."}
    )
    failing_since = ma.fields.AwareDateTime(
        allow_none=True, metadata={"description": "Since when every delivery fails."}
    )


class WebhookCreatedSchema(WebhookSchema):
    secret = ma.fields.String(
        metadata={
            "description": "Verifies `webhook-signature` (Standard Webhooks). Shown in this "
            "response only: store it now."
        }
    )


class WebhookCreateSchema(Schema):
    url = Text(required=True, max_length=2048)
    description = Text(max_length=500, load_default=None, allow_none=True)
    event_types = ma.fields.List(EVENT_TYPE, load_default=list)
    organisation_id = ma.fields.UUID(load_default=None, allow_none=True)
    enabled = ma.fields.Boolean(load_default=True)


class WebhookUpdateSchema(Schema):
    url = Text(max_length=2048)
    description = Text(max_length=500, allow_none=True)
    event_types = ma.fields.List(EVENT_TYPE)
    organisation_id = ma.fields.UUID(allow_none=True)
    enabled = ma.fields.Boolean()


class WebhookQueryArgsSchema(ListArgsSchema):
    enabled = ma.fields.Boolean()


DELIVERY_STATUSES = ["pending", "succeeded", "failed"]
ATTEMPT_STATUSES = ["succeeded", "failed"]
WEBHOOK_ID = "The `webhook-id` of every try."


class DeliverySchema(Schema):
    id = ma.fields.UUID()
    event_id = ma.fields.UUID(metadata={"description": WEBHOOK_ID})
    event_type = ma.fields.String(metadata={"example": "person.updated"})
    status = ma.fields.String(
        validate=ma.validate.OneOf(DELIVERY_STATUSES),
        metadata={"description": "pending: tried again at `next_attempt_at`; failed: given up."},
    )
    attempts = ma.fields.Integer(metadata={"description": "Tries so far."})
    next_attempt_at = ma.fields.AwareDateTime(allow_none=True)
    last_attempt_at = ma.fields.AwareDateTime(allow_none=True)
    created_at = ma.fields.AwareDateTime()
    delivered_at = ma.fields.AwareDateTime(allow_none=True)


class AttemptSchema(Schema):
    id = ma.fields.UUID()
    delivery_id = ma.fields.UUID(metadata={"description": "What to resend."})
    event_id = ma.fields.UUID(metadata={"description": WEBHOOK_ID})
    event_type = ma.fields.String(metadata={"example": "person.updated"})
    number = ma.fields.Integer(metadata={"description": "Its delivery's try number, from 1."})
    attempted_at = ma.fields.AwareDateTime()
    status = ma.fields.String(validate=ma.validate.OneOf(ATTEMPT_STATUSES))
    status_code = ma.fields.Integer(
        allow_none=True, metadata={"description": "The receiver's answer; none if it gave none."}
    )
    latency_ms = ma.fields.Integer(allow_none=True)
    error = ma.fields.String(allow_none=True, metadata={"description": "Why it failed."})
    next_attempt_at = ma.fields.AwareDateTime(
        allow_none=True,
        metadata={"description": "The next try this failure scheduled; none once given up."},
    )


class AttemptQueryArgsSchema(ListArgsSchema):
    status = ma.fields.String(validate=ma.validate.OneOf(ATTEMPT_STATUSES))
    delivery_id = ma.fields.UUID(metadata={"description": "Only this delivery's tries."})
