"""What every record kept inside a project shares: it is reached through its project,
which must be visible to the caller, and it changes only while the project is open."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.base import E, Entity, ListQuery, Page, expect_version
from domain.errors import RuleViolation
from domain.phases import Phase
from domain.ports import Repository, UnitOfWork
from domain.projects import Participant, Project
from domain.services.projects import ensure_editable
from domain.texts import _


def repository(uow: UnitOfWork, kind: str) -> Repository[Any]:
    """The unit of work's repository of that kind; the record's type is stated where a
    service reads it (``kind`` is a name, which a type checker cannot follow)."""
    found: Repository[Any] = getattr(uow, kind)
    return found


def list_in_project(uow: UnitOfWork, kind: str, project_id: UUID, query: ListQuery) -> Page[Any]:
    with uow:
        uow.projects.get(project_id)
        return repository(uow, kind).list(query.within(project_id=project_id))


def get_in_project(uow: UnitOfWork, kind: str, project_id: UUID, record_id: UUID) -> Any:
    with uow:
        uow.projects.get(project_id)
        return repository(uow, kind).get(record_id, project_id=project_id)


def open_project(uow: UnitOfWork, project_id: UUID, since: Phase = Phase.INTAKE) -> Project:
    """The project, if its records of phase ``since`` may be edited now."""
    project = uow.projects.get(project_id)
    ensure_editable(project, since)
    return project


def participant_in(
    uow: UnitOfWork, project_id: UUID, participant_id: UUID | None, field: str = "participant_id"
) -> Participant:
    """The participant a body names in ``field``, which must be one of the project's (an
    invariant of domain.md): the same refusal wherever a participant is named."""
    participant = (
        None
        if participant_id is None
        else uow.participants.find(participant_id, project_id=project_id)
    )
    if participant is None:
        raise RuleViolation.on(
            field, _("No participant with this id in the project."), "unknown_participant"
        )
    return participant


def add_to_project(uow: UnitOfWork, kind: str, record: E) -> E:
    """Store a new record of an open project (the caller built it and checked its rules)."""
    repository(uow, kind).add(record)
    uow.commit()
    return record


def change_in_project(
    uow: UnitOfWork,
    kind: str,
    project_id: UUID,
    record_id: UUID,
    changes: dict[str, Any],
    expected_version: int | None,
    since: Phase = Phase.INTAKE,
) -> Any:
    with uow:
        open_project(uow, project_id, since)
        record: Entity = repository(uow, kind).get(record_id, project_id=project_id)
        expect_version(record, expected_version, kind.rstrip("s"))
        repository(uow, kind).update(record, record.change(**changes))
        uow.commit()
    return record


def remove_from_project(
    uow: UnitOfWork,
    kind: str,
    project_id: UUID,
    record_id: UUID,
    expected_version: int | None,
    since: Phase = Phase.INTAKE,
) -> None:
    with uow:
        open_project(uow, project_id, since)
        record = repository(uow, kind).get(record_id, project_id=project_id)
        expect_version(record, expected_version, kind.rstrip("s"))
        repository(uow, kind).remove(record)
        uow.commit()
