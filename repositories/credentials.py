"""Looking up an API key by its digest: the one read that happens before any scope exists."""

from __future__ import annotations

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
