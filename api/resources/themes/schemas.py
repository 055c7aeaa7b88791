from __future__ import annotations

import marshmallow as ma

from api.conventions import ListArgsSchema
from api.extensions import Schema
from api.fields import EntitySchema, Text, Translated

THEME_EXAMPLE = {
    "name": "Cultuur van vertrouwen",
    "description": "Building a culture of trust, step by step.",
    "steps": [
        {"title": "What is trust?"},
        {"title": "Giving and receiving feedback"},
        {"title": "Addressing conflicts directly"},
        {"title": "Keeping agreements"},
    ],
}


class StepSchema(Schema):
    id = ma.fields.UUID(metadata={"description": "Send it back to keep the step when reordering."})
    title = ma.fields.String()


class StepUpdateSchema(Schema):
    """A step in a theme's new order: an answered step's ``id`` keeps it, none adds one."""

    id = ma.fields.UUID(metadata={"description": "The step's id, to keep it; absent to add one."})
    title = Text(required=True, max_length=500)


class NewStepSchema(Schema):
    title = Text(required=True, max_length=500)


class ThemeSchema(EntitySchema):
    name = ma.fields.String()
    description = ma.fields.String()
    steps = ma.fields.List(ma.fields.Nested(StepSchema))


class ThemeCreateSchema(Schema):
    name = Text(required=True)
    description = Text(max_length=10_000, blank=True, load_default="")
    steps = ma.fields.List(
        ma.fields.Nested(NewStepSchema),
        validate=ma.validate.Length(max=200),
        load_default=list,
    )


class ThemeUpdateSchema(Schema):
    name = Text()
    description = Text(max_length=10_000, blank=True)
    steps = ma.fields.List(
        ma.fields.Nested(StepUpdateSchema),
        validate=ma.validate.Length(max=200),
        metadata={"description": "The steps in their new order: with id to keep, without to add."},
    )


class ThemeQueryArgsSchema(ListArgsSchema):
    name = ma.fields.String()


class AssignmentSchema(EntitySchema):
    project_id = ma.fields.UUID()
    theme_id = ma.fields.UUID()


class AssignmentCreateSchema(Schema):
    theme_id = ma.fields.UUID(required=True)


class ProgressSchema(Schema):
    participant_id = ma.fields.UUID()
    steps_done = ma.fields.List(ma.fields.UUID())
    steps_total = ma.fields.Integer()
    percent = ma.fields.Integer(metadata={"example": 0})
    finished = ma.fields.Boolean()
    text = Translated(metadata={"example": "0 of 4 steps done, 0%"})


class ProgressWriteSchema(Schema):
    steps_done = ma.fields.List(
        ma.fields.UUID(), required=True, validate=ma.validate.Length(max=200)
    )


class SummarySchema(Schema):
    participants = ma.fields.Integer()
    average_percent = ma.fields.Float()
    finished = ma.fields.Integer()


class ThemeInProjectSchema(Schema):
    theme = ma.fields.Nested(ThemeSchema)
    summary = ma.fields.Nested(SummarySchema)
    progress = ma.fields.List(ma.fields.Nested(ProgressSchema))
