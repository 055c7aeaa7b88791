"""In-memory adapters of the ports of ``domain.ports``: the rules tested without a database.

Like the SQL repositories, the fakes hand out copies (a service only changes what it
writes back), check versions on every write, and keep only what a unit of work commits.
"""

from __future__ import annotations

import copy
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from typing import Any, Generic, Self, TypeVar
from uuid import UUID, uuid4

from domain.access import Scope
from domain.audit import AuditRecord
from domain.base import Entity, ListQuery, Page, utcnow
from domain.errors import Conflict, NotFound, StaleVersion
from domain.matrix import Cell, Cells, Level
from domain.service_definition import FeedbackStatus

E = TypeVar("E", bound=Entity)
L = TypeVar("L")


def _matches(item: Any, filters: dict[str, Any]) -> bool:
    """As the real repositories filter: equality, or membership for a set of values."""
    return all(
        getattr(item, name) in value
        if isinstance(value, set | frozenset)
        else getattr(item, name) == value
        for name, value in filters.items()
    )


class FakeRepository(Generic[E]):
    """Entities of one kind in a dict, with the unique keys the real table enforces."""

    def __init__(self, entity_type: str, unique: Iterable[tuple[str, ...]] = ()) -> None:
        self.entity_type = entity_type
        self.unique = [tuple(key) for key in unique]
        self._rows: dict[UUID, E] = {}
        self.updates: list[tuple[UUID, frozenset[str]]] = []  # every update asked for

    # --- the unit of work's bookkeeping ----------------------------------------------

    def snapshot(self) -> dict[UUID, E]:
        return copy.deepcopy(self._rows)

    def restore(self, rows: dict[UUID, E]) -> None:
        self._rows = rows

    def seed(self, *entities: E) -> None:
        """Store entities as they are, as if an earlier unit of work had committed them."""
        for entity in entities:
            self._rows[entity.id] = copy.deepcopy(entity)

    # --- reading ---------------------------------------------------------------------

    def find(self, entity_id: UUID, **within: Any) -> E | None:
        entity = self._rows.get(entity_id)
        if entity is None or not _matches(entity, within):
            return None
        return copy.deepcopy(entity)

    def get(self, entity_id: UUID, **within: Any) -> E:
        entity = self.find(entity_id, **within)
        if entity is None:
            raise NotFound(self.entity_type, entity_id)
        return entity

    def find_many(self, entity_ids: Collection[UUID]) -> list[E]:
        return [copy.deepcopy(e) for e in self._ordered() if e.id in set(entity_ids)]

    def find_by(self, **filters: Any) -> E | None:
        return next(iter(self.all(**filters)), None)

    def all(self, **filters: Any) -> list[E]:
        return [copy.deepcopy(e) for e in self._ordered() if _matches(e, filters)]

    def count(self, **filters: Any) -> int:
        return len(self.all(**filters))

    def list(self, query: ListQuery) -> Page[E]:
        items = [
            e
            for e in self.all(**query.filters)
            if query.updated_since is None or e.updated_at >= query.updated_since
        ]
        page = query.page
        return Page(items[page.offset : page.offset + page.page_size], len(items))

    def _ordered(self) -> list[E]:
        # Insertion order, then creation time: the SQL repositories order by created_at.
        return sorted(self._rows.values(), key=lambda e: e.created_at)

    # --- writing ---------------------------------------------------------------------

    def add(self, entity: E) -> None:
        self.add_many([entity])

    def add_many(self, entities: list[E], audited: bool = True) -> None:
        now = utcnow()
        for entity in entities:
            if entity.id in self._rows:
                raise Conflict(f"A {self.entity_type} with this id exists.", "integrity")
            self._check_unique(entity)
            entity.created_at = entity.updated_at = now
            self._rows[entity.id] = copy.deepcopy(entity)

    def update(self, entity: E, changed: Collection[str], action: str = "update") -> None:
        self.updates.append((entity.id, frozenset(changed)))
        if not changed:
            return
        stored = self._rows.get(entity.id)
        if stored is None or stored.version != entity.version:
            raise StaleVersion(self.entity_type)
        self._write(entity)

    def update_many(self, changes: list[tuple[E, Collection[str]]], audited: bool = True) -> None:
        """Last writer wins, as in the SQL repository; versions still bump."""
        for entity, changed in changes:
            self.updates.append((entity.id, frozenset(changed)))
            if changed:
                entity.version = self._rows[entity.id].version
                self._write(entity)

    def _write(self, entity: E) -> None:
        self._check_unique(entity)
        entity.version += 1
        entity.updated_at = utcnow()
        self._rows[entity.id] = copy.deepcopy(entity)

    def remove(self, entity: E) -> None:
        stored = self._rows.get(entity.id)
        if stored is None or stored.version != entity.version:
            raise StaleVersion(self.entity_type)
        del self._rows[entity.id]

    def remove_all(self, **filters: Any) -> int:
        doomed = [e for e in self._rows.values() if _matches(e, filters)]
        for entity in doomed:
            del self._rows[entity.id]
        return len(doomed)

    def _check_unique(self, entity: E) -> None:
        for key in self.unique:
            values = tuple(getattr(entity, name) for name in key)
            if None in values:
                continue  # NULLs never clash, as in SQL
            if any(
                other.id != entity.id and tuple(getattr(other, n) for n in key) == values
                for other in self._rows.values()
            ):
                raise Conflict(f"Another {self.entity_type} has these {key}.", "duplicate")


