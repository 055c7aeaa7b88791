"""Joint meetings (seeds 000 and 003): across management layers, with ground rules for
safety and trust, the commitments made there, and the round of the table at a later
meeting where everyone answers "what did you do to realise them?"."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

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


@dataclass(kw_only=True, eq=False)
class Commitment(Entity):
    """An agreement made in a meeting (afspraak); owned by all attendees unless named."""

    project_id: UUID
    meeting_id: UUID
    text: str
    owner_ids: list[UUID] = field(default_factory=list)
    due_date: date | None = None

    def owners(self, meeting: Meeting) -> set[UUID]:
        return set(self.owner_ids) or set(meeting.attendee_ids)


@dataclass(kw_only=True, eq=False)
class ActionReport(Entity):
    """What one attendee did to realise one commitment, told at a later meeting."""

    project_id: UUID
    meeting_id: UUID
    commitment_id: UUID
    participant_id: UUID
    text: str


@dataclass(frozen=True)
class RoundEntry:
    commitment: Commitment
    reports: list[ActionReport]
    not_reported: list[UUID]


@dataclass(frozen=True)
class Round:
    """The round of the table at a meeting: per commitment on the table, who reported and
    who has not yet."""

    meeting: Meeting
    entries: list[RoundEntry]

    @property
    def complete(self) -> bool:
        reported = {r.participant_id for e in self.entries for r in e.reports}
        return (
            bool(self.meeting.attendees)
            and all(not e.not_reported for e in self.entries)
            and set(self.meeting.attendee_ids) <= reported
        )

    @property
    def silent(self) -> list[UUID]:
        """Attendees who have not reported on everything expected of them."""
        missing = {pid for e in self.entries for pid in e.not_reported}
        reported = {r.participant_id for e in self.entries for r in e.reports}
        return [a for a in self.meeting.attendee_ids if a in missing or a not in reported]


def on_the_table(
    meeting: Meeting, meetings: Iterable[Meeting], commitments: Iterable[Commitment]
) -> list[tuple[Commitment, Meeting]]:
    """The commitments made at earlier meetings of the project, with their meetings."""
    earlier = {m.id: m for m in meetings if m.id != meeting.id and m.date <= meeting.date}
    return [(c, earlier[c.meeting_id]) for c in commitments if c.meeting_id in earlier]


def round_of_the_table(
    meeting: Meeting,
    meetings: Iterable[Meeting],
    commitments: Iterable[Commitment],
    reports: Iterable[ActionReport],
) -> Round:
    attendees = meeting.attendee_ids
    by_commitment: dict[UUID, list[ActionReport]] = {}
    for report in reports:
        if report.meeting_id == meeting.id:
            by_commitment.setdefault(report.commitment_id, []).append(report)
    entries = []
    for commitment, made_at in on_the_table(meeting, meetings, commitments):
        given = by_commitment.get(commitment.id, [])
        owners = commitment.owners(made_at)
        expected = [a for a in attendees if a in owners]
        done = {r.participant_id for r in given}
        entries.append(RoundEntry(commitment, given, [a for a in expected if a not in done]))
    return Round(meeting, entries)
