"""The outbox: every audited change becomes an event, written by the commit that keeps it.

The audit trail already records every mutation in its transaction, so the unit of work
hands each audit record on to here and the commit writes them as events. Nothing else
needs to announce a change: a repository write, a batch audited as one change, and any
resource added later are announced alike, and a rolled-back change never is.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Connection, and_, insert, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

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


def _take_positions(connection: Connection, workspace_id: Any, count: int) -> int:
    """Claim ``count`` positions of the workspace; the first of them is returned.

    The upsert locks the workspace's counter row until COMMIT, so transactions get their
    positions in the order they commit (see ``tables.event_streams``). It is the last
    statement before COMMIT, so the lock is held for no more than the insert of the events.
    """
    dialect_insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = (
        dialect_insert(t.event_streams)
        .values(workspace_id=workspace_id, position=count)
        .on_conflict_do_update(
            index_elements=["workspace_id"],
            set_={"position": t.event_streams.c.position + count},
        )
        .returning(t.event_streams.c.position)
    )
    last = connection.execute(statement).scalar_one()
    return last - count + 1


def _organisations_of_projects(
    connection: Connection, workspace_id: Any, project_ids: Collection[Any]
) -> dict[Any, Any]:
    rows = connection.execute(
        select(t.projects.c.id, t.projects.c.organisation_id).where(
            t.projects.c.workspace_id == workspace_id, t.projects.c.id.in_(project_ids)
        )
    )
    return dict(rows.all())


def publish(connection: Connection, workspace_id: Any, records: Sequence[AuditRecord]) -> None:
    """Write the events of a transaction's changes, numbered in commit order."""
    events = [Event.of(r) for r in records]
    unplaced = {e.project_id for e in events if e.organisation_id is None and e.project_id}
    if unplaced:
        owners = _organisations_of_projects(connection, workspace_id, unplaced)
        for event in events:
            if event.organisation_id is None and event.project_id is not None:
                event.organisation_id = owners.get(event.project_id)
    first = _take_positions(connection, workspace_id, len(events))
    rows = []
    for offset, event in enumerate(events):
        event.position = first + offset
        rows.append({**{c: getattr(event, c) for c in _COLUMNS}, "workspace_id": workspace_id})
    connection.execute(insert(t.events), rows)


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
        stmt = select(t.event_streams.c.position).where(
            t.event_streams.c.workspace_id == self.uow.scope.workspace_id
        )
        return self.uow.connection.scalar(stmt) or 0
