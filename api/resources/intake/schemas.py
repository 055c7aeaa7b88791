from __future__ import annotations

import marshmallow as ma

from api.conventions import ListArgsSchema
from api.extensions import Schema
from api.fields import EntitySchema, Text
from api.resources.projects.schemas import UnmetSchema

FINDING_EXAMPLE = {"text": "Members have different expertise and rarely share knowledge."}
GRIEVANCE_EXAMPLE = {"text": "Conflicts are never addressed.", "anonymous": True}
RATING_EXAMPLE = {"desire": 4, "energy": 3, "feasibility": 4}
CONCLUSION_EXAMPLE = {
    "ready": True,
    "text": "We want to improve, have the energy, and think it feasible.",
}


class FindingSchema(EntitySchema):
    project_id = ma.fields.UUID()
    text = ma.fields.String(metadata={"example": FINDING_EXAMPLE["text"]})


class FindingWriteSchema(Schema):
    text = Text(required=True, max_length=10_000)


class GrievanceSchema(EntitySchema):
    project_id = ma.fields.UUID()
    text = ma.fields.String()
    anonymous = ma.fields.Boolean()
    participant_id = ma.fields.UUID(
        allow_none=True, metadata={"description": "Null when anonymous."}
    )


class GrievanceCreateSchema(Schema):
    text = Text(required=True, max_length=10_000)
    anonymous = ma.fields.Boolean(load_default=False)
    participant_id = ma.fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={"description": "The author; leave out when anonymous."},
    )


class GrievanceUpdateSchema(Schema):
    text = Text(required=True, max_length=10_000)


class RatingSchema(EntitySchema):
    project_id = ma.fields.UUID()
    participant_id = ma.fields.UUID()
    desire = ma.fields.Integer()
    energy = ma.fields.Integer()
    feasibility = ma.fields.Integer()


class RatingWriteSchema(Schema):
    desire = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(1, 5))
    energy = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(1, 5))
    feasibility = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(1, 5))


class DimensionSchema(Schema):
    count = ma.fields.Integer()
    mean = ma.fields.Float(allow_none=True)
    median = ma.fields.Float(allow_none=True)
    withheld = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "Why mean and median are null for a participant: "
            '"fewer than 3 ratings", so nobody can be singled out.'
        },
    )


class ReadinessSummarySchema(Schema):
    desire = ma.fields.Nested(DimensionSchema)
    energy = ma.fields.Nested(DimensionSchema)
    feasibility = ma.fields.Nested(DimensionSchema)
    members_total = ma.fields.Integer(
        metadata={"description": "Participants with the member role."}
    )
    members_rated = ma.fields.Integer()
    enough_members_rated = ma.fields.Boolean(
        metadata={"description": "At least half the members rated."}
    )


class ConclusionSchema(EntitySchema):
    project_id = ma.fields.UUID()
    ready = ma.fields.Boolean()
    text = ma.fields.String()


class ConclusionWriteSchema(Schema):
    ready = ma.fields.Boolean(required=True)
    text = Text(max_length=10_000, blank=True, load_default="")


class IntakeSchema(Schema):
    findings = ma.fields.List(ma.fields.Nested(FindingSchema))
    grievances = ma.fields.List(ma.fields.Nested(GrievanceSchema))
    readiness = ma.fields.Nested(ReadinessSummarySchema)
    conclusion = ma.fields.Nested(ConclusionSchema, allow_none=True)
    unmet = ma.fields.List(
        ma.fields.Nested(UnmetSchema),
        metadata={"description": "What the gate to service_definition still needs."},
    )


class GrievanceQueryArgsSchema(ListArgsSchema):
    anonymous = ma.fields.Boolean()
