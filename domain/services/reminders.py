"""What is due now in a project, and announcing it once (the worker, on its clock)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.phases import Phase
from domain.ports import UnitOfWork
from domain.projects import Project
from domain.reminders import Reminder, due


def project_reminders(uow: UnitOfWork, project_id: UUID, today: date) -> list[Reminder]:
    with uow:
        return _due(uow, uow.projects.get(project_id), today)


def announce_reminders(uow: UnitOfWork, today: date) -> int:
    """Each due reminder of the workspace's open projects becomes one event (through the
    audit trail, like every change), once: the log of those sent keeps it from repeating."""
    with uow:
        fresh = []
        for project in uow.projects.all():
            if project.phase is not Phase.CLOSED:
                fresh += uow.reminders.unsent(_due(uow, project, today))
        for reminder in fresh:
            uow.audit.record_change(
                reminder.kind,
                "reminder",
                reminder.subject_id,
                [],
                project_id=reminder.project_id,
            )
        uow.reminders.mark_sent(fresh)
        uow.commit()
    return len(fresh)


def _due(uow: UnitOfWork, project: Project, today: date) -> list[Reminder]:
    return due(
        project,
        uow.agreements.all(project_id=project.id),
        uow.commitments.all(project_id=project.id),
        uow.meetings.all(project_id=project.id),
        today,
    )
