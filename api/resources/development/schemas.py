from __future__ import annotations

from datetime import date, timedelta

import marshmallow as ma

from api.conventions import ListArgsSchema
from api.extensions import Schema
from api.fields import EntitySchema, Text, Translated
from api.resources.services.schemas import ServiceRefSchema
from domain.competences import LEVELS, MAX_LEVEL, MIN_LEVEL
from domain.development import (
    AgreementStatus,
    CheckInStatus,
    CoachingKind,
    ExternalCoach,
    Training,
)
from domain.matrix import LevelSource
from domain.projects import ParticipantRole

PARTICIPANT = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
COMPETENCE = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
COACH = "9b2d3c4e-5f60-4a1b-8c2d-3e4f5a6b7c8d"
LEVELS_EXAMPLE = {
    "levels": [
        {"participant_id": PARTICIPANT, "competence_id": COMPETENCE, "level": 2, "source": "self"}
    ]
}
WISH_EXAMPLE = {
    "participant_id": PARTICIPANT,
    "competence_id": COMPETENCE,
    "motivation": "I want to give feedback that lands.",
}
AGREEMENT_EXAMPLE = {
    "participant_id": PARTICIPANT,
    "competence_id": COMPETENCE,
    "target_level": 3,
    "coach_id": COACH,
    "due_date": "2027-06-30",
}
CHECK_IN_EXAMPLE = {
    "participant_id": COACH,
    "status": "on_track",
    "note": "Practised twice this week.",
}
Level = ma.validate.Range(MIN_LEVEL, MAX_LEVEL)
SCALE = "; ".join(f"{n} {name}" for n, name in LEVELS.items())


# --- the matrix (documented here; the view writes the JSON itself, see routes) -------


class CellSchema(Schema):
    level = ma.fields.Integer(metadata={"description": SCALE})
    source = ma.fields.Enum(LevelSource, by_value=True)


class MatrixParticipantSchema(Schema):
    id = ma.fields.UUID()
    name = ma.fields.String(allow_none=True)
    # Strings as the matrix read hands them over, documented as the roles they are.
    roles = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf([role.value for role in ParticipantRole]))
    )
    left = ma.fields.Boolean(
        metadata={
            "description": "The person has left (deactivated, e.g. by the HRIS sync): shown, "
            "but no longer counted in dependencies, priorities or gates."
        }
    )
    levels = ma.fields.Dict(
        keys=ma.fields.UUID(),
        values=ma.fields.Nested(CellSchema),
        metadata={"description": "Per competence id: the current level and its source."},
    )
    contributions = ma.fields.Dict(
        keys=ma.fields.UUID(),
        values=ma.fields.String(),
        metadata={"description": "Per service id: what this participant contributes."},
    )


class NeedSchema(Schema):
    service_id = ma.fields.UUID()
    level = ma.fields.Integer()


class MatrixCompetenceSchema(Schema):
    id = ma.fields.UUID()
    code = ma.fields.String()
    name = ma.fields.String()
    required_by = ma.fields.List(ma.fields.Nested(NeedSchema))


class MatrixServiceSchema(Schema):
    id = ma.fields.UUID()
    name = ma.fields.String()


class MatrixSchema(Schema):
    project_id = ma.fields.UUID()
    scale = ma.fields.Dict(keys=ma.fields.String(), values=Translated())
    competences = ma.fields.List(ma.fields.Nested(MatrixCompetenceSchema))
    services = ma.fields.List(ma.fields.Nested(MatrixServiceSchema))
    participants = ma.fields.List(ma.fields.Nested(MatrixParticipantSchema))


class MatrixQueryArgsSchema(Schema):
    participant_id = ma.fields.UUID(
        metadata={
            "description": "Only this participant's row (same columns). A participant reads "
            "the matrix only with this set to their own participant id."
        }
    )


class SeniorSchema(Schema):
    participant_id = ma.fields.UUID(attribute="id")
    name = ma.fields.String(allow_none=True)


class TeamCompetenceSchema(MatrixCompetenceSchema):
    rated = ma.fields.Integer(
        metadata={"description": "Team members with a level in it (MT members and leavers aside)."}
    )
    holders = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Integer(),
        allow_none=True,
        metadata={
            "description": "Per level (0–4): how many team members hold it. Null while fewer "
            "than 3 are rated in it (`withheld`), so nobody's level can be singled out.",
            "example": {"0": 0, "1": 1, "2": 3, "3": 2, "4": 1},
        },
    )
    withheld = Translated(
        allow_none=True,
        metadata={
            "description": "Why `holders` is not shown: fewer than 3 ratings; null when shown.",
            "example": "fewer than 3 ratings",
        },
    )
    seniors = ma.fields.List(
        ma.fields.Nested(SeniorSchema),
        metadata={
            "description": "The seniors at level 3 or more in it, who can coach it (leavers "
            "aside), by name."
        },
    )


