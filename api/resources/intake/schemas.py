from __future__ import annotations

import marshmallow as ma

from api.conventions import ListArgsSchema
from api.extensions import Schema, UnmetSchema
from api.fields import EntitySchema, Text, Translated

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
    round = ma.fields.Integer(
        metadata={"description": "The round it belongs to; 1 is the baseline, at the intake."}
    )


class RatingQueryArgsSchema(Schema):
    round = ma.fields.Integer(
        validate=ma.validate.Range(1, 32_767),
        metadata={"description": "The rating of this round (default: the current one)."},
    )


class RatingWriteSchema(Schema):
    desire = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(1, 5))
    energy = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(1, 5))
    feasibility = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(1, 5))


class DimensionSchema(Schema):
    count = ma.fields.Integer()
    mean = ma.fields.Float(allow_none=True)
    median = ma.fields.Float(allow_none=True)
    withheld = Translated(
        allow_none=True,
        metadata={
            "description": "Why mean and median are null for a participant: "
            '"fewer than 3 ratings", so nobody can be singled out.'
        },
    )


class DimensionsSchema(Schema):
    desire = ma.fields.Nested(DimensionSchema)
    energy = ma.fields.Nested(DimensionSchema)
    feasibility = ma.fields.Nested(DimensionSchema)
    rated = ma.fields.Integer(metadata={"description": "How many rated."})


class RoundReadinessSchema(Schema):
    round = ma.fields.Integer(metadata={"description": "1 is the baseline, at the intake."})
    opened_at = ma.fields.AwareDateTime(
        metadata={"description": "When the round was opened (the baseline: the project's start)."}
    )
    team = ma.fields.Nested(
        DimensionsSchema, metadata={"description": "Everyone's ratings but the MT members'."}
    )
    mt = ma.fields.Nested(
        DimensionsSchema,
        metadata={
            "description": "The ratings of participants with the "
            "mt_member role, apart from the team's."
        },
    )
    change = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Float(allow_none=True),
        metadata={
            "description": "The team's mean per dimension minus the baseline's; null where "
            "either round has no rating.",
            "example": {"desire": 0.5, "energy": 1.0, "feasibility": None},
        },
    )


class ReadinessSummarySchema(Schema):
    desire = ma.fields.Nested(DimensionSchema, metadata={"description": "The team's, this round."})
    energy = ma.fields.Nested(DimensionSchema)
    feasibility = ma.fields.Nested(DimensionSchema)
    round = ma.fields.Integer(
        metadata={
            "description": "The round summarised: the current one (the intake's "
            "overview shows the baseline, round 1)."
        }
    )
    mt = ma.fields.Nested(DimensionsSchema, metadata={"description": "The MT's, apart."})
    rounds = ma.fields.List(
        ma.fields.Nested(RoundReadinessSchema),
        metadata={"description": "Every round, oldest first, compared with the baseline."},
    )
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
