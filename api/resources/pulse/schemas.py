from __future__ import annotations

import marshmallow as ma

from api.extensions import Schema
from api.fields import EntitySchema, Text, Translated
from domain.pulse import QuestionKind, Topic

SURVEY_EXAMPLE = {
    "title": "Pulse, spring",
    "questions": [
        {"kind": "scale", "topic": "trust", "text": "I can say what I think in this team."},
        {"kind": "scale", "topic": "knowledge_sharing", "text": "Colleagues share what they know."},
        {"kind": "scale", "topic": "job_satisfaction", "text": "I enjoy my work."},
        {
            "kind": "open",
            "topic": "mt_complaints",
            "text": "What does the MT still complain about?",
        },
    ],
}
ANSWER_EXAMPLE = {
    "participant_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
    "answers": [{"question_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "value": 4}],
}


class QuestionSchema(Schema):
    id = ma.fields.UUID(dump_only=True)
    kind = ma.fields.Enum(
        QuestionKind,
        by_value=True,
        required=True,
        metadata={"description": "scale: answered 1 (not at all) to 5 (very much); open: text."},
    )
    topic = ma.fields.Enum(Topic, by_value=True, load_default=Topic.OTHER)
    text = Text(required=True, max_length=2_000)


class QuestionWriteSchema(QuestionSchema):
    """A question as a consultant defines it (a schema apart from the answer's)."""


class SurveySchema(EntitySchema):
    project_id = ma.fields.UUID()
    title = ma.fields.String(metadata={"example": SURVEY_EXAMPLE["title"]})
    questions = ma.fields.List(ma.fields.Nested(QuestionSchema))
    round = ma.fields.Integer(metadata={"description": "The round answers go into now."})


class SurveyCreateSchema(Schema):
    title = Text(required=True)
    questions = ma.fields.List(
        ma.fields.Nested(QuestionWriteSchema), required=True, validate=ma.validate.Length(1, 20)
    )


class AnswerSchema(Schema):
    question_id = ma.fields.UUID(required=True)
    value = ma.fields.Integer(
        strict=True, validate=ma.validate.Range(1, 5), metadata={"description": "Scale questions."}
    )
    text = Text(max_length=10_000, metadata={"description": "Open questions."})


class ResponseCreateSchema(Schema):
    participant_id = ma.fields.UUID(
        required=True,
        metadata={
            "description": "Who answers: kept only to allow one answer per round, never with "
            "the answers."
        },
    )
    answers = ma.fields.List(
        ma.fields.Nested(AnswerSchema), required=True, validate=ma.validate.Length(1, 20)
    )


class ReceiptSchema(Schema):
    survey_id = ma.fields.UUID()
    round = ma.fields.Integer(metadata={"description": "The round the answers went into."})


class QuestionResultSchema(Schema):
    question_id = ma.fields.UUID()
    kind = ma.fields.Enum(QuestionKind, by_value=True)
    topic = ma.fields.Enum(Topic, by_value=True)
    text = ma.fields.String()
    count = ma.fields.Integer(metadata={"description": "How many answered this question."})
    mean = ma.fields.Float(allow_none=True, metadata={"description": "Scale questions."})
    distribution = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Integer(),
        allow_none=True,
        metadata={
            "description": "Scale questions: answers per value.",
            "example": {"1": 0, "5": 2},
        },
    )
    answers = ma.fields.List(
        ma.fields.String(),
        allow_none=True,
        metadata={"description": "Open questions: the texts, in alphabetical order."},
    )
    withheld = Translated(
        allow_none=True,
        metadata={
            "description": "Why mean, distribution and texts are not shown: the question was "
            "answered fewer than 3 times, so an answer could be singled out; null when shown.",
            "example": "fewer than 3 answers",
        },
    )


class PulseResultSchema(Schema):
    round = ma.fields.Integer()
    answers = ma.fields.Integer(metadata={"description": "How many answered in the round."})
    open = ma.fields.Boolean(
        metadata={"description": "The round still takes answers: its results are withheld."}
    )
    withheld = Translated(
        allow_none=True,
        metadata={
            "description": "Why nothing is shown: the round is still open, or it holds fewer "
            "than 3 answers; null when shown.",
            "example": "fewer than 3 answers",
        },
    )
    questions = ma.fields.List(ma.fields.Nested(QuestionResultSchema))
