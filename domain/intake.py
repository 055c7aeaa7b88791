"""The collective intake: findings, grievances, readiness and the team's conclusion."""

from __future__ import annotations

import dataclasses
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypedDict
from uuid import UUID

from domain.base import Entity
from domain.errors import Unmet
from domain.privacy import WITHHELD, too_few
from domain.projects import Participant, ParticipantRole
from domain.texts import _

READINESS_DIMENSIONS = ("desire", "energy", "feasibility")
# The intake's round: what the gate to service definition judges, and the "before" of
# every later comparison.
BASELINE_ROUND = 1


class ReadinessScores(TypedDict):
    """A rating's scores, one per dimension (``READINESS_DIMENSIONS``)."""

    desire: int
    energy: int
    feasibility: int


@dataclass(kw_only=True, eq=False)
class Finding(Entity):
    """Part of the current situation as the team records it (constatering)."""

    project_id: UUID
    text: str


@dataclass(kw_only=True, eq=False)
class Grievance(Entity):
    """A complaint aired at the intake; when anonymous, no author exists anywhere."""

    project_id: UUID
    text: str
    anonymous: bool = False
    participant_id: UUID | None = None


@dataclass(kw_only=True, eq=False)
class ReadinessRating(Entity):
    """One participant's view of desire, energy and feasibility, each 1–5."""

    project_id: UUID
    participant_id: UUID
    desire: int
    energy: int
    feasibility: int
    round: int = BASELINE_ROUND


@dataclass(kw_only=True, eq=False)
class ReadinessRound(Entity):
    """A later round of rating readiness, opened by the consultant; ratings of earlier
    rounds are kept as they were, so the team can see whether its readiness grew. The
    baseline (round 1, at the intake) is opened with the project and has no record."""

    project_id: UUID
    number: int


@dataclass(kw_only=True, eq=False)
class Conclusion(Entity):
    """What the team concluded at the end of the intake: ready to improve, or not."""

    project_id: UUID
    ready: bool
    text: str = ""


@dataclass(frozen=True)
class DimensionSummary:
    count: int
    mean: float | None
    median: float | None
    withheld: str | None = None  # why mean and median are not shown

    def for_the_team(self) -> DimensionSummary:
        """What a participant may see: no mean or median over fewer than 3 raters."""
        if not too_few(self.count):
            return self
        return DimensionSummary(self.count, None, None, WITHHELD)


@dataclass(frozen=True)
class Dimensions:
    """The three dimensions of one group of raters in one round."""

    desire: DimensionSummary
    energy: DimensionSummary
    feasibility: DimensionSummary
    rated: int


@dataclass(frozen=True)
class RoundReadiness:
    """One round: the team's view and the MT's, apart, and how the team's means moved
    since the baseline (``None`` where either round has no rating)."""

    round: int
    opened_at: datetime
    team: Dimensions
    mt: Dimensions
    change: dict[str, float | None]


@dataclass(frozen=True)
class ReadinessSummary:
    """How ready the team says it is in one round, and how many of its members have said
    so; the MT's ratings apart; every round side by side."""

    desire: DimensionSummary
    energy: DimensionSummary
    feasibility: DimensionSummary
    members_total: int
    members_rated: int
    round: int = BASELINE_ROUND
    mt: Dimensions | None = None
    rounds: list[RoundReadiness] = field(default_factory=list)
    unrated: tuple[UUID, ...] = ()
    """The members who have not rated in this round, in the order given (what a gate
    points at)."""

    def for_the_team(self) -> ReadinessSummary:
        """The summary as participants see it (``DimensionSummary.for_the_team``): in the
        current round, the MT's apart and every earlier round alike."""

        def shown(d: Dimensions) -> Dimensions:
            return dataclasses.replace(
                d, **{name: getattr(d, name).for_the_team() for name in READINESS_DIMENSIONS}
            )

        baseline = next((shown(r.team) for r in self.rounds if r.round == BASELINE_ROUND), None)

        def change_shown(team: Dimensions, name: str, change: float | None) -> float | None:
            """A change only between two means that are shown: with one of them hidden,
            the change and the other mean would give it away."""
            hidden = getattr(team, name).mean is None or (
                baseline is None or getattr(baseline, name).mean is None
            )
            return None if hidden else change

        rounds = []
        for r in self.rounds:
            team = shown(r.team)
            rounds.append(
                dataclasses.replace(
                    r,
                    team=team,
                    mt=shown(r.mt),
                    change={n: change_shown(team, n, c) for n, c in r.change.items()},
                )
            )
        return dataclasses.replace(
            self,
            **{name: getattr(self, name).for_the_team() for name in READINESS_DIMENSIONS},
            mt=shown(self.mt) if self.mt is not None else None,
            rounds=rounds,
        )

    @property
    def enough_members_rated(self) -> bool:
        """At least half the members have rated (and there is someone to rate)."""
        return self.members_total > 0 and 2 * self.members_rated >= self.members_total


