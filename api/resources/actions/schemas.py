from __future__ import annotations

from datetime import date

import marshmallow as ma

from api.conventions import ListArgsSchema
from api.extensions import Schema
from api.fields import EntitySchema, Text
from domain.actions import ActionStatus

PARTICIPANT = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
ACTION_EXAMPLE = {
    "text": "Share the weekly planning with the whole team.",
    "owner_ids": [PARTICIPANT],
    "due_date": "2027-03-01",
    "finding_id": "1b4e28ba-2fa1-41d2-883f-0016d3cca427",
}
ACTION_UPDATE_EXAMPLE = {"status": "done", "status_by_id": PARTICIPANT}
OWNERS = ma.validate.Length(max=1_000)


class ActionSchema(EntitySchema):
    """An action; a meeting's commitments are its actions (``meeting_id`` set)."""

    project_id = ma.fields.UUID()
    meeting_id = ma.fields.UUID(
        allow_none=True, metadata={"description": "The meeting where it was agreed, if any."}
    )
    text = ma.fields.String()
    owner_ids = ma.fields.List(
        ma.fields.UUID(),
        metadata={"description": "Empty: all attendees of its meeting own it."},
    )
    due_date = ma.fields.Date(allow_none=True)
    status = ma.fields.Enum(ActionStatus, by_value=True)
    status_by_id = ma.fields.UUID(
        allow_none=True, metadata={"description": "The participant who set the status."}
    )
    status_at = ma.fields.AwareDateTime(
        allow_none=True, metadata={"description": "When the status was set; null while open."}
    )
    overdue = ma.fields.Method(
        "_overdue", metadata={"type": "boolean", "description": "Open past its due date."}
    )
    finding_id = ma.fields.UUID(allow_none=True)
    grievance_id = ma.fields.UUID(
        allow_none=True,
        metadata={"description": "The grievance it answers; its author is never shown."},
    )

    def _overdue(self, action):
        return action.overdue(date.today())


class ActionCreateSchema(Schema):
    text = Text(
        max_length=10_000,
        metadata={"description": "Defaults to the text of the finding or grievance."},
    )
    owner_ids = ma.fields.List(ma.fields.UUID(), validate=OWNERS, load_default=list)
    due_date = ma.fields.Date(allow_none=True, load_default=None)
    meeting_id = ma.fields.UUID(
        allow_none=True,
        load_default=None,
        metadata={"description": "The meeting where it was agreed; owners must have attended."},
    )
    finding_id = ma.fields.UUID(
        allow_none=True, load_default=None, metadata={"description": "Turn a finding into it."}
    )
    grievance_id = ma.fields.UUID(
        allow_none=True,
        load_default=None,
        metadata={"description": "Turn a grievance into it; anonymous ones stay so."},
    )


class ActionUpdateSchema(Schema):
    text = Text(max_length=10_000)
    owner_ids = ma.fields.List(ma.fields.UUID(), validate=OWNERS)
    due_date = ma.fields.Date(allow_none=True)
    status = ma.fields.Enum(
        ActionStatus,
        by_value=True,
        metadata={"description": "open, done or dropped; stamped with when (status_at)."},
    )
    status_by_id = ma.fields.UUID(
        metadata={"description": "The participant who says so; only with a status."}
    )


class ActionQueryArgsSchema(ListArgsSchema):
    owner_id = ma.fields.UUID(
        metadata={"description": "Owned by this participant (named, or as an attendee)."}
    )
    status = ma.fields.Enum(ActionStatus, by_value=True)
    overdue = ma.fields.Boolean(metadata={"description": "Open actions past their due date."})
    meeting_id = ma.fields.UUID()
    finding_id = ma.fields.UUID()
    grievance_id = ma.fields.UUID()

    def list_query(self, args):
        args = dict(args)
        if args.pop("overdue", False):
            args["due_before"] = date.today()
        return super().list_query(args)
