"""The change feed: created, updated and deleted resources, in the order they committed."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from uuid import UUID

from domain.events import Event
from domain.ports import UnitOfWork


@dataclass(frozen=True)
class ChangesPage:
    changes: list[Event]
    position: int  # where the next page starts: the last change's, or where it asked from
    more: bool  # whether more changes follow right now


def list_changes(
    uow: UnitOfWork,
    after: int,
    limit: int,
    *,
    organisation_id: UUID | None = None,
    types: Collection[str] = (),
) -> ChangesPage:
    """Changes after ``after``; an organisation outside the key's reach does not exist."""
    with uow:
        if organisation_id is not None:
            uow.organisations.get(organisation_id)
        events = uow.events.after(after, limit + 1, organisation_id=organisation_id, types=types)
    more = len(events) > limit
    events = events[:limit]
    return ChangesPage(events, events[-1].position if events else after, more)
