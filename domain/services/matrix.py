"""The competence matrix of a project, its history, and the analyses derived from it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from domain.base import ListQuery, Page
from domain.competences import MAX_LEVEL, MIN_LEVEL, Competence
from domain.errors import RuleViolation, Violation
from domain.matrix import (
    RATED_SOURCES,
    Cells,
    Dependency,
    Level,
    LevelChange,
    LevelSource,
    Priority,
    TeamCompetence,
    dependencies,
    priorities,
    team_view,
)
from domain.phases import Phase
from domain.ports import UnitOfWork
from domain.projects import Participant
from domain.service_definition import Contribution, Service
from domain.services import project_records as records
from domain.texts import _

SINCE = Phase.COMPETENCE_MAPPING
MAX_BATCH = 50_000


@dataclass(frozen=True)
class Matrix:
    """Everything a grid of the team needs, read in a fixed number of statements."""

    participants: list[Participant]
    competences: list[Competence]
    services: list[Service]
    levels: Cells
    contributions: list[Contribution]


@dataclass(frozen=True)
class Snapshot:
    participants: list[Participant]
    competences: list[Competence]
    services: list[Service]
    levels: Cells


def _snapshot(uow: UnitOfWork, project_id: UUID) -> Snapshot:
    services = uow.services.all(project_id=project_id)
    levels = uow.levels.cells(project_id)
    wanted = {r.competence_id for s in services for r in s.required_competences}
    wanted |= levels.competences
    competences = sorted(uow.competences.find_many(wanted), key=lambda c: c.code)
    return Snapshot(uow.participants.all(project_id=project_id), competences, services, levels)


def matrix(uow: UnitOfWork, project_id: UUID, participant_id: UUID | None = None) -> Matrix:
    """Every participant's level for every competence the services need (and any other
    rated one), and every participant's contributions per service; with
    ``participant_id``, that participant's alone, under the same columns (what a
    participant reads of themselves)."""
    with uow:
        uow.projects.get(project_id)
        snap = _snapshot(uow, project_id)
        contributions = uow.contributions.all(project_id=project_id)
    if participant_id is None:
        return Matrix(
            snap.participants, snap.competences, snap.services, snap.levels, contributions
        )
    return Matrix(
        [p for p in snap.participants if p.id == participant_id],
        snap.competences,
        snap.services,
        Cells.of(c for c in snap.levels if c.participant_id == participant_id),
        [c for c in contributions if c.participant_id == participant_id],
    )


@dataclass(frozen=True)
class TeamMatrix:
    """The team view of a project's matrix (``domain.matrix.team_view``), with the
    services whose needs its columns show."""

    services: list[Service]
    competences: list[TeamCompetence]


def team_matrix(uow: UnitOfWork, project_id: UUID) -> TeamMatrix:
    """The matrix as the whole team may see it: per competence, how many hold each level
    and who its seniors are, nobody's own level."""
    with uow:
        uow.projects.get(project_id)
        snap = _snapshot(uow, project_id)
    return TeamMatrix(snap.services, team_view(snap.competences, snap.levels, snap.participants))


@dataclass(frozen=True)
class BatchResult:
    created: int
    updated: int
    unchanged: int


def set_levels(uow: UnitOfWork, project_id: UUID, cells: list[dict[str, Any]]) -> BatchResult:
    """Apply many cells at once: validated as a whole, written in bulk, all or nothing.

    Each real change is kept in the history with its source; an unchanged cell writes
    nothing. The batch is audited as one change of the project's matrix.
    """
    with uow:
        records.open_project(uow, project_id, SINCE)
        if len(cells) > MAX_BATCH:
            raise RuleViolation.on(
                "levels", _("At most {limit} cells per request.", limit=MAX_BATCH), "too_many"
            )
        participants = {p.id for p in uow.participants.all(project_id=project_id)}
        competences = {
            c.id: c for c in uow.competences.find_many({cell["competence_id"] for cell in cells})
        }
        _validate_cells(cells, participants, competences)
        current = {
            (c.participant_id, c.competence_id): c for c in uow.levels.all(project_id=project_id)
        }
        new: list[Level] = []
        changed: list[tuple[Level, frozenset[str]]] = []
        history: list[LevelChange] = []
        for cell in cells:
            key = (cell["participant_id"], cell["competence_id"])
            source = LevelSource(cell["source"])
            existing = current.get(key)
            if existing is None:
                level = Level(
                    project_id=project_id,
                    level=cell["level"],
                    source=source,
                    participant_id=key[0],
                    competence_id=key[1],
                )
                new.append(level)
                previous = None
            else:
                previous = existing.level
                fields = existing.change(level=cell["level"], source=source)
                if not fields:
                    continue
                changed.append((existing, fields))
            history.append(_history(uow, project_id, key, cell["level"], previous, source))
        uow.levels.add_many(new, audited=False)
        uow.levels.update_many(changed, audited=False)
        uow.level_history.add_many(history)
        if history:
            uow.audit.record_change(
                "set_levels", "matrix", project_id, ["levels"], project_id=project_id
            )
        uow.commit()
    return BatchResult(len(new), len(changed), len(cells) - len(new) - len(changed))


