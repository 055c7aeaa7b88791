"""Meetings of a project, their commitments, and the action reports given on them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from domain.base import ListQuery, Page, expect_version
from domain.errors import RuleViolation, Violation
from domain.meetings import ActionReport, Attendee, Commitment, Meeting, Round, round_of_the_table
from domain.ports import UnitOfWork
from domain.projects import leavers
from domain.services import project_records as records
from domain.services.actions import owners_of
from domain.texts import _


def list_meetings(uow: UnitOfWork, project_id: UUID, query: ListQuery) -> Page[Meeting]:
    return records.list_in_project(uow, "meetings", project_id, query)


def get_meeting(uow: UnitOfWork, project_id: UUID, meeting_id: UUID) -> Meeting:
    meeting: Meeting = records.get_in_project(uow, "meetings", project_id, meeting_id)
    return meeting


def hold_meeting(uow: UnitOfWork, project_id: UUID, values: dict[str, Any]) -> Meeting:
    with uow:
        records.open_project(uow, project_id)
        values["attendees"] = _attendees(uow, project_id, values.get("attendees", []))
        meeting = Meeting(project_id=project_id, **values)
        return records.add_to_project(uow, "meetings", meeting)


def update_meeting(
    uow: UnitOfWork,
    project_id: UUID,
    meeting_id: UUID,
    changes: dict[str, Any],
    expected_version: int | None,
) -> Meeting:
    with uow:
        records.open_project(uow, project_id)
        meeting = uow.meetings.get(meeting_id, project_id=project_id)
        expect_version(meeting, expected_version, "meeting")
        if "attendees" in changes:
            changes["attendees"] = _attendees(uow, project_id, changes["attendees"])
        uow.meetings.update(meeting, meeting.change(**changes))
        uow.commit()
    return meeting


def delete_meeting(
    uow: UnitOfWork, project_id: UUID, meeting_id: UUID, expected_version: int | None
) -> None:
    """Its commitments and the reports given at it go with it."""
    records.remove_from_project(uow, "meetings", project_id, meeting_id, expected_version)


def _attendees(
    uow: UnitOfWork, project_id: UUID, wanted: Iterable[dict[str, Any]]
) -> list[Attendee]:
    wanted = list(wanted)
    known = {p.id for p in uow.participants.all(project_id=project_id)}
    violations, seen = [], set()
    for index, item in enumerate(wanted):
        where = f"attendees.{index}.participant_id"
        if item["participant_id"] not in known:
            violations.append(
                Violation(
                    where, _("No participant with this id in the project."), "unknown_participant"
                )
            )
        elif item["participant_id"] in seen:
            violations.append(Violation(where, _("Listed twice."), "duplicate"))
        seen.add(item["participant_id"])
    if violations:
        raise RuleViolation(violations)
    return [Attendee(item["participant_id"], item.get("layer")) for item in wanted]


# --- commitments -------------------------------------------------------------------


def list_commitments(
    uow: UnitOfWork, project_id: UUID, meeting_id: UUID, query: ListQuery
) -> Page[Commitment]:
    with uow:
        uow.projects.get(project_id)
        uow.meetings.get(meeting_id, project_id=project_id)
        return uow.commitments.list(query.within(meeting_id=meeting_id))


def commit(
    uow: UnitOfWork, project_id: UUID, meeting_id: UUID, values: dict[str, Any]
) -> Commitment:
    """Owners default to all attendees; named owners must have attended. The commitment is
    the meeting's action (see ``/actions``)."""
    with uow:
        records.open_project(uow, project_id)
        uow.meetings.get(meeting_id, project_id=project_id)
        values["owner_ids"] = owners_of(uow, project_id, meeting_id, values)
        commitment = Commitment(project_id=project_id, meeting_id=meeting_id, **values)
        return records.add_to_project(uow, "commitments", commitment)


# --- action reports and the round of the table -------------------------------------


def list_action_reports(
    uow: UnitOfWork, project_id: UUID, meeting_id: UUID, query: ListQuery
) -> Page[ActionReport]:
    with uow:
        uow.projects.get(project_id)
        uow.meetings.get(meeting_id, project_id=project_id)
        return uow.action_reports.list(query.within(meeting_id=meeting_id))


def report_action(
    uow: UnitOfWork, project_id: UUID, meeting_id: UUID, values: dict[str, Any]
) -> ActionReport:
    """An attendee tells what they did to realise a commitment of an earlier meeting, or,
    without a commitment, what they did to realise the agreements in general (seed 000):
    one such answer per attendee and meeting."""
    with uow:
        records.open_project(uow, project_id)
        meeting = uow.meetings.get(meeting_id, project_id=project_id)
        if values["participant_id"] not in meeting.attendee_ids:
            raise RuleViolation.on(
                "participant_id", _("Not an attendee of this meeting."), "not_attendee"
            )
        if values.get("commitment_id") is None:
            return _general_answer(uow, project_id, meeting_id, values)
        commitment = uow.commitments.find(values["commitment_id"], project_id=project_id)
        if commitment is None:
            raise RuleViolation.on(
                "commitment_id",
                _("No commitment with this id in the project."),
                "unknown_commitment",
            )
        if commitment.meeting_id is None:
            raise RuleViolation.on(
                "commitment_id",
                _("This action was agreed at no meeting; report on it by changing its status."),
                "not_a_commitment",
            )
        made_at = uow.meetings.get(commitment.meeting_id, project_id=project_id)
        if made_at.id == meeting.id or made_at.date > meeting.date:
            raise RuleViolation.on(
                "commitment_id",
                _("Reports are given at a later meeting than the one the commitment was made in."),
                "not_earlier",
            )
        if uow.action_reports.find_by(
            meeting_id=meeting_id,
            commitment_id=commitment.id,
            participant_id=values["participant_id"],
        ):
            raise RuleViolation.on(
                "commitment_id",
                _("This attendee already reported on it at this meeting."),
                "duplicate",
            )
        report = ActionReport(project_id=project_id, meeting_id=meeting_id, **values)
        return records.add_to_project(uow, "action_reports", report)


def _general_answer(
    uow: UnitOfWork, project_id: UUID, meeting_id: UUID, values: dict[str, Any]
) -> ActionReport:
    if uow.action_reports.find_by(
        meeting_id=meeting_id, commitment_id=None, participant_id=values["participant_id"]
    ):
        raise RuleViolation.on(
            "participant_id",
            _("This attendee already gave a general answer at this meeting."),
            "duplicate",
        )
    report = ActionReport(
        project_id=project_id,
        meeting_id=meeting_id,
        participant_id=values["participant_id"],
        text=values["text"],
    )
    return records.add_to_project(uow, "action_reports", report)


def round_at(uow: UnitOfWork, project_id: UUID, meeting_id: UUID) -> Round:
    """The round of the table at a meeting: who reported on what, who has not yet
    (nobody waits for an attendee who has left)."""
    with uow:
        uow.projects.get(project_id)
        meeting = uow.meetings.get(meeting_id, project_id=project_id)
        return round_of_the_table(
            meeting,
            uow.meetings.all(project_id=project_id),
            uow.commitments.all(project_id=project_id),
            uow.action_reports.all(meeting_id=meeting_id),
            leavers(uow.participants.all(project_id=project_id)),
        )


def expect_meeting(uow: UnitOfWork, project_id: UUID, meeting_id: UUID | None) -> None:
    """A record that names the meeting it was agreed in must name one of its project."""
    if meeting_id is not None and uow.meetings.find(meeting_id, project_id=project_id) is None:
        raise RuleViolation.on(
            "meeting_id", _("No meeting with this id in the project."), "unknown_meeting"
        )
