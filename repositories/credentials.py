"""Looking up an API key by its digest: the one read that happens before any scope exists."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import Engine, select

from domain.access import Language, Role, Scope
from repositories import tables as t
from repositories.database import reading


def scope_for_digest(engine: Engine, digest: str) -> tuple[Scope, Role, Language] | None:
    """The scope and role of the active key with this digest, and the language of its
    workspace's texts, or ``None``."""
    keys, workspaces = t.api_keys, t.workspaces
    with reading(engine) as connection:
        row = connection.execute(
            select(
                keys.c.id,
                keys.c.workspace_id,
                keys.c.organisation_id,
                keys.c.role,
                workspaces.c.language,
            )
            .join(workspaces, workspaces.c.id == keys.c.workspace_id)
            .where(keys.c.digest == digest, keys.c.revoked_at.is_(None))
        ).first()
    if row is None:
        return None
    scope = Scope(
        workspace_id=row.workspace_id, organisation_id=row.organisation_id, actor_id=row.id
    )
    return scope, row.role, row.language


def reach_of_person(
    engine: Engine, workspace_id: UUID, person_id: UUID
) -> tuple[UUID | None, dict[UUID, UUID]]:
    """A person's organisation and, per project they take part in, their participant id:
    all a caller acting for themselves may reach (one query)."""
    people, participants = t.people, t.participants
    with reading(engine) as connection:
        rows = connection.execute(
            select(people.c.organisation_id, participants.c.project_id, participants.c.id)
            .select_from(people)
            .outerjoin(participants, participants.c.person_id == people.c.id)
            .where(people.c.id == person_id, people.c.workspace_id == workspace_id)
        ).all()
    if not rows:
        return None, {}
    return rows[0].organisation_id, {r.project_id: r.id for r in rows if r.project_id}


# The objects a URL can name that belong to one participant: table and its column.
_OWNED = {"agreement_id": (t.agreements, "participant_id")}


def participant_owning(
    engine: Engine, workspace_id: UUID, project_id: UUID, argument: str, object_id: UUID
) -> UUID | None:
    """The participant the object named by URL ``argument`` belongs to (``None``: no such
    object in the project, which the view will answer 404 for)."""
    table, column = _OWNED[argument]
    with reading(engine) as connection:
        return connection.scalar(
            select(table.c[column]).where(
                table.c.id == object_id,
                table.c.workspace_id == workspace_id,
                table.c.project_id == project_id,
            )
        )
