from __future__ import annotations

import marshmallow as ma

from api.extensions import Schema
from api.fields import Translated
from api.resources.intake.schemas import RoundReadinessSchema


class ReadinessEffectSchema(Schema):
    baseline = ma.fields.Nested(RoundReadinessSchema, metadata={"description": "Round 1."})
    latest = ma.fields.Nested(
        RoundReadinessSchema,
        metadata={"description": "The latest round the team rated in; its change is the effect."},
    )


class QuestionEffectSchema(Schema):
    question_id = ma.fields.UUID()
    text = ma.fields.String()
    topic = ma.fields.String(metadata={"example": "trust"})
    before = ma.fields.Float(allow_none=True, metadata={"description": "Null while withheld."})
    after = ma.fields.Float(allow_none=True, metadata={"description": "Null while withheld."})
    change = ma.fields.Float(allow_none=True)


class PulseEffectSchema(Schema):
    survey_id = ma.fields.UUID()
    title = ma.fields.String()
    baseline_round = ma.fields.Integer()
    latest_round = ma.fields.Integer(metadata={"description": "The latest closed round answered."})
    baseline_withheld = Translated(allow_none=True, metadata={"example": "fewer than 3 answers"})
    latest_withheld = Translated(allow_none=True)
    questions = ma.fields.List(
        ma.fields.Nested(QuestionEffectSchema),
        metadata={"description": "The scale questions, mean before and after."},
    )


class MeasuredSchema(Schema):
    value = ma.fields.Float()
    date = ma.fields.Date()
    source = ma.fields.String()


class IndicatorEffectSchema(Schema):
    service_id = ma.fields.UUID()
    service = ma.fields.String()
    indicator_id = ma.fields.UUID()
    indicator = ma.fields.String()
    before = ma.fields.Nested(
        MeasuredSchema, allow_none=True, metadata={"description": "The first measurement."}
    )
    after = ma.fields.Nested(
        MeasuredSchema, allow_none=True, metadata={"description": "The latest measurement."}
    )
    change = ma.fields.Float(allow_none=True, metadata={"description": "Null until two."})


class CompetenceEffectSchema(Schema):
    competence_id = ma.fields.UUID()
    code = ma.fields.String()
    holders_before = ma.fields.Integer(metadata={"description": "Team members at level 3+."})
    holders_after = ma.fields.Integer()
    single_point_of_failure_before = ma.fields.Boolean()
    single_point_of_failure_after = ma.fields.Boolean()


class MatrixEffectSchema(Schema):
    baseline_at = ma.fields.AwareDateTime(
        allow_none=True,
        metadata={
            "description": "The moment 'before' is read at: when the project first entered "
            "development. Null while it never did (before is now)."
        },
    )
    single_points_of_failure_before = ma.fields.Integer()
    single_points_of_failure_after = ma.fields.Integer()
    competences = ma.fields.List(
        ma.fields.Nested(CompetenceEffectSchema),
        metadata={"description": "Every competence a service needs, by code."},
    )


class EffectSchema(Schema):
    readiness = ma.fields.Nested(ReadinessEffectSchema)
    pulse = ma.fields.List(ma.fields.Nested(PulseEffectSchema))
    indicators = ma.fields.List(ma.fields.Nested(IndicatorEffectSchema))
    matrix = ma.fields.Nested(MatrixEffectSchema)