def dimension_summary(values: Sequence[float]) -> DimensionSummary:
    """Count, mean (two decimals) and median of some ratings; no mean of nothing."""
    if not values:
        return DimensionSummary(0, None, None)
    return DimensionSummary(
        len(values), round(statistics.fmean(values), 2), float(statistics.median(values))
    )


def _dimensions(ratings: Sequence[ReadinessRating]) -> Dimensions:
    desire, energy, feasibility = (
        dimension_summary([getattr(r, n) for r in ratings]) for n in READINESS_DIMENSIONS
    )
    return Dimensions(desire, energy, feasibility, rated=len({r.participant_id for r in ratings}))


def counted_member(participant: Participant) -> bool:
    """A member who has not left: only they count towards what the gates ask of members."""
    return participant.has_role(ParticipantRole.MEMBER) and not participant.left


def is_mt(participant: Participant) -> bool:
    """MT members rate too, but their view is reported apart from the team's."""
    return participant.has_role(ParticipantRole.MT_MEMBER)


def summarise_readiness(
    ratings: Iterable[ReadinessRating],
    participants: Iterable[Participant],
    *,
    round: int = BASELINE_ROUND,
    opened: Sequence[ReadinessRound] = (),
    project_start: datetime | None = None,
) -> ReadinessSummary:
    """The summary of ``round`` (the team's ratings; the MT's apart) with every round
    opened so far compared to the baseline. ``opened``: the rounds after the baseline."""
    participants = list(participants)
    ordered = [p.id for p in participants if counted_member(p)]
    members = set(ordered)
    mt = {p.id for p in participants if is_mt(p)}
    by_round: dict[int, list[ReadinessRating]] = defaultdict(list)
    for rating in ratings:
        by_round[rating.round].append(rating)
    starts = {r.number: r.created_at for r in opened}
    numbers = sorted({BASELINE_ROUND, round, *starts, *by_round})
    team_of = {
        n: _dimensions([r for r in by_round[n] if r.participant_id not in mt]) for n in numbers
    }
    baseline = team_of[BASELINE_ROUND]
    rounds: list[RoundReadiness] = []
    for number in numbers:
        team = team_of[number]
        rounds.append(
            RoundReadiness(
                number,
                starts.get(number) or project_start or datetime.min,
                team,
                _dimensions([r for r in by_round[number] if r.participant_id in mt]),
                {
                    n: _difference(getattr(baseline, n).mean, getattr(team, n).mean)
                    for n in READINESS_DIMENSIONS
                },
            )
        )
    current = next(r for r in rounds if r.round == round)
    raters = {r.participant_id for r in by_round[round]}
    return ReadinessSummary(
        desire=current.team.desire,
        energy=current.team.energy,
        feasibility=current.team.feasibility,
        members_total=len(members),
        members_rated=len(members & raters),
        round=round,
        mt=current.mt,
        rounds=rounds,
        unrated=tuple(m for m in ordered if m not in raters),
    )


def _difference(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else round(after - before, 2)


def current_round(opened: Iterable[ReadinessRound]) -> int:
    """The round new ratings go into: the last one opened, or the baseline."""
    return max((r.number for r in opened), default=BASELINE_ROUND)


def intake_unmet(
    findings: int, readiness: ReadinessSummary, conclusion: Conclusion | None
) -> list[Unmet]:
    """What still stands between the intake and service definition (domain.md's gate)."""
    unmet: list[Unmet] = []
    if findings < 1:
        unmet.append(
            Unmet("no_findings", _("Record at least one finding about the current situation."))
        )
    if readiness.members_total == 0:
        unmet.append(
            Unmet("no_members", _("Add the team's members as participants with the member role."))
        )
    elif not readiness.enough_members_rated:
        needed = (readiness.members_total + 1) // 2
        unmet.append(
            Unmet(
                "readiness_not_rated",
                _(
                    "At least half of the members must rate their readiness: {rated} of "
                    "{total} have, {needed} needed.",
                    rated=readiness.members_rated,
                    total=readiness.members_total,
                    needed=needed,
                ),
                {"participant_ids": [str(p) for p in readiness.unrated]},
            )
        )
    if conclusion is None:
        unmet.append(Unmet("no_conclusion", _("Record the team's conclusion of the intake.")))
    elif not conclusion.ready:
        unmet.append(
            Unmet("team_not_ready", _("The team concluded it is not ready to improve yet."))
        )
    return unmet
