"""The generic repository: one table, one entity class, the caller's scope on every query."""

from __future__ import annotations

import builtins
import dataclasses
from collections import defaultdict
from collections.abc import Collection, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar, Generic

from sqlalchemy import BindParameter, Select, Table, bindparam, delete, func, insert, select, update
from sqlalchemy.engine import Connection, Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement

from domain.audit import AuditRecord
from domain.base import E, ListQuery, Page, T, utcnow
from domain.errors import Conflict, NotFound, StaleVersion

if TYPE_CHECKING:
    from repositories.unit_of_work import SqlUnitOfWork

BOOKKEEPING = frozenset({"id", "version", "created_at", "updated_at"})

# Unique constraints in words a caller understands, for a race past the services' checks.
UNIQUE_MESSAGES = {
    ("teams", ("organisation_id", "name")): "The organisation already has a team with this name.",
    ("people", ("organisation_id", "external_id")): (
        "Another person of this organisation has this external_id."
    ),
    ("participants", ("project_id", "person_id")): "This person already takes part in the project.",
    ("readiness_ratings", ("project_id", "participant_id", "round")): (
        "This participant has already rated in this round."
    ),
    ("readiness_rounds", ("project_id", "number")): "This round has been opened meanwhile.",
    ("intake_conclusions", ("project_id",)): "The project already has a conclusion.",
    (
        "competences",
        ("workspace_id", "code"),
    ): "The workspace already has a competence with this code.",
    ("services", ("project_id", "name")): "The project already has a service with this name.",
    ("contributions", ("service_id", "participant_id")): (
        "This participant already contributes to the service."
    ),
    ("levels", ("participant_id", "competence_id")): "This participant already has this level.",
    (
        "wishes",
        ("participant_id", "competence_id"),
    ): "This participant already wishes to develop it.",
    ("action_reports", ("meeting_id", "commitment_id", "participant_id")): (
        "This attendee already reported on it at this meeting."
    ),
    ("themes", ("workspace_id", "name")): "The workspace already has a theme with this name.",
    ("project_themes", ("project_id", "theme_id")): "The project already works on this theme.",
    ("users", ("workspace_id", "email")): "The workspace already has a user with this e-mail.",
    ("users", ("issuer", "subject")): "This sign-in is already linked to another user.",
}


def conflict_from(error: IntegrityError) -> Conflict:
    """Name the clash: PostgreSQL reports the constraint, SQLite the columns."""
    text = str(error.orig)
    for (table, columns), message in UNIQUE_MESSAGES.items():
        constraint = f"uq_{table}_{'_'.join(columns)}"
        sqlite_columns = ", ".join(f"{table}.{c}" for c in columns)
        if constraint in text or f"UNIQUE constraint failed: {sqlite_columns}" in text:
            return Conflict(message, "duplicate")
    return Conflict("The change clashes with data stored meanwhile; try again.", "integrity")


# Statements of ``TableRepository._matching``, by repository class, scope and shape: as
# many as the code has distinct reads, so the dict stays small.
_SHAPED: dict[tuple[Any, ...], Select] = {}


@cache
def _stored_fields(table: Table, entity: type) -> tuple[str, ...]:
    """The entity's fields that are columns of its table, in the table's order (asked for
    each repository of each request, so worked out once)."""
    names = {f.name for f in dataclasses.fields(entity)}
    return tuple(c.name for c in table.columns if c.name in names)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return "in" if isinstance(value, set | frozenset) else "equal"


def _condition(column: Any, kind: str, value: Any) -> Any:
    """One filter, by its kind: absent (IS NULL), any of a set (IN), or equal. ``value`` is
    the value itself or the bind parameter that will carry it."""
    if kind == "null":
        return column.is_(None)
    return column.in_(value) if kind == "in" else column == value


class _WithoutTotal:
    """A row of a page, without the window count that came along with it."""

    __slots__ = ("_mapping",)

    def __init__(self, row: Row) -> None:
        self._mapping = {k: v for k, v in row._mapping.items() if k != "_total"}


