"""OD projects and the people taking part in them."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID, uuid4

from domain.base import Entity, utcnow
from domain.phases import Phase


class ParticipantRole(enum.StrEnum):
    MEMBER = "member"
    MANAGER = "manager"
    SENIOR = "senior"
    MT_MEMBER = "mt_member"


@dataclass(kw_only=True, eq=False)
class Project(Entity):
    """An OD project: one team of one organisation, moving through the phases."""

    organisation_id: UUID
    team_id: UUID
    name: str
    description: str = ""
    phase: Phase = Phase.INTAKE
    # A development agreement without a check-in for this many days is due one (a reminder).
    check_in_days: int = 14


@dataclass(kw_only=True, eq=False)
class Participant(Entity):
    """A person taking part in a project (deelnemer), with one or more roles."""

    project_id: UUID
    person_id: UUID
    roles: list[ParticipantRole]
    # Read-only view of the person, filled in by the repository: their name, the HRIS's
    # id (for files that name people by it, a levels CSV), and whether they still work
    # there (an HRIS deactivates those who leave).
    name: str | None = None
    external_id: str | None = None
    active: bool = True

    def has_role(self, role: ParticipantRole) -> bool:
        return role in self.roles

    @property
    def left(self) -> bool:
        """A leaver stays in the project's history but no longer counts in its analyses,
        its gates or as a coach."""
        return not self.active


@dataclass(kw_only=True, eq=False)
class PhaseTransition:
    """One move of a project between phases, kept as its history."""

    id: UUID = field(default_factory=uuid4)
    project_id: UUID
    from_phase: Phase
    to_phase: Phase
    reason: str | None = None
    actor_id: UUID | None = None
    created_at: datetime = field(default_factory=utcnow)

    @property
    def backwards(self) -> bool:
        return self.to_phase.position < self.from_phase.position


def leavers(participants: Iterable[Participant]) -> set[UUID]:
    """The participants who have left (``Participant.left``): kept in the history, counted
    nowhere else."""
    return {p.id for p in participants if p.left}
