"""The competence matrix (phase 3 of seed 004) and what it shows: which competences the
team depends on most, and so which development wishes come first; and the team view, all
a participant sees of the others' levels.

The analyses are pure functions over plain values, linear in the size of the matrix.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple
from uuid import UUID, uuid4

from domain.base import Entity, utcnow
from domain.competences import DEFAULT_REQUIRED_LEVEL, MAX_LEVEL, Competence
from domain.privacy import WITHHELD, too_few
from domain.projects import Participant, ParticipantRole, leavers
from domain.service_definition import Service
from domain.texts import Text, _, _n

COACH_LEVEL = 3


class LevelSource(enum.StrEnum):
    """Where a level comes from, so a team can tell a self-rating from an endorsed one."""

    SELF = "self"
    PEER = "peer"
    COACH = "coach"
    IMPORT = "import"
    AGREEMENT = "agreement"  # set only by achieving a development agreement


RATED_SOURCES = frozenset(LevelSource) - {LevelSource.AGREEMENT}


@dataclass(kw_only=True, eq=False)
class Level(Entity):
    """A participant's current level (0–4) in a competence: one cell of the matrix."""

    project_id: UUID
    participant_id: UUID
    competence_id: UUID
    level: int
    source: LevelSource


class Cell(NamedTuple):
    """A level as the analyses read it: who, what, how high, said by whom, and nothing
    else (no id, version or times). Made afresh for each cell the analyses go through, so
    a tuple: a third of a frozen dataclass's cost."""

    participant_id: UUID
    competence_id: UUID
    level: int
    source: LevelSource


@dataclass(frozen=True)
class Cells:
    """A matrix's cells column-wise: four lists in the same order, and the competences
    rated, each once.

    A matrix has tens of thousands of cells. An object per cell, kept for the whole
    request, is work for the garbage collector as well: 40,000 of them set off a full
    collection of the heap on most reads, so the analyses of a large team grew faster
    than the team. Four lists are four objects; iterating makes each ``Cell`` as it goes,
    and the grid zips the lists.
    """

    participant_ids: list[UUID]
    competence_ids: list[UUID]
    levels: list[int]
    sources: list[LevelSource]
    competences: frozenset[UUID]

    @classmethod
    def of(cls, cells: Iterable[Cell]) -> Cells:
        columns = [list(column) for column in zip(*cells, strict=True)] or [[], [], [], []]
        participant_ids, competence_ids, levels, sources = columns
        return cls(participant_ids, competence_ids, levels, sources, frozenset(competence_ids))

    def __iter__(self) -> Iterator[Cell]:
        return map(Cell, self.participant_ids, self.competence_ids, self.levels, self.sources)


@dataclass(kw_only=True, eq=False)
class LevelChange:
    """One entry of a level's history; never changed or deleted."""

    id: UUID = field(default_factory=uuid4)
    project_id: UUID
    participant_id: UUID
    competence_id: UUID
    level: int
    previous_level: int | None
    source: LevelSource
    actor_id: UUID | None = None
    created_at: datetime = field(default_factory=utcnow)


def in_team(participant: Participant) -> bool:
    """The team is everyone but the MT members watching from outside it, and but those
    who have left."""
    return participant.active and any(r is not ParticipantRole.MT_MEMBER for r in participant.roles)


# --- team dependency ---------------------------------------------------------------


@dataclass(frozen=True)
class Dependency:
    """How much the team depends on one competence, and whether it hangs on one person."""

    competence: Competence
    rank: int
    demand: int  # services needing it
    required_level: int | None  # the highest level a service needs
    holders: list[UUID]  # team members at or above the level each service needs
    services_at_risk: list[Service]  # needing it, with at most one member able to deliver

    @property
    def single_point_of_failure(self) -> bool:
        return self.demand > 0 and len(self.holders) <= 1


def dependencies(
    competences: Iterable[Competence],
    services: Iterable[Service],
    levels: Iterable[Level | Cell],
    participants: Iterable[Participant],
) -> list[Dependency]:
    """Rank competences by demand (descending), then holders (ascending), then code.

    A holder meets the level of every service needing the competence; a competence that
    services need and that one person or nobody holds is a single point of failure.
    """
    team = {p.id for p in participants if in_team(p)}
    needed_by: dict[UUID, list[tuple[Service, int]]] = defaultdict(list)
    for service in services:
        for need in service.required_competences:
            needed_by[need.competence_id].append((service, need.level))
    holder_ids: dict[UUID, dict[int, list[UUID]]] = defaultdict(lambda: defaultdict(list))
    for cell in levels:
        if cell.participant_id in team:
            holder_ids[cell.competence_id][cell.level].append(cell.participant_id)

    def at_least(competence_id: UUID, level: int) -> list[UUID]:
        by_level = holder_ids[competence_id]
        return [pid for lv in range(level, MAX_LEVEL + 1) for pid in by_level.get(lv, [])]

    rows = []
    for competence in competences:
        needs = needed_by.get(competence.id, [])
        required = max((lv for _, lv in needs), default=None)
        holders = at_least(
            competence.id, required if required is not None else DEFAULT_REQUIRED_LEVEL
        )
        at_risk = [s for s, lv in needs if len(at_least(competence.id, lv)) <= 1]
        rows.append((competence, len(needs), required, holders, at_risk))
    rows.sort(key=lambda r: (-r[1], len(r[3]), r[0].code))
    return [
        Dependency(competence, rank, demand, required, holders, at_risk)
        for rank, (competence, demand, required, holders, at_risk) in enumerate(rows, start=1)
    ]


