"""Service definition (phase 2 of seed 004): the services a team delivers together.

A service can't be delivered by one person alone: it needs the contributions of at least
two members (its service group). Members contributing to more than one service get a
coordination task: coordinators are derived from the contributions, never stored.
"""

from __future__ import annotations

import enum
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from uuid import UUID

from domain.base import Entity
from domain.competences import DEFAULT_REQUIRED_LEVEL
from domain.errors import Unmet, UnmetSubject
from domain.texts import _, _n

if TYPE_CHECKING:
    from domain.indicators import Indicator

MIN_CONTRIBUTORS = 2


@dataclass(frozen=True)
class RequiredCompetence:
    """A competence a service needs, at the level it needs (0–4)."""

    competence_id: UUID
    level: int = DEFAULT_REQUIRED_LEVEL


class FeedbackStatus(enum.StrEnum):
    OPEN = "open"
    PROCESSED = "processed"


def _none_counted() -> dict[str, int]:
    """Every status at zero: a service just defined has had no feedback, and an answer
    counts every status (the contract has each count required)."""
    return {status.value: 0 for status in FeedbackStatus}


@dataclass(kw_only=True, eq=False)
class Service(Entity):
    """A service (dienst) of the team to its internal clients (the client group)."""

    project_id: UUID
    name: str
    description: str = ""
    client_group: str = ""
    deliverables: list[str] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)
    required_competences: list[RequiredCompetence] = field(default_factory=list)
    # Read-only views, filled in by the use cases that show a service with its group.
    contributors: list[Contribution] = field(default_factory=list)
    feedback_counts: dict[str, int] = field(default_factory=_none_counted)
    measured_indicators: list[Indicator] = field(default_factory=list)


@dataclass(kw_only=True, eq=False)
class Contribution(Entity):
    """What one participant contributes to one service (bijdrage)."""

    project_id: UUID
    service_id: UUID
    participant_id: UUID
    contribution: str = ""
    # Read-only: the contributor's name, filled in by the repository for display.
    name: str | None = None


@dataclass(kw_only=True, eq=False)
class ManagementFeedback(Entity):
    """The MT's feedback on a presented service, processed by the service group."""

    project_id: UUID
    service_id: UUID
    text: str
    participant_id: UUID | None = None
    author_name: str | None = None
    status: FeedbackStatus = FeedbackStatus.OPEN
    response: str | None = None
    meeting_id: UUID | None = None  # the MT presentation where it was given


@dataclass(frozen=True)
class Coordinator:
    """A participant with a coordination task: they contribute to two or more services."""

    participant_id: UUID
    name: str | None
    services: list[Service]


def coordinators(
    contributions: Iterable[Contribution], services: Iterable[Service]
) -> list[Coordinator]:
    """Everyone contributing to two or more services, with those services (one pass)."""
    by_id = {s.id: s for s in services}
    theirs: dict[UUID, list[Service]] = defaultdict(list)
    names: dict[UUID, str | None] = {}
    for c in contributions:
        theirs[c.participant_id].append(by_id[c.service_id])
        names[c.participant_id] = c.name
    return [
        Coordinator(participant_id, names[participant_id], services)
        for participant_id, services in theirs.items()
        if len(services) >= 2
    ]


def definition_unmet(
    services: list[Service],
    contributions: Iterable[Contribution],
    open_feedback: Iterable[ManagementFeedback],
) -> list[Unmet]:
    """What still stands between service definition and the competence matrix."""
    if not services:
        return [Unmet("no_services", _("Define at least one service the team delivers."))]
    group_sizes = Counter(c.service_id for c in contributions)
    still_open = Counter(f.service_id for f in open_feedback)
    unmet: list[Unmet] = []
    for service in services:
        about: UnmetSubject = {"service_id": str(service.id)}
        size = group_sizes[service.id]
        if size < MIN_CONTRIBUTORS:
            unmet.append(
                Unmet(
                    "too_few_contributors",
                    _n(
                        "'{service}' has {count} contributor; no one can deliver a service "
                        "alone, so it needs at least {minimum}.",
                        "'{service}' has {count} contributors; no one can deliver a service "
                        "alone, so it needs at least {minimum}.",
                        size,
                        service=service.name,
                        minimum=MIN_CONTRIBUTORS,
                    ),
                    about,
                )
            )
        if not service.deliverables:
            unmet.append(
                Unmet(
                    "no_deliverables",
                    _(
                        "'{service}' names no deliverable: what does the client receive?",
                        service=service.name,
                    ),
                    about,
                )
            )
        if not service.indicators:
            unmet.append(
                Unmet(
                    "no_indicators",
                    _(
                        "'{service}' names no indicator: what does the client look at to judge it?",
                        service=service.name,
                    ),
                    about,
                )
            )
        if still_open[service.id]:
            unmet.append(
                Unmet(
                    "feedback_open",
                    _n(
                        "{count} MT feedback item on '{service}' still waits for the service "
                        "group's response.",
                        "{count} MT feedback items on '{service}' still wait for the service "
                        "group's response.",
                        still_open[service.id],
                        service=service.name,
                    ),
                    about,
                )
            )
    return unmet