class TableRepository(Generic[E]):
    """Reads and writes one kind of entity within the unit of work's scope.

    Every write bumps the version, stamps the time and leaves one audit record, so no
    service can forget either.
    """

    table: ClassVar[Table]
    entity: ClassVar[type]
    entity_type: ClassVar[str]
    # Rows that belong to an organisation are hidden from keys restricted to another.
    organisation_column: ClassVar[str | None] = None

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self.uow = uow
        self.fields = _stored_fields(self.table, self.entity)

    # --- reading --------------------------------------------------------------------

    @property
    def connection(self) -> Connection:
        return self.uow.connection

    def _columns(self) -> Select:
        """What a row of this kind reads, before scoping (some kinds join a name in)."""
        return select(*(self.table.c[f] for f in self.fields))

    def _scoped(self, stmt: Select) -> Select:
        scope = self.uow.scope
        stmt = stmt.where(self.table.c.workspace_id == scope.workspace_id)
        if scope.organisation_id is not None and self.organisation_column:
            stmt = stmt.where(self._in_organisation(scope.organisation_id))
        return stmt

    def _in_organisation(self, organisation_id: Any) -> Any:
        """What a key restricted to ``organisation_id`` (a value or a bind parameter) sees."""
        column = self.organisation_column
        if column is None:  # only kinds that belong to an organisation are asked
            raise TypeError(f"a {self.entity_type} belongs to no organisation")
        return self.table.c[column] == organisation_id

    def _select(self) -> Select:
        return self._scoped(self._columns())

    def _to_entity(self, row: Row) -> E:
        return self.entity(**row._mapping)

    def _where(self, stmt: Select, filters: dict[str, Any]) -> Select:
        """Equality per filter; a set of values means any of them (one ``IN``)."""
        for name, value in filters.items():
            stmt = stmt.where(_condition(self.table.c[name], _kind(value), value))
        return stmt

    def _matching(self, filters: dict[str, Any], tail: str = "") -> Any:
        """The rows in the caller's scope that match ``filters`` (as ``_where`` reads them).

        The reads every request makes (by id, by a parent) run a statement built once per
        repository, scope and shape of filters, with the values as parameters: building
        SQL anew cost a small read a third of its time, and a reused statement also keeps
        its compiled form's cache key. ``tail`` is "first" (one row) or "ordered".
        """
        scope = self.uow.scope
        restricted = scope.organisation_id is not None and self.organisation_column is not None
        kinds = tuple((name, _kind(value)) for name, value in filters.items())
        shape = (type(self), restricted, tail, kinds)
        statement = _SHAPED.get(shape)
        if statement is None:
            statement = _SHAPED[shape] = self._shaped(restricted, tail, kinds)
        parameters: dict[str, Any] = {"_workspace_id": scope.workspace_id}
        if restricted:
            parameters["_organisation_id"] = scope.organisation_id
        for name, value in filters.items():
            if value is not None:
                parameters[f"_f_{name}"] = list(value) if _kind(value) == "in" else value
        if any(kind == "in" for _, kind in kinds):
            return self._planned_for_values(statement, parameters)
        return self.connection.execute(statement, parameters)

    def _planned_for_values(self, statement: Any, parameters: Any = None) -> Any:
        """Run a lookup by a set of values unprepared, so PostgreSQL plans it for them.

        psycopg prepares a statement after its fifth run, and PostgreSQL may then plan it
        once for any values. For an import chunk's "external_id IN (2,000 keys)", in a
        transaction whose own inserts the statistics have not seen, that generic plan
        read the whole organisation and filtered the keys: each chunk slower than the
        last, 16 times slower per row at 60,000 people. Planned for its values, it looks
        each key up in the unique index. Every other statement stays prepared: planning
        them anew each time cost a small read a tenth of its time.
        """
        driver = self.connection.connection.driver_connection
        threshold = getattr(driver, "prepare_threshold", None)  # psycopg's; SQLite has none
        if driver is None or threshold is None:
            return self.connection.execute(statement, parameters)
        driver.prepare_threshold = None
        try:
            return self.connection.execute(statement, parameters)  # rows fetched already
        finally:
            driver.prepare_threshold = threshold

    def _shaped(self, restricted: bool, tail: str, kinds: tuple[tuple[str, str], ...]) -> Select:
        c = self.table.c
        statement = self._columns().where(c.workspace_id == bindparam("_workspace_id"))
        if restricted:
            statement = statement.where(self._in_organisation(bindparam("_organisation_id")))
        for name, kind in kinds:
            value: BindParameter[Any] = bindparam(f"_f_{name}", expanding=kind == "in")
            statement = statement.where(_condition(c[name], kind, value))
        if tail == "first":
            statement = statement.limit(1)
        elif tail == "ordered":
            statement = statement.order_by(*self._order())
        return statement

    def _load(self, rows: Any) -> list[E]:
        entities = [self._to_entity(r) for r in rows]
        if entities:
            self._complete(entities)
        return entities

    def _complete(self, entities: list[E]) -> None:
        """Fill in what lives outside the row (child rows), for all loaded entities at once."""

    def find(self, entity_id: Any, **within: Any) -> E | None:
        return next(iter(self._load(self._matching({"id": entity_id, **within}))), None)

    def get(self, entity_id: Any, **within: Any) -> E:
        entity = self.find(entity_id, **within)
        if entity is None:
            raise NotFound(self.entity_type, entity_id)
        return entity

    def find_many(self, entity_ids: Collection[Any]) -> list[E]:
        """Those of ``entity_ids`` that exist for the caller, in one statement."""
        if not entity_ids:
            return []
        return self._load(
            self._planned_for_values(self._select().where(self.table.c.id.in_(entity_ids)))
        )

    def find_by(self, **filters: Any) -> E | None:
        return next(iter(self._load(self._matching(filters, "first"))), None)

    def all(self, **filters: Any) -> list[E]:
        return self._load(self._matching(filters, "ordered"))

    def count(self, **filters: Any) -> int:
        stmt = self._where(self._scoped(select(func.count()).select_from(self.table)), filters)
        return self.connection.scalar(stmt) or 0

    def _order(self) -> list[Any]:
        return [self.table.c.created_at, self.table.c.id]

    def _narrow(self, stmt: Select, query: ListQuery) -> Select:
        stmt = self._where(stmt, query.filters)
        if query.updated_since is not None:
            stmt = stmt.where(self.table.c.updated_at >= query.updated_since)
        if query.search:
            stmt = self._search(stmt, query.search)
        return stmt

    def _search(self, stmt: Select, term: str) -> Select:
        return stmt

    def list(self, query: ListQuery) -> Page[E]:
        """One page in a stable order and the total, in one statement whatever the size:
        the total rides along as a window count (a page past the end asks for it apart)."""
        page = query.page
        rows = self.connection.execute(
            self._narrow(self._select().add_columns(func.count().over().label("_total")), query)
            .order_by(*self._order())
            .limit(page.page_size)
            .offset(page.offset)
        ).all()
        if rows:
            total = rows[0]._total
        elif page.offset == 0:
            total = 0
        else:
            count = select(func.count()).select_from(self.table)
            total = self.connection.scalar(self._narrow(self._scoped(count), query)) or 0
        return Page(self._load([_WithoutTotal(r) for r in rows]), total)

    # --- writing --------------------------------------------------------------------

    def _values(self, entity: E, names: Collection[str]) -> dict[str, Any]:
        return {n: getattr(entity, n) for n in names}

    def _execute(self, statement: Any, parameters: Any = None) -> Any:
        try:
            return self.connection.execute(statement, parameters)
        except IntegrityError as error:
            raise conflict_from(error) from error

    def add(self, entity: E) -> None:
        self.add_many([entity])

    def add_many(self, entities: builtins.list[E], audited: bool = True) -> None:
        """``audited=False`` is for batches that the service audits as one change."""
        if not entities:
            return
        now = utcnow()
        rows = []
        for entity in entities:
            entity.created_at = entity.updated_at = now
            rows.append(
                {**self._values(entity, self.fields), "workspace_id": self.uow.scope.workspace_id}
            )
        self._execute(insert(self.table), rows)
        self._write_children(entities, None)
        if audited:
            self.uow.audit.record_many(self._audit("create", e, self._given(e)) for e in entities)

    def _write_children(self, entities: builtins.list[E], changed: Collection[str] | None) -> None:
        """Store what lives outside the row; ``changed`` is ``None`` for new entities."""

    def update(self, entity: E, changed: Collection[str], action: str = "update") -> None:
        if not changed:
            return
        now = utcnow()
        result = self._execute(
            update(self.table)
            .where(
                self.table.c.id == entity.id,
                self.table.c.workspace_id == self.uow.scope.workspace_id,
                self.table.c.version == entity.version,
            )
            .values(
                **self._values(entity, [n for n in changed if n in self.fields]),
                version=entity.version + 1,
                updated_at=now,
            )
        )
        if result.rowcount != 1:
            raise StaleVersion(self.entity_type)
        self._write_children([entity], changed)
        entity.version += 1
        entity.updated_at = now
        self.uow.audit.record(self._audit(action, entity, sorted(changed)))

    def update_many(
        self, changes: Sequence[tuple[E, Collection[str]]], audited: bool = True
    ) -> None:
        """Bulk writes grouped by the set of fields they change: one statement per group."""
        groups: dict[frozenset[str], builtins.list[E]] = defaultdict(list)
        for entity, changed in changes:
            if changed:
                groups[frozenset(changed)].append(entity)
        now = utcnow()
        for names, entities in groups.items():
            statement = (
                update(self.table)
                .where(
                    self.table.c.id == bindparam("_id"),
                    self.table.c.workspace_id == self.uow.scope.workspace_id,
                )
                .values(
                    {
                        **{n: bindparam(f"_v_{n}") for n in names},
                        "version": self.table.c.version + 1,
                        "updated_at": now,
                    }
                )
            )
            self._execute(
                statement,
                [{"_id": e.id, **{f"_v_{n}": getattr(e, n) for n in names}} for e in entities],
            )
            for entity in entities:
                entity.version += 1
                entity.updated_at = now
            if audited:
                self.uow.audit.record_many(
                    self._audit("update", e, sorted(names)) for e in entities
                )

    def remove(self, entity: E) -> None:
        result = self._execute(
            delete(self.table).where(
                self.table.c.id == entity.id,
                self.table.c.workspace_id == self.uow.scope.workspace_id,
                self.table.c.version == entity.version,
            )
        )
        if result.rowcount != 1:
            raise StaleVersion(self.entity_type)
        self.uow.audit.record(self._audit("delete", entity, []))

    def remove_all(self, **filters: Any) -> int:
        doomed = self.all(**filters)
        for entity in doomed:
            self.remove(entity)
        return len(doomed)

    def _given(self, entity: E) -> builtins.list[str]:
        return [f for f in self.fields if f not in BOOKKEEPING and getattr(entity, f) is not None]

    def _audit(self, action: str, entity: E, changed: builtins.list[str]) -> AuditRecord:
        return AuditRecord(
            actor_id=self.uow.scope.actor_id,
            actor_kind=self.uow.scope.actor_kind,
            action=action,
            entity_type=self.entity_type,
            entity_id=entity.id,
            changed_fields=changed,
            version=entity.version,
            organisation_id=entity.id
            if self.organisation_column == "id"
            else getattr(entity, "organisation_id", None),
            project_id=entity.id
            if self.entity_type == "project"
            else getattr(entity, "project_id", None),
        )


