"""The outbox: every audited change becomes an event, written by the commit that keeps it.

The audit trail already records every mutation in its transaction, so the unit of work
hands each audit record on to here and the commit writes them as events. Nothing else
needs to announce a change: a repository write, a batch audited as one change, and any
resource added later are announced alike, and a rolled-back change never is.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Connection, and_, bindparam, func, insert, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from domain.audit import AuditRecord
from domain.events import Event
from repositories import tables as t

# Kinds the feed leaves out: access configuration (keys, subscriptions), which only admins
# handle and the audit trail records.
UNLISTED = ("api_key", "webhook", "delivery")

_COLUMNS = (
    "id",
    "position",
    "type",
    "entity_type",
    "entity_id",
    "change",
    "version",
    "changed_fields",
    "organisation_id",
    "project_id",
    "actor_id",
    "occurred_at",
)


def event_columns() -> tuple[str, ...]:
    """The columns of an event that ``domain.events.Event`` holds."""
    return _COLUMNS


def _next_position(dialect: str) -> tuple[Any, list[Any]]:
    """The position of the event being inserted, and what its SELECT reads it from.

    Positions must follow the order in which transactions commit. SQLite's writers hold
    the database's write lock from BEGIN IMMEDIATE to COMMIT, one at a time, so the next
    position is simply one past the workspace's last event. PostgreSQL's writers run side
    by side: each takes its workspace's counter row (``tables.event_streams``) with an
    upsert, which holds the row until COMMIT, so a transaction that numbers its events
    later commits later. Being part of the event's own INSERT, that is the last statement
    before COMMIT and the lock is held no longer than that.
    """
    stream = bindparam("stream", type_=t.events.c.workspace_id.type)
    if dialect == "postgresql":
        s = t.event_streams
        taken = (
            pg_insert(s)
            .values(workspace_id=stream, position=1)
            .on_conflict_do_update(
                index_elements=["workspace_id"], set_={"position": s.c.position + 1}
            )
            .returning(s.c.position)
            .cte("stream")
        )
        return taken.c.position, [taken]
    last = select(func.coalesce(func.max(t.events.c.position), 0)).where(
        t.events.c.workspace_id == stream
    )
    return last.scalar_subquery() + 1, []


def _insert_event(dialect: str) -> Any:
    """One event at the next position, executed once per event of the commit (one call).

    An event of a project's record is given the project's organisation by the same
    statement, so a subscriber or key restricted to one organisation sees it.
    """
    c = t.events.c
    position, sources = _next_position(dialect)

    def given(name: str) -> Any:
        return bindparam(name, type_=c[name].type)

    organisation = func.coalesce(
        given("organisation_id"),
        select(t.projects.c.organisation_id)
        .where(
            t.projects.c.id == given("project_id"), t.projects.c.workspace_id == bindparam("stream")
        )
        .scalar_subquery(),
    )
    shaped = {
        "workspace_id": bindparam("stream"),
        "position": position,
        "organisation_id": organisation,
    }
    names = ("workspace_id", *_COLUMNS)
    row = select(*(shaped[n] if n in shaped else given(n) for n in names))
    if sources:
        row = row.select_from(*sources)
    return insert(t.events).from_select(names, row)


_INSERTS = {dialect: _insert_event(dialect) for dialect in ("postgresql", "sqlite")}


def publish(connection: Connection, workspace_id: Any, records: Sequence[AuditRecord]) -> None:
    """Write the events of a transaction's changes, numbered in commit order.

    One prepared statement serves every commit (executed many times for a commit of
    many changes): building and compiling a statement per commit, and a second one to
    claim the positions, cost the throughput a third of its changes per second.
    """
    rows = []
    for record in records:
        event = Event.of(record)
        row = {c: getattr(event, c) for c in _COLUMNS if c != "position"}
        row["stream"] = workspace_id
        rows.append(row)
    connection.execute(_INSERTS[connection.dialect.name], rows)


class EventRepository:
    """Reads the outbox: the change feed, and the worker's fan-out to subscriptions."""

    def __init__(self, uow: Any) -> None:
        self.uow = uow

    def after(
        self,
        position: int,
        limit: int,
        *,
        organisation_id: Any = None,
        types: Collection[str] = (),
        listed_only: bool = True,
    ) -> list[Event]:
        """Events of the workspace after ``position``, oldest first.

        ``organisation_id`` (or the key's own organisation) keeps that organisation's
        events and the workspace's own (competences, themes), which belong to none.
        """
        c = t.events.c
        scope = self.uow.scope
        where = [c.workspace_id == scope.workspace_id, c.position > position]
        for organisation in {organisation_id, scope.organisation_id} - {None}:
            workspace_own = and_(c.organisation_id.is_(None), c.project_id.is_(None))
            where.append(or_(c.organisation_id == organisation, workspace_own))
        if types:
            where.append(c.type.in_(list(types)))
        if listed_only:
            where.append(c.entity_type.not_in(UNLISTED))
        rows = self.uow.connection.execute(
            select(*(c[name] for name in _COLUMNS)).where(*where).order_by(c.position).limit(limit)
        )
        return [Event(**r._mapping) for r in rows]

    def last_position(self) -> int:
        """Read from the events themselves: SQLite keeps no counter (``_next_position``)."""
        stmt = select(func.max(t.events.c.position)).where(
            t.events.c.workspace_id == self.uow.scope.workspace_id
        )
        return self.uow.connection.scalar(stmt) or 0