class FakeLevelRepository(FakeRepository[Level]):
    def cells(self, project_id) -> Cells:
        return Cells.of(
            Cell(x.participant_id, x.competence_id, x.level, x.source)
            for x in self.all(project_id=project_id)
        )


class FakePeopleRepository(FakeRepository[Any]):
    def __init__(self, participants: FakeRepository[Any]) -> None:
        super().__init__("person", unique=[("organisation_id", "external_id")])
        self._participants = participants

    def is_referenced(self, person_id: UUID) -> bool:
        return self._participants.count(person_id=person_id) > 0

    def erase(self, person: Any, changed: Collection[str]) -> None:
        self.update(person, changed, action="erase")


class FakeCompetenceRepository(FakeRepository[Any]):
    def __init__(self, *users: FakeRepository[Any]) -> None:
        super().__init__("competence", unique=[("code",)])
        self._users = users

    def is_used(self, competence_id: UUID) -> bool:
        return any(
            getattr(e, "competence_id", None) == competence_id
            or any(r.competence_id == competence_id for r in getattr(e, "required_competences", []))
            for users in self._users
            for e in users.all()
        )


class FakeFeedbackRepository(FakeRepository[Any]):
    def __init__(self) -> None:
        super().__init__("management_feedback")

    def counts_by_service(self, project_id: UUID) -> dict[UUID, Counter[FeedbackStatus]]:
        counts: dict[UUID, Counter[FeedbackStatus]] = defaultdict(Counter)
        for item in self.all(project_id=project_id):
            counts[item.service_id][item.status] += 1
        return dict(counts)


class FakeLogRepository(Generic[L]):
    """An append-only record, read oldest first."""

    def __init__(self) -> None:
        self.entries: list[L] = []

    def snapshot(self) -> list[L]:
        return list(self.entries)

    def restore(self, entries: list[L]) -> None:
        self.entries = entries

    def add(self, entry: L) -> None:
        self.entries.append(copy.deepcopy(entry))

    def add_many(self, entries: Iterable[L]) -> None:
        for entry in entries:
            self.add(entry)

    def all(self, **filters: Any) -> list[L]:
        return [copy.deepcopy(e) for e in self.entries if _matches(e, filters)]

    def list(self, query: ListQuery, **within: Any) -> Page[L]:
        items = [
            e
            for e in self.all(**query.filters, **within)
            if query.updated_since is None or e.created_at >= query.updated_since
        ]
        page = query.page
        return Page(items[page.offset : page.offset + page.page_size], len(items))


class FakeAuditRepository(FakeLogRepository[AuditRecord]):
    def __init__(self, scope: Scope) -> None:
        super().__init__()
        self.scope = scope

    def record(self, record: AuditRecord) -> None:
        self.add(record)

    def record_many(self, records: Iterable[AuditRecord]) -> None:
        self.add_many(records)

    def record_change(
        self, action: str, entity_type: str, entity_id: UUID, fields: list[str]
    ) -> None:
        self.record(
            AuditRecord(
                actor_id=self.scope.actor_id,
                action=action,
                entity_type=entity_type,
                entity_id=entity_id,
                changed_fields=fields,
            )
        )


