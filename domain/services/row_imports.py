"""Importing one kind of row (a CSV or NDJSON file) by natural keys.

Rows arrive one at a time and are handled in chunks: each chunk is checked against what
is stored (one statement per kind of lookup) and written with bulk statements, so a file
of 100,000 rows is never held whole. Everything happens in the caller's transaction; the
caller commits only when the whole file was good.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any
from uuid import UUID

from domain.base import Entity
from domain.competences import MAX_LEVEL, MIN_LEVEL, Competence
from domain.imports import Outcome, Row, RowKind, Tally
from domain.matrix import RATED_SOURCES, DevelopmentWish, Level, LevelChange, LevelSource
from domain.organisations import Person
from domain.phases import Phase
from domain.ports import Repository, UnitOfWork
from domain.service_definition import Contribution, Service
from domain.services.projects import ensure_editable

CHUNK = 2000


def chunks(rows: Iterable[Row], size: int = CHUNK) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


@dataclass
class Batch:
    """New and changed entities of one chunk, written in bulk when the chunk is done."""

    repository: Repository
    new: list[Entity] = field(default_factory=list)
    changed: list[tuple[Entity, frozenset[str]]] = field(default_factory=list)

    def upsert(
        self, existing: Entity | None, make: type[Entity], identity: dict[str, Any], **values: Any
    ) -> tuple[Entity, Outcome]:
        """Create the entity, or apply ``values`` to the stored one: the outcome says which,
        and ``unchanged`` writes nothing."""
        if existing is None:
            entity = make(**{**identity, **values})
            self.new.append(entity)
            return entity, Outcome.CREATED
        fields = existing.change(**values)
        if not fields:
            return existing, Outcome.UNCHANGED
        self.changed.append((existing, fields))
        return existing, Outcome.UPDATED

    def write(self) -> None:
        self.repository.add_many(self.new, audited=False)
        self.repository.update_many(self.changed, audited=False)
        self.new, self.changed = [], []


class Seen:
    """Natural keys met earlier in the file: a key twice is a mistake, named with both places."""

    def __init__(self) -> None:
        self.where: dict[Any, str] = {}

    def first(self, tally: Tally, row: Row, key: Any, field_name: str, label: str) -> bool:
        earlier = self.where.get(key)
        if earlier is not None:
            tally.problem(
                row.location,
                field_name,
                f"{label} is already in the file ({earlier}).",
                "duplicate",
            )
            return False
        self.where[key] = row.location
        return True


# --- the kinds ------------------------------------------------------------------------


class PeopleRows:
    """People of an organisation, by ``external_id``; ``team`` by its name."""

    kind = RowKind.PEOPLE

    def __init__(self, uow: UnitOfWork, organisation_id: UUID) -> None:
        uow.organisations.get(organisation_id)
        self.uow, self.organisation_id = uow, organisation_id
        self.teams = {t.name: t.id for t in uow.teams.all(organisation_id=organisation_id)}
        self.seen = Seen()

    def apply(self, chunk: list[Row], tally: Tally) -> None:
        keys = {r.values["external_id"] for r in chunk}
        stored = {
            p.external_id: p
            for p in self.uow.people.all(organisation_id=self.organisation_id, external_id=keys)
        }
        batch = Batch(self.uow.people)
        for row in chunk:
            v = row.values
            if not self.seen.first(tally, row, v["external_id"], "external_id", "This external_id"):
                continue
            team_id = None
            if v.get("team"):
                team_id = self.teams.get(v["team"])
                if team_id is None:
                    tally.problem(
                        row.location,
                        "team",
                        f"The organisation has no team named {v['team']!r}.",
                        "unknown_team",
                    )
                    continue
            values = {
                "name": v["name"],
                "email": v.get("email"),
                "active": v.get("active", True),
                "team_id": team_id,
            }
            existing = stored.get(v["external_id"])
            if existing is not None and existing.erased_at is not None:
                tally.problem(
                    row.location,
                    "external_id",
                    "This person was erased and cannot be imported again.",
                    "erased",
                )
                continue
            _, outcome = batch.upsert(
                existing,
                Person,
                {"organisation_id": self.organisation_id, "external_id": v["external_id"]},
                **values,
            )
            tally.add(row, self.kind, v["external_id"], outcome)
        batch.write()


class CompetenceRows:
    """The workspace's competences, by ``code``; ``parent`` by its code (earlier in the
    file or already stored)."""

    kind = RowKind.COMPETENCES

    organisation_id = None  # the workspace's own

    def __init__(self, uow: UnitOfWork, _target: None = None) -> None:
        self.uow = uow
        self.ids = {c.code: c.id for c in uow.competences.all()}
        self.seen = Seen()

    def apply(self, chunk: list[Row], tally: Tally) -> None:
        stored = {
            c.code: c for c in self.uow.competences.all(code={r.values["code"] for r in chunk})
        }
        batch = Batch(self.uow.competences)
        for row in chunk:
            v = row.values
            code = v["code"]
            if not self.seen.first(tally, row, code, "code", "This code"):
                continue
            parent_id = None
            if v.get("parent"):
                parent_id = self.ids.get(v["parent"])
                if parent_id is None or v["parent"] == code:
                    tally.problem(
                        row.location,
                        "parent",
                        f"No competence with code {v['parent']!r} (parents come first).",
                        "unknown_parent",
                    )
                    continue
            values = {
                "name": v["name"],
                "description": v.get("description") or "",
                "parent_id": parent_id,
            }
            entity, outcome = batch.upsert(stored.get(code), Competence, {"code": code}, **values)
            self.ids[code] = entity.id
            tally.add(row, self.kind, code, outcome)
        batch.write()


class _ProjectRows:
    """Rows of a project that name people by external_id and competences by code."""

    since = Phase.INTAKE

    def __init__(self, uow: UnitOfWork, project_id: UUID) -> None:
        project = uow.projects.get(project_id)
        ensure_editable(project, self.since)
        self.uow, self.project_id = uow, project_id
        self.organisation_id = project.organisation_id
        participants = uow.participants.all(project_id=project_id)
        people = {p.id: p for p in uow.people.find_many({p.person_id for p in participants})}
        self.participant = {
            people[p.person_id].external_id: p.id
            for p in participants
            if people[p.person_id].external_id
        }
        self.competence = {c.code: c for c in uow.competences.all()}
        self.seen = Seen()

    def named(self, chunk: list[Row]) -> set[UUID]:
        """The participants a chunk names, to look up only their stored rows."""
        return {
            self.participant[r.values["person"]]
            for r in chunk
            if r.values["person"] in self.participant
        }

    def who(self, tally: Tally, row: Row, field_name: str = "person") -> UUID | None:
        participant_id = self.participant.get(row.values[field_name])
        if participant_id is None:
            tally.problem(
                row.location,
                field_name,
                f"No participant of the project has external_id {row.values[field_name]!r}.",
                "unknown_participant",
            )
        return participant_id

    def what(self, tally: Tally, row: Row) -> Competence | None:
        competence = self.competence.get(row.values["competence"])
        if competence is None:
            tally.problem(
                row.location,
                "competence",
                f"No competence with code {row.values['competence']!r}.",
                "unknown_competence",
            )
        elif competence.archived:
            tally.problem(row.location, "competence", "This competence is archived.", "archived")
            return None
        return competence


class LevelRows(_ProjectRows):
    """Cells of the matrix, by person and competence; each real change joins the history."""

    kind = RowKind.LEVELS
    since = Phase.COMPETENCE_MAPPING

    def apply(self, chunk: list[Row], tally: Tally) -> None:
        cells = []
        for row in chunk:
            v = row.values
            participant_id, competence = self.who(tally, row), self.what(tally, row)
            if not MIN_LEVEL <= v["level"] <= MAX_LEVEL:
                tally.problem(
                    row.location, "level", f"Must be {MIN_LEVEL} to {MAX_LEVEL}.", "out_of_range"
                )
                continue
            source = LevelSource(v["source"]) if v.get("source") else None
            if source is not None and source not in RATED_SOURCES:
                tally.problem(
                    row.location,
                    "source",
                    "Only achieving an agreement records this source.",
                    "source_not_allowed",
                )
                continue
            if participant_id is None or competence is None:
                continue
            if self.seen.first(
                tally,
                row,
                (participant_id, competence.id),
                "competence",
                "This person's level in this competence",
            ):
                cells.append((row, participant_id, competence, v["level"], source))
        stored = {
            (c.participant_id, c.competence_id): c
            for c in self.uow.levels.all(
                project_id=self.project_id, participant_id={c[1] for c in cells}
            )
        }
        batch, history = Batch(self.uow.levels), []
        for row, participant_id, competence, level, source in cells:
            existing = stored.get((participant_id, competence.id))
            previous = existing.level if existing else None
            if source is None:  # a workbook names no source: a level it leaves alone keeps its own
                source = existing.source if previous == level else LevelSource.IMPORT
            _, outcome = batch.upsert(
                existing,
                Level,
                {
                    "project_id": self.project_id,
                    "participant_id": participant_id,
                    "competence_id": competence.id,
                    "level": level,
                    "source": source,
                },
                level=level,
                source=source,
            )
            if outcome is not Outcome.UNCHANGED:
                history.append(
                    LevelChange(
                        project_id=self.project_id,
                        participant_id=participant_id,
                        competence_id=competence.id,
                        level=level,
                        previous_level=previous,
                        source=source,
                        actor_id=self.uow.scope.actor_id,
                        actor_kind=self.uow.scope.actor_kind,
                    )
                )
            tally.add(row, self.kind, f"{row.values['person']}/{competence.code}", outcome)
        batch.write()
        self.uow.level_history.add_many(history)


class ServiceRows(_ProjectRows):
    """Services by name, as the workbook's Services sheet lists them: client group,
    deliverables and indicators (one per line of a cell)."""

    kind = "services"
    since = Phase.SERVICE_DEFINITION

    def apply(self, chunk: list[Row], tally: Tally) -> None:
        stored = {s.name: s for s in self.uow.services.all(project_id=self.project_id)}
        batch = Batch(self.uow.services)
        for row in chunk:
            v = row.values
            if not self.seen.first(tally, row, v["name"], "name", "This service"):
                continue
            values = {k: v[k] for k in ("client_group", "deliverables", "indicators")}
            _, outcome = batch.upsert(
                stored.get(v["name"]),
                Service,
                {"project_id": self.project_id, "name": v["name"]},
                **values,
            )
            tally.add(row, self.kind, v["name"], outcome)
        batch.write()


class WishRows(_ProjectRows):
    """Development wishes, by person and competence."""

    kind = RowKind.WISHES
    since = Phase.COMPETENCE_MAPPING

    def apply(self, chunk: list[Row], tally: Tally) -> None:
        stored = {
            (w.participant_id, w.competence_id): w
            for w in self.uow.wishes.all(
                project_id=self.project_id, participant_id=self.named(chunk)
            )
        }
        batch = Batch(self.uow.wishes)
        for row in chunk:
            participant_id, competence = self.who(tally, row), self.what(tally, row)
            if participant_id is None or competence is None:
                continue
            key = (participant_id, competence.id)
            if not self.seen.first(
                tally, row, key, "competence", "This person's wish for this competence"
            ):
                continue
            motivation = row.values.get("motivation") or ""
            _, outcome = batch.upsert(
                stored.get(key),
                DevelopmentWish,
                {
                    "project_id": self.project_id,
                    "participant_id": key[0],
                    "competence_id": key[1],
                    "motivation": motivation,
                },
                motivation=motivation,
            )
            tally.add(row, self.kind, f"{row.values['person']}/{competence.code}", outcome)
        batch.write()


class ContributionRows(_ProjectRows):
    """Who contributes what to which service: by service name and person."""

    kind = RowKind.CONTRIBUTIONS
    since = Phase.SERVICE_DEFINITION

    def __init__(self, uow: UnitOfWork, project_id: UUID) -> None:
        super().__init__(uow, project_id)
        self.service = {s.name: s.id for s in uow.services.all(project_id=project_id)}

    def apply(self, chunk: list[Row], tally: Tally) -> None:
        stored = {
            (c.service_id, c.participant_id): c
            for c in self.uow.contributions.all(
                project_id=self.project_id, participant_id=self.named(chunk)
            )
        }
        batch = Batch(self.uow.contributions)
        for row in chunk:
            v = row.values
            participant_id = self.who(tally, row)
            service_id = self.service.get(v["service"])
            if service_id is None:
                tally.problem(
                    row.location,
                    "service",
                    f"The project has no service named {v['service']!r}.",
                    "unknown_service",
                )
            if participant_id is None or service_id is None:
                continue
            key = (service_id, participant_id)
            if not self.seen.first(
                tally, row, key, "person", "This person's contribution to this service"
            ):
                continue
            text = v.get("contribution") or ""
            _, outcome = batch.upsert(
                stored.get(key),
                Contribution,
                {
                    "project_id": self.project_id,
                    "service_id": key[0],
                    "participant_id": key[1],
                    "contribution": text,
                },
                contribution=text,
            )
            tally.add(row, self.kind, f"{v['service']}/{v['person']}", outcome)
        batch.write()


ROW_KINDS = {
    RowKind.PEOPLE: PeopleRows,
    RowKind.COMPETENCES: CompetenceRows,
    RowKind.LEVELS: LevelRows,
    RowKind.WISHES: WishRows,
    RowKind.CONTRIBUTIONS: ContributionRows,
}