def record_level(
    uow: UnitOfWork,
    project_id: UUID,
    participant_id: UUID,
    competence_id: UUID,
    level: int,
    source: LevelSource,
) -> None:
    """Raise one level inside a caller's transaction (an achieved agreement), with history.

    A level already at or above ``level`` (reached meanwhile, e.g. endorsed by a coach) is
    kept as it is: achieving an agreement never lowers what someone can do.
    """
    key = (participant_id, competence_id)
    existing = uow.levels.find_by(participant_id=participant_id, competence_id=competence_id)
    if existing is not None and existing.level >= level:
        return
    if existing is None:
        uow.levels.add(
            Level(
                project_id=project_id,
                participant_id=participant_id,
                competence_id=competence_id,
                level=level,
                source=source,
            )
        )
        previous = None
    else:
        previous = existing.level
        uow.levels.update(existing, existing.change(level=level, source=source))
    uow.level_history.add_many([_history(uow, project_id, key, level, previous, source)])


def _history(
    uow: UnitOfWork,
    project_id: UUID,
    key: tuple[UUID, UUID],
    level: int,
    previous: int | None,
    source: LevelSource,
) -> LevelChange:
    return LevelChange(
        project_id=project_id,
        participant_id=key[0],
        competence_id=key[1],
        level=level,
        previous_level=previous,
        source=source,
        actor_id=uow.scope.actor_id,
    )


def _validate_cells(
    cells: list[dict[str, Any]], participants: set[UUID], competences: dict[UUID, Competence]
) -> None:
    """Every problem of the batch, each located by its index."""
    violations: list[Violation] = []
    seen: dict[tuple[UUID, UUID], int] = {}
    for index, cell in enumerate(cells):
        where = f"levels.{index}"
        if cell["participant_id"] not in participants:
            violations.append(
                Violation(
                    f"{where}.participant_id",
                    _("No participant with this id in the project."),
                    "unknown_participant",
                )
            )
        competence = competences.get(cell["competence_id"])
        if competence is None:
            violations.append(
                Violation(
                    f"{where}.competence_id", _("No competence with this id."), "unknown_competence"
                )
            )
        elif competence.archived:
            violations.append(
                Violation(f"{where}.competence_id", _("This competence is archived."), "archived")
            )
        if not MIN_LEVEL <= cell["level"] <= MAX_LEVEL:
            violations.append(
                Violation(
                    f"{where}.level",
                    _("Must be {low} to {high}.", low=MIN_LEVEL, high=MAX_LEVEL),
                    "out_of_range",
                )
            )
        if cell["source"] not in RATED_SOURCES:
            allowed = ", ".join(sorted(s.value for s in RATED_SOURCES))
            violations.append(
                Violation(
                    f"{where}.source",
                    _(
                        "Must be one of {allowed}; 'agreement' is set by achieving an agreement.",
                        allowed=allowed,
                    ),
                    "source_not_allowed",
                )
            )
        key = (cell["participant_id"], cell["competence_id"])
        first = seen.setdefault(key, index)
        if first != index:
            violations.append(
                Violation(
                    f"{where}.competence_id",
                    _(
                        "This participant's level in this competence is already at index {first}.",
                        first=first,
                    ),
                    "duplicate",
                )
            )
    if violations:
        raise RuleViolation(violations)


def level_history(uow: UnitOfWork, project_id: UUID, query: ListQuery) -> Page[LevelChange]:
    with uow:
        uow.projects.get(project_id)
        return uow.level_history.list(query, project_id=project_id)


def team_dependencies(uow: UnitOfWork, project_id: UUID) -> list[Dependency]:
    with uow:
        uow.projects.get(project_id)
        snap = _snapshot(uow, project_id)
        return dependencies(snap.competences, snap.services, snap.levels, snap.participants)


def development_priorities(uow: UnitOfWork, project_id: UUID) -> list[Priority]:
    with uow:
        uow.projects.get(project_id)
        wishes = uow.wishes.all(project_id=project_id)
        snap = _snapshot(uow, project_id)
        wished = {w.competence_id for w in wishes} - {c.id for c in snap.competences}
        competences = snap.competences + uow.competences.find_many(wished)
        ranking = dependencies(competences, snap.services, snap.levels, snap.participants)
        return priorities(wishes, ranking, snap.participants, snap.levels)
