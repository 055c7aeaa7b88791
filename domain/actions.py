"""Actions: what someone agreed to do, followed until it is done or dropped.

A commitment made at a meeting (afspraak, seeds 000 and 003) is an action of that
meeting; an action can also come from a finding or a grievance of the intake, and then
belongs to no meeting. Carried from meeting to meeting, its status says what became of it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID

from domain.base import Entity, utcnow


class ActionStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


@dataclass(kw_only=True, eq=False)
class Action(Entity):
    """Owned by its named owners; a meeting's action without named owners is owned by all
    who attended. A grievance's action names the grievance only: never its author, who
    may be anonymous."""

    project_id: UUID
    text: str
    meeting_id: UUID | None = None
    owner_ids: list[UUID] = field(default_factory=list)
    due_date: date | None = None
    status: ActionStatus = ActionStatus.OPEN
    status_by_id: UUID | None = None
    status_at: datetime | None = None
    finding_id: UUID | None = None
    grievance_id: UUID | None = None

    def owners(self, attendee_ids: list[UUID]) -> set[UUID]:
        """Who answers for it: its named owners, else the attendees of its meeting."""
        return set(self.owner_ids) or set(attendee_ids)

    @property
    def open(self) -> bool:
        return self.status is ActionStatus.OPEN

    def overdue(self, today: date) -> bool:
        return self.open and self.due_date is not None and self.due_date < today

    def set_status(self, status: ActionStatus, by: UUID | None) -> dict[str, object]:
        """The changes that move it to ``status``, saying who (a participant, when
        known) and when; none when it already is."""
        if status is self.status:
            return {}
        return {"status": status, "status_by_id": by, "status_at": utcnow()}
