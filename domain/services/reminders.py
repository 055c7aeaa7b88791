"""What is due now in a project, and announcing it once (the worker, on its clock)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Protocol, TypeVar
from uuid import UUID

from domain.audit import Change
from domain.phases import Phase
from domain.ports import UnitOfWork
from domain.projects import Project
from domain.reminders import Reminder, due


class _OfAProject(Protocol):
    @property
    def project_id(self) -> UUID: ...


T = TypeVar("T", bound=_OfAProject)


def project_reminders(uow: UnitOfWork, project_id: UUID, today: date) -> list[Reminder]:
    with uow:
        return _due(uow, [uow.projects.get(project_id)], today)


def announce_reminders(uow: UnitOfWork, today: date) -> int:
    """Each due reminder of the workspace's open projects becomes one event (through the
    audit trail, like every change), once: the log of those sent keeps it from repeating."""
    with uow:
        open_projects = [p for p in uow.projects.all() if p.phase is not Phase.CLOSED]
        fresh = uow.reminders.unsent(_due(uow, open_projects, today))
        uow.audit.record_changes(
            Change(r.kind, "reminder", r.subject_id, project_id=r.project_id) for r in fresh
        )
        uow.reminders.mark_sent(fresh)
        uow.commit()
    return len(fresh)


def _due(uow: UnitOfWork, projects: list[Project], today: date) -> list[Reminder]:
    """What is due in each of ``projects``, read for all of them at once: the worker's
    round costs the same few statements for one project as for a workspace of them."""
    if not projects:
        return []
    ids = {p.id for p in projects}
    agreements = _by_project(uow.agreements.all(project_id=ids))
    commitments = _by_project(uow.commitments.all(project_id=ids))
    meetings = _by_project(uow.meetings.all(project_id=ids))
    return [
        reminder
        for p in projects
        for reminder in due(p, agreements[p.id], commitments[p.id], meetings[p.id], today)
    ]


def _by_project(items: Iterable[T]) -> dict[UUID, list[T]]:
    grouped: dict[UUID, list[T]] = defaultdict(list)
    for item in items:
        grouped[item.project_id].append(item)
    return grouped
