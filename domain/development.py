"""Development agreements (phase 4 of seed 004): made collectively, seniors coach, and
peers check in on them (the social control that makes agreements stick)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from domain.base import Entity
from domain.errors import RuleViolation
from domain.texts import _


class AgreementStatus(enum.StrEnum):
    PROPOSED = "proposed"
    AGREED = "agreed"
    IN_PROGRESS = "in_progress"
    ACHIEVED = "achieved"
    ABANDONED = "abandoned"


MOVES: dict[AgreementStatus, frozenset[AgreementStatus]] = {
    AgreementStatus.PROPOSED: frozenset({AgreementStatus.AGREED}),
    AgreementStatus.AGREED: frozenset({AgreementStatus.IN_PROGRESS}),
    AgreementStatus.IN_PROGRESS: frozenset({AgreementStatus.ACHIEVED, AgreementStatus.ABANDONED}),
    AgreementStatus.ACHIEVED: frozenset(),
    AgreementStatus.ABANDONED: frozenset(),
}


@dataclass(frozen=True)
class ExternalCoach:
    """A coach from outside the team, for a competence nobody in it holds well enough."""

    name: str
    organisation: str


@dataclass(frozen=True)
class Training:
    """A course that teaches the competence instead of a coach."""

    title: str
    provider: str
    starts_on: date | None = None
    ends_on: date | None = None


class CoachingKind(enum.StrEnum):
    SENIOR = "senior"
    EXTERNAL_COACH = "external_coach"
    TRAINING = "training"


COACHING_FIELDS = ("coach_id", "external_coach", "training")


def coaching_violation(
    coach_id: UUID | None, external_coach: ExternalCoach | None, training: Training | None
) -> RuleViolation | None:
    """Exactly one way of learning it: a senior of the team, an external coach, or a
    training; none or two would leave unclear who helps."""
    named = [
        name
        for name, value in zip(COACHING_FIELDS, (coach_id, external_coach, training), strict=True)
        if value is not None
    ]
    if not named:
        return RuleViolation.on(
            "coach_id",
            _("Name who helps: a senior as coach_id, an external_coach or a training."),
            "no_coaching",
        )
    if len(named) > 1:
        return RuleViolation.on(
            named[1],
            _(
                "Name one way of coaching only; {first} and {second} are both given.",
                first=named[0],
                second=named[1],
            ),
            "coaching_ambiguous",
        )
    starts, ends = (training.starts_on, training.ends_on) if training else (None, None)
    if starts and ends and ends < starts:
        return RuleViolation.on(
            "training", _("A training cannot end before it starts."), "ends_before_start"
        )
    return None


@dataclass(kw_only=True, eq=False)
class Agreement(Entity):
    """A participant's agreement to grow in a competence, from the level they have now to a
    target, with a date (ontwikkelafspraak), and one way of learning it: a senior of the
    team as coach, or, where nobody in the team holds it well enough, an external coach or
    a training. The latter two are stored flat, as their table has them."""

    project_id: UUID
    participant_id: UUID
    competence_id: UUID
    start_level: int
    target_level: int
    due_date: date
    coach_id: UUID | None = None
    external_coach_name: str | None = None
    external_coach_organisation: str | None = None
    training_title: str | None = None
    training_provider: str | None = None
    training_starts_on: date | None = None
    training_ends_on: date | None = None
    status: AgreementStatus = AgreementStatus.PROPOSED
    meeting_id: UUID | None = None
    # Read-only: the latest peer check-in, filled in by the use cases that show it; and
    # whether the participant or the senior coach has left the organisation since.
    last_check_in: CheckIn | None = None
    participant_left: bool = False
    coach_left: bool = False

    @property
    def orphaned(self) -> bool:
        """Still open while the participant or its senior coach has left: someone must
        end it or find another coach."""
        return self.open and (self.participant_left or self.coach_left)

    @property
    def external_coach(self) -> ExternalCoach | None:
        if self.external_coach_name is None:
            return None
        return ExternalCoach(self.external_coach_name, self.external_coach_organisation or "")

    @property
    def training(self) -> Training | None:
        if self.training_title is None:
            return None
        return Training(
            self.training_title,
            self.training_provider or "",
            self.training_starts_on,
            self.training_ends_on,
        )

    @property
    def coaching(self) -> CoachingKind | None:
        """How the participant learns it (the table holds exactly one of the three)."""
        if self.coach_id is not None:
            return CoachingKind.SENIOR
        if self.external_coach_name is not None:
            return CoachingKind.EXTERNAL_COACH
        if self.training_title is not None:
            return CoachingKind.TRAINING
        return None

    def move_to(self, status: AgreementStatus) -> None:
        if status is self.status:
            return
        if status not in MOVES[self.status]:
            allowed = sorted(MOVES[self.status])
            raise RuleViolation.on(
                "status",
                _(
                    "An agreement that is {status} can move to {allowed} only.",
                    status=self.status.value,
                    allowed=allowed,
                )
                if allowed
                else _(
                    "An agreement that is {status} is final: it moves no more.",
                    status=self.status.value,
                ),
                "invalid_move",
            )

    @property
    def open(self) -> bool:
        return self.status not in (AgreementStatus.ACHIEVED, AgreementStatus.ABANDONED)

    def overdue(self, today: date) -> bool:
        return self.open and self.due_date < today


def coaching_columns(
    coach_id: UUID | None, external_coach: ExternalCoach | None, training: Training | None
) -> dict[str, Any]:
    """An agreement's coaching as its stored fields, the kinds not chosen cleared."""
    return {
        "coach_id": coach_id,
        "external_coach_name": external_coach.name if external_coach else None,
        "external_coach_organisation": external_coach.organisation if external_coach else None,
        "training_title": training.title if training else None,
        "training_provider": training.provider if training else None,
        "training_starts_on": training.starts_on if training else None,
        "training_ends_on": training.ends_on if training else None,
    }


class CheckInStatus(enum.StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"


@dataclass(kw_only=True, eq=False)
class CheckIn(Entity):
    """A peer's dated note on how an agreement is going (sociale controle)."""

    project_id: UUID
    agreement_id: UUID
    participant_id: UUID
    date: date
    status: CheckInStatus
    note: str = ""
