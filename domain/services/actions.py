"""Actions of a project: made at a meeting (its commitments), or from a finding or a
grievance of the intake; followed until done or dropped, and carried to later meetings."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.actions import Action, ActionStatus
from domain.base import ListQuery, Page, expect_version
from domain.errors import RuleViolation, Violation
from domain.ports import UnitOfWork
from domain.services import project_records as records
from domain.texts import _

KIND = "commitments"  # a commitment is a meeting's action: one repository holds both


def list_actions(uow: UnitOfWork, project_id: UUID, query: ListQuery) -> Page[Action]:
    return records.list_in_project(uow, KIND, project_id, query)


def get_action(uow: UnitOfWork, project_id: UUID, action_id: UUID) -> Action:
    action: Action = records.get_in_project(uow, KIND, project_id, action_id)
    return action


def make_action(uow: UnitOfWork, project_id: UUID, values: dict[str, Any]) -> Action:
    """An action of a meeting (owners must have attended), or from a finding or grievance
    (its text by default). From a grievance only the link is kept: its author, if it
    has one, is never copied, so an anonymous grievance stays anonymous."""
    values = dict(values)
    with uow:
        records.open_project(uow, project_id)
        source = _source(uow, project_id, values.get("finding_id"), values.get("grievance_id"))
        if not values.get("text"):
            if source is None:
                raise RuleViolation.on("text", _("Say what is to be done."), "required")
            values["text"] = source
        values["owner_ids"] = owners_of(uow, project_id, values.get("meeting_id"), values)
        action = Action(project_id=project_id, **values)
        return records.add_to_project(uow, KIND, action)


def update_action(
    uow: UnitOfWork,
    project_id: UUID,
    action_id: UUID,
    changes: dict[str, Any],
    expected_version: int | None,
) -> Action:
    """A new status is stamped with when, and with who (``status_by_id``, a participant)
    when the caller says."""
    changes = dict(changes)
    by = changes.pop("status_by_id", None)
    with uow:
        records.open_project(uow, project_id)
        action = uow.commitments.get(action_id, project_id=project_id)
        expect_version(action, expected_version, "action")
        if by is not None:
            records.participant_in(uow, project_id, by, "status_by_id")
        if "owner_ids" in changes:
            changes["owner_ids"] = owners_of(uow, project_id, action.meeting_id, changes)
        status: ActionStatus | None = changes.pop("status", None)
        if status is not None:
            changes |= action.set_status(status, by)
        elif by is not None:
            raise RuleViolation.on(
                "status_by_id", _("Say who changed the status only with a new status."), "no_status"
            )
        uow.commitments.update(action, action.change(**changes))
        uow.commit()
    return action


def drop_action(
    uow: UnitOfWork, project_id: UUID, action_id: UUID, expected_version: int | None
) -> None:
    records.remove_from_project(uow, KIND, project_id, action_id, expected_version)


def owners_of(
    uow: UnitOfWork, project_id: UUID, meeting_id: UUID | None, values: dict[str, Any]
) -> list[UUID]:
    """Named owners, once each: attendees of the action's meeting, or participants of the
    project for an action of no meeting."""
    owners: list[UUID] = list(values.get("owner_ids") or [])
    if meeting_id is not None:
        meeting = uow.meetings.find(meeting_id, project_id=project_id)
        if meeting is None:
            raise RuleViolation.on(
                "meeting_id", _("No meeting with this id in the project."), "unknown_meeting"
            )
        allowed, why, code = (
            set(meeting.attendee_ids),
            _("Not an attendee of this meeting."),
            "not_attendee",
        )
    else:
        allowed = {p.id for p in uow.participants.all(project_id=project_id)}
        why, code = _("No participant with this id in the project."), "unknown_participant"
    strangers = [i for i, o in enumerate(owners) if o not in allowed]
    if strangers:
        raise RuleViolation([Violation(f"owner_ids.{i}", why, code) for i in strangers])
    return list(dict.fromkeys(owners))


def _source(
    uow: UnitOfWork, project_id: UUID, finding_id: UUID | None, grievance_id: UUID | None
) -> str | None:
    """The text of the finding or grievance the action comes from (at most one)."""
    if finding_id is not None and grievance_id is not None:
        raise RuleViolation.on(
            "grievance_id",
            _("An action comes from a finding or a grievance, not both."),
            "two_sources",
        )
    if finding_id is not None:
        finding = uow.findings.find(finding_id, project_id=project_id)
        if finding is None:
            raise RuleViolation.on(
                "finding_id", _("No finding with this id in the project."), "unknown_finding"
            )
        return finding.text
    if grievance_id is not None:
        grievance = uow.grievances.find(grievance_id, project_id=project_id)
        if grievance is None:
            raise RuleViolation.on(
                "grievance_id", _("No grievance with this id in the project."), "unknown_grievance"
            )
        return grievance.text
    return None
