"""Reminders: what a project's people should be told now ("Wat waren de afspraken ook
alweer?"). Worked out from the project's state on a day; the worker announces each one
once, as an event (``reminder.check_in_due`` …), for a front end or a mail bridge."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from domain.development import Agreement, AgreementStatus
from domain.meetings import Commitment, Meeting, MeetingKind
from domain.projects import Project
from domain.texts import _

EVALUATION_NOTICE = timedelta(days=7)  # an evaluation meeting is announced this long ahead
UNDER_WAY = (AgreementStatus.AGREED, AgreementStatus.IN_PROGRESS)


@dataclass(frozen=True)
class Reminder:
    kind: str  # check_in_due, commitment_overdue, evaluation_upcoming
    subject_type: str
    subject_id: UUID
    project_id: UUID
    due_on: date  # the day it became due: with kind and subject, what makes it one reminder
    message: str


def due(
    project: Project,
    agreements: Iterable[Agreement],
    commitments: Iterable[Commitment],
    meetings: Iterable[Meeting],
    today: date,
) -> list[Reminder]:
    reminders = []
    every = timedelta(days=project.check_in_days)
    for agreement in agreements:
        if agreement.status not in UNDER_WAY:
            continue
        last = agreement.last_check_in.date if agreement.last_check_in else None
        since = last or agreement.created_at.date()
        if today - since >= every:
            reminders.append(
                Reminder(
                    "check_in_due",
                    "agreement",
                    agreement.id,
                    project.id,
                    since + every,
                    _(
                        "No check-in on this agreement for {days} days (the project asks "
                        "for one every {every}).",
                        days=(today - since).days,
                        every=project.check_in_days,
                    ),
                )
            )
    for commitment in commitments:
        if commitment.overdue(today) and commitment.due_date is not None:
            reminders.append(
                Reminder(
                    "commitment_overdue",
                    "commitment",
                    commitment.id,
                    project.id,
                    commitment.due_date + timedelta(days=1),
                    _("A commitment was due on {date}.", date=commitment.due_date.isoformat()),
                )
            )
    for meeting in meetings:
        if meeting.kind is MeetingKind.EVALUATION and today <= meeting.date <= today + (
            EVALUATION_NOTICE
        ):
            reminders.append(
                Reminder(
                    "evaluation_upcoming",
                    "meeting",
                    meeting.id,
                    project.id,
                    meeting.date - EVALUATION_NOTICE,
                    _("The evaluation meeting is on {date}.", date=meeting.date.isoformat()),
                )
            )
    return sorted(reminders, key=lambda r: (r.due_on, r.kind, str(r.subject_id)))
