"""Joint meetings (seeds 000 and 003): across management layers, with ground rules for
safety and trust, the commitments made there, and the round of the table at a later
meeting where everyone answers "what did you do to realise them?"."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from domain.actions import Action
from domain.base import Entity


class MeetingKind(enum.StrEnum):
    INTAKE = "intake"
    JOINT = "joint"
    MT_PRESENTATION = "mt_presentation"
    EVALUATION = "evaluation"
    OTHER = "other"


@dataclass(frozen=True)
class Attendee:
    """A participant at a meeting, with the management layer they attend for, if any."""

    participant_id: UUID
    layer: str | None = None


@dataclass(kw_only=True, eq=False)
class Meeting(Entity):
    project_id: UUID
    kind: MeetingKind
    date: date
    topic: str = ""
    ground_rules: list[str] = field(default_factory=list)
    attendees: list[Attendee] = field(default_factory=list)

    @property
    def attendee_ids(self) -> list[UUID]:
        return [a.participant_id for a in self.attendees]


# A commitment (afspraak) is the action of the meeting where it was made.
Commitment = Action


@dataclass(kw_only=True, eq=False)
class ActionReport(Entity):
    """What one attendee did to realise a commitment, told at a later meeting; without a
    commitment, one general answer to "what did you do to realise the agreements?"
    (seed 000), which answers for all of them."""

    project_id: UUID
    meeting_id: UUID
    participant_id: UUID
    text: str
    commitment_id: UUID | None = None

    @property
    def general(self) -> bool:
        return self.commitment_id is None


@dataclass(frozen=True)
class RoundEntry:
    commitment: Commitment
    reports: list[ActionReport]
    not_reported: list[UUID]


@dataclass(frozen=True)
class Round:
    """The round of the table at a meeting: per commitment on the table, who reported and
    who has not yet; and the general answers, each of which answers for every commitment.
    Attendees who have left (``excused``) are not waited for."""

    meeting: Meeting
    entries: list[RoundEntry]
    general: list[ActionReport] = field(default_factory=list)
    excused: frozenset[UUID] = frozenset()

    @property
    def complete(self) -> bool:
        """Every attendee still there has answered, and answered for every commitment
        they own (a general answer does both)."""
        present = [a for a in self.meeting.attendee_ids if a not in self.excused]
        return bool(present) and not self.silent

    @property
    def silent(self) -> list[UUID]:
        """Attendees still there who have not reported on everything expected of them."""
        missing = {pid for e in self.entries for pid in e.not_reported}
        reported = {r.participant_id for e in self.entries for r in e.reports}
        reported |= {r.participant_id for r in self.general}
        return [
            a
            for a in self.meeting.attendee_ids
            if a not in self.excused and (a in missing or a not in reported)
        ]


def on_the_table(meeting: Meeting, meetings: Iterable[Meeting], commitments: Iterable[Commitment]):
    """The commitments made at earlier meetings of the project, with their meetings."""
    earlier = {m.id: m for m in meetings if m.id != meeting.id and m.date <= meeting.date}
    return [(c, earlier[c.meeting_id]) for c in commitments if c.meeting_id in earlier]


def round_of_the_table(
    meeting: Meeting,
    meetings: Iterable[Meeting],
    commitments: Iterable[Commitment],
    reports: Iterable[ActionReport],
    excused: Iterable[UUID] = (),
) -> Round:
    """``excused``: participants who have left, whose answers nobody waits for."""
    away = frozenset(excused)
    attendees = [a for a in meeting.attendee_ids if a not in away]
    by_commitment: dict[UUID, list[ActionReport]] = {}
    general: list[ActionReport] = []
    for report in reports:
        if report.meeting_id != meeting.id:
            continue
        if report.commitment_id is None:
            general.append(report)
        else:
            by_commitment.setdefault(report.commitment_id, []).append(report)
    answered_all = {r.participant_id for r in general}
    entries = []
    for commitment, made_at in on_the_table(meeting, meetings, commitments):
        given = by_commitment.get(commitment.id, [])
        owners = commitment.owners(made_at.attendee_ids)
        done = {r.participant_id for r in given} | answered_all
        waiting = [a for a in attendees if a in owners and a not in done]
        entries.append(RoundEntry(commitment, given, waiting))
    return Round(meeting, entries, general, away)
