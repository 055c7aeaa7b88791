"""The collective intake: findings, grievances, readiness and the team's conclusion."""

from __future__ import annotations

import dataclasses
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from domain.base import Entity
from domain.errors import Unmet

READINESS_DIMENSIONS = ("desire", "energy", "feasibility")


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


@dataclass(kw_only=True, eq=False)
class Conclusion(Entity):
    """What the team concluded at the end of the intake: ready to improve, or not."""

    project_id: UUID
    ready: bool
    text: str = ""


MIN_RATERS_SHOWN = 3  # below this, a participant could single a colleague's rating out
WITHHELD = f"fewer than {MIN_RATERS_SHOWN} ratings"


@dataclass(frozen=True)
class DimensionSummary:
    count: int
    mean: float | None
    median: float | None
    withheld: str | None = None  # why mean and median are not shown

    def for_the_team(self) -> DimensionSummary:
        """What a participant may see: no mean or median over fewer than 3 raters."""
        if self.count >= MIN_RATERS_SHOWN:
            return self
        return DimensionSummary(self.count, None, None, WITHHELD)


@dataclass(frozen=True)
class ReadinessSummary:
    """How ready the team says it is, and how many of its members have said so."""

    desire: DimensionSummary
    energy: DimensionSummary
    feasibility: DimensionSummary
    members_total: int
    members_rated: int

    def for_the_team(self) -> ReadinessSummary:
        """The summary as participants see it (``DimensionSummary.for_the_team``)."""
        return dataclasses.replace(
            self, **{name: getattr(self, name).for_the_team() for name in READINESS_DIMENSIONS}
        )

    @property
    def enough_members_rated(self) -> bool:
        """At least half the members have rated (and there is someone to rate)."""
        return self.members_total > 0 and 2 * self.members_rated >= self.members_total


def summarise_readiness(
    ratings: Iterable[ReadinessRating], member_ids: Iterable[UUID]
) -> ReadinessSummary:
    ratings = list(ratings)
    members = set(member_ids)

    def dimension(name: str) -> DimensionSummary:
        values = [getattr(r, name) for r in ratings]
        if not values:
            return DimensionSummary(0, None, None)
        return DimensionSummary(
            len(values), round(statistics.fmean(values), 2), float(statistics.median(values))
        )

    return ReadinessSummary(
        **{name: dimension(name) for name in READINESS_DIMENSIONS},
        members_total=len(members),
        members_rated=len(members & {r.participant_id for r in ratings}),
    )


def intake_unmet(
    findings: int, readiness: ReadinessSummary, conclusion: Conclusion | None
) -> list[Unmet]:
    """What still stands between the intake and service definition (domain.md's gate)."""
    unmet: list[Unmet] = []
    if findings < 1:
        unmet.append(
            Unmet("no_findings", "Record at least one finding about the current situation.")
        )
    if readiness.members_total == 0:
        unmet.append(
            Unmet("no_members", "Add the team's members as participants with the member role.")
        )
    elif not readiness.enough_members_rated:
        needed = (readiness.members_total + 1) // 2
        unmet.append(
            Unmet(
                "readiness_not_rated",
                f"At least half of the members must rate their readiness: "
                f"{readiness.members_rated} of {readiness.members_total} have, {needed} needed.",
            )
        )
    if conclusion is None:
        unmet.append(Unmet("no_conclusion", "Record the team's conclusion of the intake."))
    elif not conclusion.ready:
        unmet.append(Unmet("team_not_ready", "The team concluded it is not ready to improve yet."))
    return unmet
