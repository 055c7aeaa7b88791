from __future__ import annotations

import marshmallow as ma

from api.conventions import ListArgsSchema
from api.extensions import Schema
from api.fields import EntitySchema, Text
from domain.competences import DEFAULT_REQUIRED_LEVEL, MAX_LEVEL, MIN_LEVEL
from domain.indicators import Trend
from domain.service_definition import FeedbackStatus

SERVICE_EXAMPLE = {
    "name": "Onboarding of new colleagues",
    "description": "Everything a new colleague needs in the first month.",
    "client_group": "Line managers of the business units",
    "deliverables": ["Workplace ready on day one", "Introduction programme"],
    "indicators": ["Days until the workplace is ready", "Satisfaction of the new colleague"],
    "required_competences": [{"competence_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "level": 3}],
}
CONTRIBUTOR_EXAMPLE = {
    "participant_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
    "contribution": "Arranges the workplace and accounts.",
}
FEEDBACK_EXAMPLE = {
    "text": "Include the security training in the introduction.",
    "author_name": "Director of operations",
}
MEASUREMENT_EXAMPLE = {"value": 3.5, "date": "2026-06-01", "source": "Client survey, June"}
Level = ma.validate.Range(MIN_LEVEL, MAX_LEVEL)
Lines = ma.validate.Length(max=100)


class RequiredCompetenceSchema(Schema):
    competence_id = ma.fields.UUID()
    level = ma.fields.Integer(metadata={"description": "The level the service needs, 0–4."})


class RequiredCompetenceWriteSchema(Schema):
    competence_id = ma.fields.UUID(required=True)
    level = ma.fields.Integer(
        load_default=DEFAULT_REQUIRED_LEVEL,
        strict=True,
        validate=Level,
        metadata={"description": "The level the service needs, 0–4 (default 3)."},
    )


class ContributorSchema(EntitySchema):
    service_id = ma.fields.UUID()
    participant_id = ma.fields.UUID()
    name = ma.fields.String(allow_none=True, metadata={"description": "Null once erased."})
    contribution = ma.fields.String(metadata={"example": CONTRIBUTOR_EXAMPLE["contribution"]})


class ContributorCreateSchema(Schema):
    participant_id = ma.fields.UUID(required=True)
    contribution = Text(max_length=10_000, blank=True, load_default="")


class ContributorUpdateSchema(Schema):
    contribution = Text(max_length=10_000, blank=True, required=True)


class MeasurementSchema(EntitySchema):
    project_id = ma.fields.UUID()
    service_id = ma.fields.UUID()
    indicator_id = ma.fields.UUID()
    indicator = ma.fields.String(metadata={"description": "The indicator's text."})
    value = ma.fields.Float(metadata={"example": MEASUREMENT_EXAMPLE["value"]})
    date = ma.fields.Date()
    source = ma.fields.String(metadata={"description": "Where the value comes from."})


class MeasurementCreateSchema(Schema):
    value = ma.fields.Float(required=True, allow_nan=False, validate=ma.validate.Range(-1e15, 1e15))
    date = ma.fields.Date(required=True)
    source = Text(max_length=200, blank=True, load_default="")


class IndicatorSchema(Schema):
    id = ma.fields.UUID(
        metadata={
            "description": "Derived from the service and the text: a renamed indicator "
            "is another one."
        }
    )
    service_id = ma.fields.UUID()
    name = ma.fields.String(metadata={"example": SERVICE_EXAMPLE["indicators"][0]})
    measurements = ma.fields.Integer(metadata={"description": "How many were recorded."})
    first = ma.fields.Nested(MeasurementSchema, allow_none=True)
    latest = ma.fields.Nested(MeasurementSchema, allow_none=True)
    change = ma.fields.Float(
        allow_none=True, metadata={"description": "Latest minus the one before; null until two."}
    )
    trend = ma.fields.Enum(
        Trend, by_value=True, allow_none=True, metadata={"description": "Null until two."}
    )


class FeedbackCountsSchema(Schema):
    """The MT's feedback on a service by status: every status counted, zero included."""

    open = ma.fields.Integer()
    processed = ma.fields.Integer()


class ServiceSchema(EntitySchema):
    project_id = ma.fields.UUID()
    name = ma.fields.String(metadata={"example": SERVICE_EXAMPLE["name"]})
    description = ma.fields.String()
    client_group = ma.fields.String(metadata={"description": "The internal clients it serves."})
    deliverables = ma.fields.List(
        ma.fields.String(), metadata={"description": "What the client receives."}
    )
    indicators = ma.fields.List(
        ma.fields.String(), metadata={"description": "What the client looks at to judge it."}
    )
    measured_indicators = ma.fields.List(
        ma.fields.Nested(IndicatorSchema),
        metadata={"description": "The indicators with their latest measurement and trend."},
    )
    required_competences = ma.fields.List(ma.fields.Nested(RequiredCompetenceSchema))
    contributors = ma.fields.List(
        ma.fields.Nested(ContributorSchema), metadata={"description": "The service group."}
    )
    feedback_counts = ma.fields.Nested(
        FeedbackCountsSchema, metadata={"example": {"open": 1, "processed": 2}}
    )


class _ServiceFields(Schema):
    name = Text()
    description = Text(max_length=10_000, blank=True)
    client_group = Text(max_length=2_000, blank=True)
    deliverables = ma.fields.List(Text(max_length=2_000), validate=Lines)
    indicators = ma.fields.List(Text(max_length=2_000), validate=Lines)
    required_competences = ma.fields.List(
        ma.fields.Nested(RequiredCompetenceWriteSchema), validate=Lines
    )


class ServiceCreateSchema(_ServiceFields):
    name = Text(required=True)
    description = Text(max_length=10_000, blank=True, load_default="")
    client_group = Text(max_length=2_000, blank=True, load_default="")
    deliverables = ma.fields.List(Text(max_length=2_000), validate=Lines, load_default=list)
    indicators = ma.fields.List(Text(max_length=2_000), validate=Lines, load_default=list)
    required_competences = ma.fields.List(
        ma.fields.Nested(RequiredCompetenceWriteSchema), validate=Lines, load_default=list
    )


class ServiceUpdateSchema(_ServiceFields):
    pass


class FeedbackSchema(EntitySchema):
    project_id = ma.fields.UUID()
    service_id = ma.fields.UUID()
    text = ma.fields.String()
    participant_id = ma.fields.UUID(
        allow_none=True, metadata={"description": "An MT member taking part."}
    )
    author_name = ma.fields.String(
        allow_none=True, metadata={"description": "An MT member from outside."}
    )
    status = ma.fields.Enum(FeedbackStatus, by_value=True)
    response = ma.fields.String(
        allow_none=True, metadata={"description": "The service group's response."}
    )
    meeting_id = ma.fields.UUID(
        allow_none=True, metadata={"description": "The MT presentation where it was given."}
    )


class FeedbackCreateSchema(Schema):
    text = Text(required=True, max_length=10_000)
    participant_id = ma.fields.UUID(load_default=None, allow_none=True)
    author_name = Text(load_default=None, allow_none=True)
    meeting_id = ma.fields.UUID(
        allow_none=True,
        load_default=None,
        metadata={"description": "The MT presentation (a meeting) where it was given."},
    )


class FeedbackUpdateSchema(Schema):
    text = Text(max_length=10_000)
    status = ma.fields.Enum(FeedbackStatus, by_value=True)
    response = Text(max_length=10_000, allow_none=True)
    meeting_id = ma.fields.UUID(
        allow_none=True, metadata={"description": "The MT presentation where it was given."}
    )


class FeedbackQueryArgsSchema(ListArgsSchema):
    status = ma.fields.Enum(FeedbackStatus, by_value=True)
    meeting_id = ma.fields.UUID(metadata={"description": "What an MT presentation produced."})


class ProjectFeedbackQueryArgsSchema(FeedbackQueryArgsSchema):
    service_id = ma.fields.UUID()


class ServiceRefSchema(Schema):
    id = ma.fields.UUID()
    name = ma.fields.String()


class CoordinatorSchema(Schema):
    participant_id = ma.fields.UUID()
    name = ma.fields.String(allow_none=True)
    services = ma.fields.List(ma.fields.Nested(ServiceRefSchema))