# --- the team view ----------------------------------------------------------------


@dataclass(frozen=True)
class TeamCompetence:
    """One competence as the whole team may see it: how many of its members hold each
    level, and who can coach in it; nobody's own level.

    The counts are withheld while fewer than ``domain.privacy.MIN_RATERS`` members are
    rated in it (with one's own level known, the counts of two would name the other's).
    The seniors are named: a senior at coach level is who to ask for help (seed 004).
    """

    competence: Competence
    rated: int  # team members with a level in it
    holders: dict[int, int] | None  # level (0–4) -> how many hold it; None while withheld
    withheld: str | None
    seniors: list[Participant]  # seniors at level 3 or more in it, who have not left


def team_view(
    competences: Iterable[Competence],
    levels: Iterable[Level | Cell],
    participants: Iterable[Participant],
) -> list[TeamCompetence]:
    """Per competence, the team's members at each level and its seniors, in the order of
    ``competences``. The team is ``in_team``: no MT member watching, nobody who left."""
    participants = list(participants)
    team = {p.id for p in participants if in_team(p)}
    seniors = {p.id: p for p in participants if p.has_role(ParticipantRole.SENIOR) and not p.left}
    counts: dict[UUID, list[int]] = defaultdict(lambda: [0] * (MAX_LEVEL + 1))
    coaches: dict[UUID, list[Participant]] = defaultdict(list)
    for cell in levels:
        if cell.participant_id in team:
            counts[cell.competence_id][cell.level] += 1
        if cell.level >= COACH_LEVEL and (senior := seniors.get(cell.participant_id)):
            coaches[cell.competence_id].append(senior)
    view = []
    for competence in competences:
        held = counts.get(competence.id, [0] * (MAX_LEVEL + 1))
        rated = sum(held)
        hidden = too_few(rated)
        view.append(
            TeamCompetence(
                competence,
                rated,
                None if hidden else dict(enumerate(held)),
                WITHHELD if hidden else None,
                sorted(coaches.get(competence.id, []), key=lambda p: (p.name or "", str(p.id))),
            )
        )
    return view


# --- development priorities --------------------------------------------------------


@dataclass(frozen=True)
class Priority:
    wish_id: UUID
    participant_id: UUID
    competence_id: UUID
    rank: int | None
    reason: str
    demand: int
    holders: int
    single_point_of_failure: bool
    candidate_coaches: list[UUID]


def candidate_coaches(
    competence_id: UUID,
    wisher_id: UUID,
    seniors: Iterable[Participant],
    level_of: Mapping[tuple[UUID, UUID], int],
) -> list[UUID]:
    """Seniors at level 3 or more in the competence, never the wisher."""
    return [
        s.id
        for s in seniors
        if s.id != wisher_id and level_of.get((s.id, competence_id), 0) >= COACH_LEVEL
    ]


def priorities(
    wishes: Iterable[DevelopmentWish],
    ranking: Iterable[Dependency],
    participants: Iterable[Participant],
    levels: Iterable[Level | Cell],
) -> list[Priority]:
    """Wishes in the order of their competence's dependency rank, each with its reason.

    Developing what the team depends on most comes first (seed 004). Leavers' wishes are
    left out, and leavers coach nobody.
    """
    participants = list(participants)
    left = leavers(participants)
    wishes = [w for w in wishes if w.participant_id not in left]
    by_competence = {d.competence.id: d for d in ranking}
    seniors = [p for p in participants if p.has_role(ParticipantRole.SENIOR) and not p.left]
    # Only a senior's level in a wished competence is ever looked up: a key for each of
    # those, not for every cell of the matrix (tens of thousands of tuples).
    senior_ids = {s.id for s in seniors}
    wished = {w.competence_id for w in wishes}
    level_of = {
        (c.participant_id, c.competence_id): c.level
        for c in levels
        if c.participant_id in senior_ids and c.competence_id in wished
    }
    total = len(by_competence)
    result = []
    for wish in wishes:
        dep = by_competence.get(wish.competence_id)
        demand = dep.demand if dep else 0
        holders = len(dep.holders) if dep else 0
        spof = bool(dep and dep.single_point_of_failure)
        reason: Text
        if dep is None or demand == 0:
            reason = _(
                "No service needs this competence: developing it helps the person, "
                "not yet the team."
            )
        else:
            values = {
                "services": _n("{count} service", "{count} services", demand),
                "holders": _n("{count} team member", "{count} team members", holders),
                "rank": dep.rank,
                "total": total,
            }
            reason = (
                _(
                    "Needed by {services} and held by {holders} at the level needed; rank "
                    "{rank} of {total} in what the team depends on. A single point of "
                    "failure: the team hangs on one person or nobody.",
                    **values,
                )
                if spof
                else _(
                    "Needed by {services} and held by {holders} at the level needed; rank "
                    "{rank} of {total} in what the team depends on.",
                    **values,
                )
            )
        result.append(
            Priority(
                wish.id,
                wish.participant_id,
                wish.competence_id,
                dep.rank if dep and demand else None,
                reason,
                demand,
                holders,
                spof,
                candidate_coaches(wish.competence_id, wish.participant_id, seniors, level_of),
            )
        )
    result.sort(key=lambda p: (p.rank is None, p.rank or 0, str(p.participant_id)))
    return result


@dataclass(kw_only=True, eq=False)
class DevelopmentWish(Entity):
    """A competence a participant wants to develop in the coming year (ontwikkelwens)."""

    project_id: UUID
    participant_id: UUID
    competence_id: UUID
    motivation: str = ""