class FakeWorkspaceRepository:
    def __init__(self) -> None:
        self.workspaces: list[Any] = []

    def snapshot(self) -> list[Any]:
        return list(self.workspaces)

    def restore(self, workspaces: list[Any]) -> None:
        self.workspaces = workspaces

    def add(self, workspace: Any) -> None:
        self.workspaces.append(workspace)

    def count(self) -> int:
        return len(self.workspaces)

    def matching(self, id_or_name: str) -> list[Any]:
        return [ws for ws in self.workspaces if id_or_name in (str(ws.id), ws.name)]

    def current(self) -> Any:
        return self.workspaces[0]

    def update(self, workspace: Any) -> None:
        self.workspaces = [workspace if w.id == workspace.id else w for w in self.workspaces]


class FakeProgressRepository:
    def __init__(self) -> None:
        self._done: dict[tuple[UUID, UUID, UUID], set[UUID]] = {}

    def snapshot(self) -> dict[tuple[UUID, UUID, UUID], set[UUID]]:
        return copy.deepcopy(self._done)

    def restore(self, done: dict[tuple[UUID, UUID, UUID], set[UUID]]) -> None:
        self._done = done

    def done(self, project_id: UUID, theme_id: UUID) -> dict[UUID, set[UUID]]:
        return {
            participant_id: set(steps)
            for (project, theme, participant_id), steps in self._done.items()
            if (project, theme) == (project_id, theme_id)
        }

    def set_done(
        self, project_id: UUID, theme_id: UUID, participant_id: UUID, steps: Iterable[UUID]
    ) -> None:
        self._done[(project_id, theme_id, participant_id)] = set(steps)


class FakeUnitOfWork:
    """Every repository of ``domain.ports.UnitOfWork`` in memory.

    Leaving the ``with`` block without ``commit`` puts every repository back as it was
    on entering; ``committed`` tells whether the last block committed.
    """

    def __init__(self, scope: Scope | None = None) -> None:
        self.scope = scope or Scope(workspace_id=uuid4(), actor_id=uuid4())
        self.committed = False
        self.workspaces = FakeWorkspaceRepository()
        self.api_keys = FakeRepository("api_key", unique=[("digest",)])
        self.organisations = FakeRepository("organisation")
        self.teams = FakeRepository("team", unique=[("organisation_id", "name")])
        self.projects = FakeRepository("project")
        self.participants = FakeRepository("participant", unique=[("project_id", "person_id")])
        self.people = FakePeopleRepository(self.participants)
        self.transitions = FakeLogRepository()
        self.findings = FakeRepository("finding")
        self.grievances = FakeRepository("grievance")
        self.readiness = FakeRepository(
            "readiness_rating", unique=[("project_id", "participant_id", "round")]
        )
        self.readiness_rounds = FakeRepository("readiness_round", unique=[("project_id", "number")])
        self.conclusions = FakeRepository("conclusion", unique=[("project_id",)])
        self.audit = FakeAuditRepository(self.scope)
        self.services = FakeRepository("service", unique=[("project_id", "name")])
        self.contributions = FakeRepository(
            "contribution", unique=[("service_id", "participant_id")]
        )
        self.feedback = FakeFeedbackRepository()
        self.measurements = FakeRepository("measurement")
        self.surveys = FakeRepository("pulse_survey")
        self.levels = FakeLevelRepository("level", unique=[("participant_id", "competence_id")])
        self.level_history = FakeLogRepository()
        self.wishes = FakeRepository("wish", unique=[("participant_id", "competence_id")])
        self.agreements = FakeRepository("agreement")
        self.competences = FakeCompetenceRepository(
            self.services, self.levels, self.wishes, self.agreements
        )
        self.check_ins = FakeRepository("check_in")
        self.meetings = FakeRepository("meeting")
        self.commitments = FakeRepository("commitment")
        self.action_reports = FakeRepository("action_report")
        self.themes = FakeRepository("theme")
        self.project_themes = FakeRepository("project_theme", unique=[("project_id", "theme_id")])
        self.progress = FakeProgressRepository()
        self.imports = FakeRepository("import")
        self._saved: dict[str, Any] = {}

    def _stores(self) -> dict[str, Any]:
        return {name: repo for name, repo in vars(self).items() if hasattr(repo, "snapshot")}

    def __enter__(self) -> Self:
        self.committed = False
        self._save()
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.committed:
            self.rollback()

    def _save(self) -> None:
        self._saved = {name: repo.snapshot() for name, repo in self._stores().items()}

    def commit(self) -> None:
        self.committed = True
        self._save()

    def rollback(self) -> None:
        for name, repo in self._stores().items():
            repo.restore(copy.deepcopy(self._saved[name]))
