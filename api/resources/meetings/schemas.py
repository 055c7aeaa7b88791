from __future__ import annotations

import marshmallow as ma

from api.conventions import ListArgsSchema
from api.extensions import Schema
from api.fields import EntitySchema, Text
from api.resources.actions.schemas import ActionSchema
from domain.meetings import MeetingKind

PARTICIPANT = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
MEETING_EXAMPLE = {
    "kind": "joint",
    "date": "2026-12-01",
    "topic": "Budget 2027",
    "attendees": [{"participant_id": PARTICIPANT, "layer": "team leads"}],
    "ground_rules": ["What is said here stays here", "We speak for ourselves"],
    "start_time": "14:00",
    "duration_minutes": 90,
    "place": "Room 2.14",
    "agenda": ["The MT's complaints", "How we share knowledge"],
}
COMMITMENT_EXAMPLE = {
    "text": "Raise budget concerns in the team meeting, not in the corridor.",
    "owner_ids": [],
    "due_date": "2027-03-01",
}
REPORT_EXAMPLE = {
    "participant_id": PARTICIPANT,
    "commitment_id": "5a1d7c2e-8b3f-4e6a-9c0d-1e2f3a4b5c6d",
    "text": "I put the budget on the agenda twice.",
}
Lines = ma.validate.Length(max=100)


class AttendeeSchema(Schema):
    participant_id = ma.fields.UUID()
    layer = ma.fields.String(
        allow_none=True, metadata={"description": "The management layer they attend for."}
    )


class AttendeeWriteSchema(Schema):
    participant_id = ma.fields.UUID(required=True)
    layer = Text(
        allow_none=True,
        load_default=None,
        metadata={"description": "The management layer they attend for."},
    )


class MeetingSchema(EntitySchema):
    project_id = ma.fields.UUID()
    kind = ma.fields.Enum(MeetingKind, by_value=True)
    date = ma.fields.Date()
    topic = ma.fields.String()
    attendees = ma.fields.List(ma.fields.Nested(AttendeeSchema))
    ground_rules = ma.fields.List(
        ma.fields.String(), metadata={"description": "Agreed for safety and trust."}
    )
    start_time = ma.fields.Time(allow_none=True, format="%H:%M")
    duration_minutes = ma.fields.Integer(allow_none=True)
    place = ma.fields.String()
    agenda = ma.fields.List(ma.fields.String(), metadata={"description": "Items, in order."})
    notes = ma.fields.String()
    decisions = ma.fields.List(
        ma.fields.String(), metadata={"description": "What the meeting decided."}
    )


class _MeetingDetails(Schema):
    """When, where and how long; what it was to discuss, what was said and decided."""

    start_time = ma.fields.Time(
        allow_none=True, format="%H:%M", metadata={"description": "Local time, HH:MM."}
    )
    duration_minutes = ma.fields.Integer(
        allow_none=True, strict=True, validate=ma.validate.Range(1, 24 * 60)
    )
    place = Text(max_length=200, blank=True)
    agenda = ma.fields.List(Text(max_length=2_000), validate=Lines)
    notes = Text(max_length=100_000, blank=True)
    decisions = ma.fields.List(Text(max_length=10_000), validate=Lines)


class MeetingCreateSchema(_MeetingDetails):
    kind = ma.fields.Enum(MeetingKind, by_value=True, required=True)
    date = ma.fields.Date(required=True)
    topic = Text(max_length=2_000, blank=True, load_default="")
    attendees = ma.fields.List(
        ma.fields.Nested(AttendeeWriteSchema),
        validate=ma.validate.Length(max=1_000),
        load_default=list,
    )
    ground_rules = ma.fields.List(Text(max_length=2_000), validate=Lines, load_default=list)


class MeetingUpdateSchema(_MeetingDetails):
    kind = ma.fields.Enum(MeetingKind, by_value=True)
    date = ma.fields.Date()
    topic = Text(max_length=2_000, blank=True)
    attendees = ma.fields.List(
        ma.fields.Nested(AttendeeWriteSchema), validate=ma.validate.Length(max=1_000)
    )
    ground_rules = ma.fields.List(Text(max_length=2_000), validate=Lines)


class MeetingQueryArgsSchema(ListArgsSchema):
    kind = ma.fields.Enum(MeetingKind, by_value=True)


# A commitment is its meeting's action, answered as one.
CommitmentSchema = ActionSchema


class CommitmentCreateSchema(Schema):
    text = Text(required=True, max_length=10_000)
    owner_ids = ma.fields.List(
        ma.fields.UUID(), validate=ma.validate.Length(max=1_000), load_default=list
    )
    due_date = ma.fields.Date(allow_none=True, load_default=None)


GENERAL_ANSWER = (
    "Null: one general answer to 'what did you do to realise the agreements?', "
    "which answers for every commitment on the table."
)


class ActionReportSchema(EntitySchema):
    meeting_id = ma.fields.UUID()
    commitment_id = ma.fields.UUID(allow_none=True, metadata={"description": GENERAL_ANSWER})
    participant_id = ma.fields.UUID()
    text = ma.fields.String(metadata={"description": "What they did to realise the commitment."})


class ActionReportCreateSchema(Schema):
    participant_id = ma.fields.UUID(required=True)
    commitment_id = ma.fields.UUID(
        allow_none=True,
        load_default=None,
        metadata={"description": f"A commitment of an earlier meeting. {GENERAL_ANSWER}"},
    )
    text = Text(required=True, max_length=10_000)


class RoundEntrySchema(Schema):
    commitment = ma.fields.Nested(CommitmentSchema)
    reports = ma.fields.List(ma.fields.Nested(ActionReportSchema))
    not_reported = ma.fields.List(
        ma.fields.UUID(), metadata={"description": "Owners present who have not answered yet."}
    )


class RoundSchema(Schema):
    meeting_id = ma.fields.UUID(attribute="meeting.id")
    complete = ma.fields.Boolean(
        metadata={
            "description": "Every attendee still there has answered for every commitment "
            "they own, or given a general answer."
        }
    )
    silent = ma.fields.List(
        ma.fields.UUID(),
        metadata={"description": "Attendees still to answer (not those who have left)."},
    )
    entries = ma.fields.List(ma.fields.Nested(RoundEntrySchema))
    general = ma.fields.List(
        ma.fields.Nested(ActionReportSchema),
        metadata={"description": "General answers, each for every commitment on the table."},
    )
