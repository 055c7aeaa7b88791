"""Development agreements (phase 4 of seed 004): made collectively, seniors coach, and
peers check in on them (the social control that makes agreements stick)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.base import Entity
from domain.errors import RuleViolation


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


@dataclass(kw_only=True, eq=False)
class Agreement(Entity):
    """A participant's agreement to grow in a competence, from the level they have now to a
    target, with a senior as coach and a date (ontwikkelafspraak)."""

    project_id: UUID
    participant_id: UUID
    competence_id: UUID
    start_level: int
    target_level: int
    coach_id: UUID
    due_date: date
    status: AgreementStatus = AgreementStatus.PROPOSED
    meeting_id: UUID | None = None
    # Read-only: the latest peer check-in, filled in by the use cases that show it.
    last_check_in: CheckIn | None = None

    def move_to(self, status: AgreementStatus) -> None:
        if status is self.status:
            return
        if status not in MOVES[self.status]:
            allowed = ", ".join(sorted(MOVES[self.status])) or "nothing (it is final)"
            raise RuleViolation.on(
                "status",
                f"An agreement that is {self.status.value} can move to {allowed} only.",
                "invalid_move",
            )

    @property
    def open(self) -> bool:
        return self.status not in (AgreementStatus.ACHIEVED, AgreementStatus.ABANDONED)

    def overdue(self, today: date) -> bool:
        return self.open and self.due_date < today


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
