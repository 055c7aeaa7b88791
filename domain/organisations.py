"""Client organisations, their teams (departments) and their people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.base import Entity


@dataclass(kw_only=True, eq=False)
class Organisation(Entity):
    """A client of the consultancy (klantorganisatie)."""

    name: str


@dataclass(kw_only=True, eq=False)
class Team(Entity):
    """A department (afdeling) of an organisation."""

    organisation_id: UUID
    name: str


ERASED_NAME = None


@dataclass(kw_only=True, eq=False)
class Person(Entity):
    """An employee (medewerker); ``external_id`` is the HRIS's key, unique per organisation."""

    organisation_id: UUID
    external_id: str | None = None
    name: str | None
    email: str | None = None
    active: bool = True
    team_id: UUID | None = None
    erased_at: datetime | None = None

    @property
    def erased(self) -> bool:
        return self.erased_at is not None

    def erase(self, now: datetime) -> frozenset[str]:
        """Forget who this was (GDPR erasure) while the records they took part in stay.

        The external id goes too: it is the HRIS's handle on the same human.
        """
        return self.change(
            name=None, email=None, external_id=None, active=False, team_id=None, erased_at=now
        )