class TeamMatrixSchema(Schema):
    project_id = ma.fields.UUID()
    scale = ma.fields.Dict(keys=ma.fields.String(), values=Translated())
    competences = ma.fields.List(ma.fields.Nested(TeamCompetenceSchema))
    services = ma.fields.List(ma.fields.Nested(MatrixServiceSchema))


class LevelCellSchema(Schema):
    participant_id = ma.fields.UUID(required=True)
    competence_id = ma.fields.UUID(required=True)
    level = ma.fields.Integer(required=True, strict=True, validate=Level)
    source = ma.fields.Enum(
        LevelSource,
        by_value=True,
        required=True,
        metadata={
            "description": "self, peer, coach or import ('agreement' comes from agreements)."
        },
    )


class LevelsBatchSchema(Schema):
    levels = ma.fields.List(
        ma.fields.Nested(LevelCellSchema),
        required=True,
        validate=ma.validate.Length(max=50_000),
        metadata={"description": "Up to 50,000 cells, applied together or not at all."},
    )


class LevelChangeSchema(Schema):
    id = ma.fields.UUID()
    participant_id = ma.fields.UUID()
    competence_id = ma.fields.UUID()
    level = ma.fields.Integer()
    previous_level = ma.fields.Integer(allow_none=True)
    source = ma.fields.Enum(LevelSource, by_value=True)
    actor_id = ma.fields.UUID(allow_none=True)
    created_at = ma.fields.AwareDateTime()


class HistoryQueryArgsSchema(ListArgsSchema):
    participant_id = ma.fields.UUID()
    competence_id = ma.fields.UUID()


# --- derived -----------------------------------------------------------------------


class CompetenceRefSchema(Schema):
    id = ma.fields.UUID()
    code = ma.fields.String()
    name = ma.fields.String()


class DependencySchema(Schema):
    rank = ma.fields.Integer()
    competence = ma.fields.Nested(CompetenceRefSchema)
    demand = ma.fields.Integer(metadata={"description": "Services needing it."})
    required_level = ma.fields.Integer(allow_none=True)
    holders = ma.fields.List(
        ma.fields.UUID(), metadata={"description": "Team members at the level needed."}
    )
    single_point_of_failure = ma.fields.Boolean()
    services_at_risk = ma.fields.List(ma.fields.Nested(ServiceRefSchema))


class PrioritySchema(Schema):
    wish_id = ma.fields.UUID()
    participant_id = ma.fields.UUID()
    competence_id = ma.fields.UUID()
    rank = ma.fields.Integer(
        allow_none=True, metadata={"description": "Dependency rank; null if no service needs it."}
    )
    reason = Translated()
    demand = ma.fields.Integer()
    holders = ma.fields.Integer()
    single_point_of_failure = ma.fields.Boolean()
    candidate_coaches = ma.fields.List(ma.fields.UUID())


# --- wishes, agreements, check-ins -------------------------------------------------


class WishSchema(EntitySchema):
    project_id = ma.fields.UUID()
    participant_id = ma.fields.UUID()
    competence_id = ma.fields.UUID()
    motivation = ma.fields.String()


class WishCreateSchema(Schema):
    participant_id = ma.fields.UUID(required=True)
    competence_id = ma.fields.UUID(required=True)
    motivation = Text(max_length=10_000, blank=True, load_default="")


class WishQueryArgsSchema(ListArgsSchema):
    participant_id = ma.fields.UUID()
    competence_id = ma.fields.UUID()


class CheckInSchema(EntitySchema):
    agreement_id = ma.fields.UUID()
    participant_id = ma.fields.UUID(metadata={"description": "The peer who checked in."})
    date = ma.fields.Date()
    status = ma.fields.Enum(CheckInStatus, by_value=True)
    note = ma.fields.String()


class CheckInCreateSchema(Schema):
    participant_id = ma.fields.UUID(required=True)
    status = ma.fields.Enum(CheckInStatus, by_value=True, required=True)
    note = Text(max_length=10_000, blank=True, load_default="")
    date = ma.fields.Date(metadata={"description": "Defaults to today."})


class ExternalCoachSchema(Schema):
    """A coach from outside the team (not a participant), where nobody in it holds the
    competence well enough to coach."""

    name = Text(required=True, max_length=200, metadata={"example": "Ineke de Vries"})
    organisation = Text(required=True, max_length=200, metadata={"example": "Coachbureau Noord"})

    @ma.post_load
    def _value(self, data, **kwargs):
        return ExternalCoach(**data)


