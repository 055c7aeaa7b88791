from __future__ import annotations

import marshmallow as ma

from api.conventions import ListArgsSchema
from api.extensions import Schema, UnmetSchema
from api.fields import BatchResultSchema, EntitySchema, Text
from domain.phases import Phase
from domain.projects import ParticipantRole

PROJECT_EXAMPLE = {
    "name": "Samen sterker: ondersteunende afdeling",
    "organisation_id": "0b6c3f5e-2a41-4d0b-9a57-6f1f3c2d9e10",
    "team_id": "5a1d7c2e-8b3f-4e6a-9c0d-1e2f3a4b5c6d",
    "description": "OD project with the whole support department.",
}
PROJECT_UPDATE_EXAMPLE = {"name": "Samen sterker", "description": "Six services, one team."}
PARTICIPANT_EXAMPLE = {
    "person_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
    "roles": ["member", "senior"],
}
TRANSITION_EXAMPLE = {"to": "service_definition", "reason": None}


class ProjectSchema(EntitySchema):
    organisation_id = ma.fields.UUID()
    team_id = ma.fields.UUID()
    name = ma.fields.String(metadata={"example": PROJECT_EXAMPLE["name"]})
    description = ma.fields.String()
    phase = ma.fields.Enum(
        Phase, by_value=True, metadata={"description": "Read-only: changed by transitions."}
    )
    check_in_days = ma.fields.Integer(
        metadata={"description": "An agreement without a check-in this many days is due one."}
    )


class ProjectCreateSchema(Schema):
    name = Text(required=True)
    organisation_id = ma.fields.UUID(required=True)
    team_id = ma.fields.UUID(required=True)
    description = Text(max_length=10_000, blank=True, load_default="")
    check_in_days = ma.fields.Integer(load_default=14, validate=ma.validate.Range(min=1, max=365))


class ProjectUpdateSchema(Schema):
    name = Text()
    description = Text(max_length=10_000, blank=True)
    check_in_days = ma.fields.Integer(validate=ma.validate.Range(min=1, max=365))


class ProjectQueryArgsSchema(ListArgsSchema):
    organisation_id = ma.fields.UUID()
    team_id = ma.fields.UUID()
    phase = ma.fields.Enum(Phase, by_value=True)
    q = ma.fields.String(metadata={"description": "Part of the name."})
    search_field = "q"


class ChecklistSchema(Schema):
    phase = ma.fields.Enum(Phase, by_value=True)
    next_phase = ma.fields.Enum(Phase, by_value=True, allow_none=True)
    ready = ma.fields.Boolean(
        metadata={"description": "True when the next phase can be entered now."}
    )
    unmet = ma.fields.List(ma.fields.Nested(UnmetSchema))


class TransitionSchema(Schema):
    id = ma.fields.UUID()
    from_phase = ma.fields.Enum(Phase, by_value=True)
    to_phase = ma.fields.Enum(Phase, by_value=True)
    reason = ma.fields.String(allow_none=True)
    actor_id = ma.fields.UUID(
        allow_none=True, metadata={"description": "The API key that moved it."}
    )
    created_at = ma.fields.AwareDateTime()


class TransitionCreateSchema(Schema):
    to = ma.fields.Enum(Phase, by_value=True, required=True)
    reason = Text(
        max_length=2000,
        allow_none=True,
        load_default=None,
        metadata={"description": "Required to move back."},
    )


class ParticipantSchema(EntitySchema):
    project_id = ma.fields.UUID()
    person_id = ma.fields.UUID()
    name = ma.fields.String(
        allow_none=True, metadata={"description": "The person's name; null once erased."}
    )
    external_id = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "The person's external_id (the HRIS's id), as a levels, wishes "
            "or contributions file names them; null when they have none or were erased.",
            "example": "E-1042",
        },
    )
    roles = ma.fields.List(ma.fields.Enum(ParticipantRole, by_value=True))
    left = ma.fields.Boolean(
        metadata={
            "description": "The person has left (deactivated, e.g. by the HRIS sync): kept in "
            "the project's history, left out of its analyses and gates."
        }
    )


class ParticipantCreateSchema(Schema):
    person_id = ma.fields.UUID(required=True)
    roles = ma.fields.List(
        ma.fields.Enum(ParticipantRole, by_value=True),
        required=True,
        validate=ma.validate.Length(min=1, max=4),
    )


PARTICIPANTS_EXAMPLE = {
    "participants": [
        {"person_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "roles": ["member", "senior"]},
        {"external_id": "E-1043", "roles": ["member"]},
    ]
}
ROLES = ma.fields.List(
    ma.fields.Enum(ParticipantRole, by_value=True),
    required=True,
    validate=ma.validate.Length(min=1, max=4),
)


class ParticipantBatchItemSchema(Schema):
    person_id = ma.fields.UUID(metadata={"description": "The person, or their external_id."})
    external_id = Text(metadata={"description": "The person's external_id, or person_id."})
    roles = ROLES


class ParticipantBatchSchema(Schema):
    participants = ma.fields.List(
        ma.fields.Nested(ParticipantBatchItemSchema),
        required=True,
        validate=ma.validate.Length(min=1, max=1000),
        metadata={
            "description": "The people to take part (at most 1,000), each by person_id or "
            "external_id, with their roles."
        },
    )


class ParticipantBatchResultSchema(Schema):
    index = ma.fields.Integer(metadata={"description": "Position in the list."})
    outcome = ma.fields.String(
        validate=ma.validate.OneOf(["created", "updated", "unchanged"]),
        metadata={"description": "Updated: already taking part, with other roles."},
    )
    participant = ma.fields.Nested(ParticipantSchema)


class ParticipantBatchReportSchema(Schema):
    counts = ma.fields.Nested(
        BatchResultSchema, metadata={"example": {"created": 2, "updated": 0, "unchanged": 1}}
    )
    results = ma.fields.List(ma.fields.Nested(ParticipantBatchResultSchema))


class ParticipantUpdateSchema(Schema):
    roles = ma.fields.List(
        ma.fields.Enum(ParticipantRole, by_value=True), validate=ma.validate.Length(min=1, max=4)
    )


class ParticipantQueryArgsSchema(ListArgsSchema):
    person_id = ma.fields.UUID()