class LogRepository(Generic[T]):
    """An append-only record (phase history, level history, audit trail): written in bulk,
    read in time order, never changed. ``updated_since`` reads as "recorded since"."""

    table: ClassVar[Table]
    entity: ClassVar[type]
    columns: ClassVar[tuple[str, ...]]
    newest_first: ClassVar[bool] = False

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self.uow = uow

    def add(self, entry: Any) -> None:
        self.add_many([entry])

    def add_many(self, entries: Any) -> None:
        workspace_id = self.uow.scope.workspace_id
        rows = [
            {**{c: getattr(e, c) for c in self.columns}, "workspace_id": workspace_id}
            for e in entries
        ]
        if rows:
            self.uow.connection.execute(insert(self.table), rows)

    def _where(self, filters: dict[str, Any], since: Any = None) -> list[Any]:
        where = [self.table.c.workspace_id == self.uow.scope.workspace_id]
        where += [self.table.c[name] == value for name, value in filters.items()]
        if since is not None:
            where.append(self.table.c.created_at >= since)
        return where

    def _select(self, where: list[Any]) -> Select:
        order: list[ColumnElement[Any]] = [self.table.c.created_at, self.table.c.id]
        if self.newest_first:
            order = [o.desc() for o in order]
        return select(*(self.table.c[c] for c in self.columns)).where(*where).order_by(*order)

    def all(self, **filters: Any) -> list[Any]:
        rows = self.uow.connection.execute(self._select(self._where(filters)))
        return [self.entity(**r._mapping) for r in rows]

    def list(self, query: ListQuery, **within: Any) -> Page[Any]:
        where = self._where({**query.filters, **within}, query.updated_since)
        rows = self.uow.connection.execute(
            self._select(where).limit(query.page.page_size).offset(query.page.offset)
        ).all()
        total = self.uow.connection.scalar(
            select(func.count()).select_from(self.table).where(*where)
        )
        return Page([self.entity(**r._mapping) for r in rows], total or 0)
