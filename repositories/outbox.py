"""The outbox: every audited change becomes an event, written by the commit that keeps it.

The audit trail already records every mutation in its transaction, so the unit of work
hands each audit record on to here and the commit writes them as events. Nothing else
needs to announce a change: a repository write, a batch audited as one change, and any
resource added later are announced alike, and a rolled-back change never is.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import (
    JSON,
    Connection,
    Text,
    and_,
    bindparam,
    cast,
    func,
    insert,
    or_,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY
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


# The workspace whose stream the events join, and how many of them the commit has.
_STREAM = bindparam("stream", type_=t.events.c.workspace_id.type)
_COUNT = bindparam("count", type_=t.events.c.position.type)
# What each event gives (its position and workspace come from the statement).
_GIVEN = tuple(name for name in _COLUMNS if name != "position")


def _organisation(given: Any) -> Any:
    """An event of a project's record belongs to the project's organisation, so keys and
    subscriptions restricted to one organisation see it: looked up by the same INSERT."""
    projects = t.projects.c
    return func.coalesce(
        given("organisation_id"),
        select(projects.organisation_id)
        .where(projects.id == given("project_id"), projects.workspace_id == _STREAM)
        .scalar_subquery(),
    )


def _insert(position: Any, given: Any, source: Any = None) -> Any:
    shaped = {
        "workspace_id": _STREAM,
        "position": position,
        "organisation_id": _organisation(given),
    }
    names = ("workspace_id", *_COLUMNS)
    row = select(*(shaped[n] if n in shaped else given(n) for n in names))
    return insert(t.events).from_select(names, row if source is None else row.select_from(source))


def _postgresql(many: bool) -> Any:
    """A commit's events in one execution: one event's values as they are, several as
    arrays (a statement per event was the old cost of a large batch; arrays would cost
    the common commit of one event more than they save it).

    PostgreSQL's writers run side by side, so each takes its workspace's counter row
    (``tables.event_streams``) with an upsert that claims all its positions at once and
    holds the row until COMMIT: a transaction that numbers its events later commits
    later. Being part of the events' own INSERT, the last statement before COMMIT, the
    lock is held no longer than that.
    """
    s = t.event_streams
    taken = (
        pg_insert(s)
        .values(workspace_id=_STREAM, position=_COUNT)
        .on_conflict_do_update(
            index_elements=["workspace_id"], set_={"position": s.c.position + _COUNT}
        )
        .returning(s.c.position)
        .cte("stream")
    )
    if not many:
        return _insert(taken.c.position, lambda n: bindparam(n, type_=t.events.c[n].type), taken)
    # Each event's changed fields are a JSON list: an array of JSON texts, not an array of
    # arrays (which would be one array of two dimensions, flattened by unnest).
    types = {n: ARRAY(Text if n == "changed_fields" else t.events.c[n].type) for n in _GIVEN}
    arrays = (bindparam(n, type_=types[n]) for n in _GIVEN)
    rows = func.unnest(*arrays).table_valued(*_GIVEN, with_ordinality="k").render_derived()

    def given(name: str) -> Any:
        return cast(rows.c[name], JSON) if name == "changed_fields" else rows.c[name]

    # Every event with the one row the upsert answered.
    return _insert(taken.c.position - _COUNT + rows.c.k, given, taken.join(rows, true()))


def _sqlite() -> Any:
    """One event, executed once per event of the commit (one ``executemany``).

    SQLite's writers hold the database's write lock from BEGIN IMMEDIATE to COMMIT, one
    at a time, so each event is simply one past the workspace's last: in commit order.
    """
    events = t.events.c
    last = select(func.coalesce(func.max(events.position), 0)).where(events.workspace_id == _STREAM)
    return _insert(last.scalar_subquery() + 1, lambda n: bindparam(n, type_=events[n].type))


_ONE, _MANY, _SQLITE = _postgresql(many=False), _postgresql(many=True), _sqlite()


def publish(connection: Connection, workspace_id: Any, records: Sequence[AuditRecord]) -> None:
    """Write the events of a transaction's changes, numbered in commit order, with one
    statement built once: building and compiling a statement per commit, and a second
    one to claim the positions, cost the throughput a third of its changes per second."""
    events = [Event.of(record) for record in records]
    if connection.dialect.name != "postgresql":
        rows = [{**{n: getattr(e, n) for n in _GIVEN}, "stream": workspace_id} for e in events]
        connection.execute(_SQLITE, rows)
    elif len(events) == 1:
        values = {n: getattr(events[0], n) for n in _GIVEN}
        connection.execute(_ONE, {**values, "stream": workspace_id, "count": 1})
    else:
        columns = {n: [getattr(e, n) for e in events] for n in _GIVEN}
        columns["changed_fields"] = [json.dumps(fields) for fields in columns["changed_fields"]]
        connection.execute(_MANY, {**columns, "stream": workspace_id, "count": len(events)})


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
        """Read from the events themselves: SQLite keeps no counter (``_sqlite``)."""
        stmt = select(func.max(t.events.c.position)).where(
            t.events.c.workspace_id == self.uow.scope.workspace_id
        )
        return self.uow.connection.scalar(stmt) or 0