class TrainingSchema(Schema):
    """A course that teaches the competence, instead of a coach."""

    title = Text(required=True, max_length=200, metadata={"example": "Feedback geven"})
    provider = Text(required=True, max_length=200, metadata={"example": "Academie West"})
    starts_on = ma.fields.Date(allow_none=True, load_default=None)
    ends_on = ma.fields.Date(allow_none=True, load_default=None)

    @ma.post_load
    def _value(self, data, **kwargs):
        return Training(**data)


COACHING_HELP = (
    "Name exactly one of coach_id (a senior participant at level 3 or more), "
    "external_coach or training."
)


class ExternalCoachWriteSchema(ExternalCoachSchema):
    """The external coach as a request names it (a schema apart from the answer's)."""


class TrainingWriteSchema(TrainingSchema):
    """The training as a request names it (a schema apart from the answer's)."""


class AgreementSchema(EntitySchema):
    project_id = ma.fields.UUID()
    participant_id = ma.fields.UUID()
    competence_id = ma.fields.UUID()
    start_level = ma.fields.Integer(metadata={"description": "The matrix level when agreed."})
    target_level = ma.fields.Integer()
    coaching = ma.fields.Enum(
        CoachingKind,
        by_value=True,
        metadata={"description": "Which of coach_id, external_coach and training is named."},
    )
    coach_id = ma.fields.UUID(allow_none=True, metadata={"description": "The senior coach."})
    external_coach = ma.fields.Nested(ExternalCoachSchema, allow_none=True)
    training = ma.fields.Nested(TrainingSchema, allow_none=True)
    due_date = ma.fields.Date()
    status = ma.fields.Enum(AgreementStatus, by_value=True)
    meeting_id = ma.fields.UUID(allow_none=True)
    last_check_in = ma.fields.Nested(CheckInSchema, allow_none=True)
    participant_left = ma.fields.Boolean(
        metadata={"description": "The participant has left the organisation."}
    )
    coach_left = ma.fields.Boolean(
        metadata={"description": "The senior coach has left the organisation."}
    )
    orphaned = ma.fields.Boolean(
        metadata={
            "description": "Open while its participant or senior coach has left: end it or "
            "name another coach."
        }
    )
    days_since_check_in = ma.fields.Method(
        "_days_since",
        allow_none=True,
        metadata={"type": "integer", "description": "Null before the first check-in."},
    )

    def _days_since(self, agreement):
        last = agreement.last_check_in
        return None if last is None else (date.today() - last.date).days


class AgreementCreateSchema(Schema):
    participant_id = ma.fields.UUID(required=True)
    competence_id = ma.fields.UUID(required=True)
    target_level = ma.fields.Integer(
        required=True, strict=True, validate=ma.validate.Range(1, MAX_LEVEL)
    )
    coach_id = ma.fields.UUID(allow_none=True, metadata={"description": COACHING_HELP})
    external_coach = ma.fields.Nested(ExternalCoachWriteSchema, allow_none=True)
    training = ma.fields.Nested(TrainingWriteSchema, allow_none=True)
    due_date = ma.fields.Date(required=True)
    meeting_id = ma.fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={"description": "The meeting in which it was agreed (agreements are collective)."},
    )


class AgreementUpdateSchema(Schema):
    status = ma.fields.Enum(
        AgreementStatus,
        by_value=True,
        metadata={"description": "proposed → agreed → in_progress → achieved | abandoned."},
    )
    target_level = ma.fields.Integer(strict=True, validate=ma.validate.Range(1, MAX_LEVEL))
    coach_id = ma.fields.UUID(
        allow_none=True,
        metadata={"description": f"{COACHING_HELP} Naming one replaces the coaching it had."},
    )
    external_coach = ma.fields.Nested(ExternalCoachWriteSchema, allow_none=True)
    training = ma.fields.Nested(TrainingWriteSchema, allow_none=True)
    due_date = ma.fields.Date()
    meeting_id = ma.fields.UUID(allow_none=True)


class AgreementQueryArgsSchema(ListArgsSchema):
    participant_id = ma.fields.UUID()
    coach_id = ma.fields.UUID()
    status = ma.fields.Enum(AgreementStatus, by_value=True)
    no_check_in_for_days = ma.fields.Integer(
        validate=ma.validate.Range(min=0, max=3650),
        metadata={"description": "Open agreements without a check-in in the last N days."},
    )
    overdue = ma.fields.Boolean(metadata={"description": "Open agreements past their due date."})

    def list_query(self, args):
        args = dict(args)
        today = date.today()
        if (days := args.pop("no_check_in_for_days", None)) is not None:
            args["quiet_since"] = today - timedelta(days=days)
        if args.pop("overdue", False):
            args["due_before"] = today
        return super().list_query(args)
