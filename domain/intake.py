"""The collective intake: findings, grievances, readiness and the team's conclusion."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from domain.base import Entity
from domain.errors import Unmet
from domain.texts import _

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


@dataclass(frozen=True)
class DimensionSummary:
    count: int
    mean: float | None
    median: float | None


@dataclass(frozen=True)
class ReadinessSummary:
    """How ready the team says it is, and how many of its members have said so."""

    desire: DimensionSummary
    energy: DimensionSummary
    feasibility: DimensionSummary
    members_total: int
    members_rated: int
    unrated: tuple[UUID, ...] = ()
    """The members who have not rated yet, in the order given (what a gate points at)."""

    @property
    def enough_members_rated(self) -> bool:
        """At least half the members have rated (and there is someone to rate)."""
        return self.members_total > 0 and 2 * self.members_rated >= self.members_total


def summarise_readiness(
    ratings: Iterable[ReadinessRating], member_ids: Iterable[UUID]
) -> ReadinessSummary:
    ratings = list(ratings)
    ordered = list(dict.fromkeys(member_ids))
    members = set(ordered)
    raters = {r.participant_id for r in ratings}

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
        members_rated=len(members & raters),
        unrated=tuple(m for m in ordered if m not in raters),
    )


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
