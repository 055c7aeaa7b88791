"""Plain values the unit tests of the matrix's analyses are built from: participants of
one project and their levels."""

from __future__ import annotations

from uuid import uuid4

from domain.competences import Competence
from domain.matrix import Level, LevelSource
from domain.projects import Participant, ParticipantRole

PROJECT = uuid4()


def person(*roles: str, name: str | None = None, active: bool = True) -> Participant:
    """A participant of ``PROJECT``, a member unless ``roles`` say otherwise."""
    return Participant(
        project_id=PROJECT,
        person_id=uuid4(),
        roles=[ParticipantRole(r) for r in roles or ("member",)],
        name=name,
        active=active,
    )


def level(who: Participant, what: Competence, value: int) -> Level:
    """``who`` rated themselves ``value`` in ``what``."""
    return Level(
        project_id=PROJECT,
        participant_id=who.id,
        competence_id=what.id,
        level=value,
        source=LevelSource.SELF,
    )
