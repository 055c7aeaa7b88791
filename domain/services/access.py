"""Workspaces and their API keys."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any
from uuid import UUID, uuid4

from domain.access import (
    KEY_ROLES,
    ApiKey,
    KeyHasher,
    Language,
    Role,
    Scope,
    Workspace,
    new_secret,
)
from domain.base import ListQuery, Page, expect_version, utcnow
from domain.errors import Conflict, NotFound, RuleViolation
from domain.ports import UnitOfWork
from domain.services.references import referenced
from domain.texts import _


def create_workspace(
    uow_for: Callable[[Scope], UnitOfWork], hasher: KeyHasher, name: str, secret: str | None = None
) -> tuple[Workspace, ApiKey, str]:
    """A new tenant with its first admin key; ``secret`` lets an operator choose that key."""
    workspace = Workspace(id=uuid4(), name=name)
    with uow_for(Scope(workspace_id=workspace.id)) as uow:
        uow.workspaces.add(workspace)
        key, secret = _issue_key(
            uow, hasher, name="First admin key", role=Role.ADMIN, secret=secret
        )
        uow.commit()
    return workspace, key, secret


def get_workspace(uow: UnitOfWork) -> Workspace:
    with uow:
        return uow.workspaces.current()


def update_workspace(
    uow: UnitOfWork, *, name: str | None = None, language: Language | None = None
) -> Workspace:
    """The workspace's name, and the language its texts are in when a request names none."""
    with uow:
        workspace = uow.workspaces.current()
        changes: dict[str, Any] = {
            key: value
            for key, value in (("name", name), ("language", language))
            if value is not None and value != getattr(workspace, key)
        }
        if changes:
            workspace = replace(workspace, **changes)
            uow.workspaces.update(workspace)
            uow.audit.record_change("update", "workspace", workspace.id, sorted(changes))
            uow.commit()
        return workspace


def workspace_count(uow: UnitOfWork) -> int:
    with uow:
        return uow.workspaces.count()


def find_workspace(uow: UnitOfWork, id_or_name: str) -> Workspace:
    """The one workspace an operator names by id or name; an ambiguous name is refused
    rather than guessed, as a key for the wrong tenant would open its data to someone."""
    with uow:
        found = uow.workspaces.matching(id_or_name)
    if not found:
        raise NotFound("workspace", repr(id_or_name))
    if len(found) > 1:
        ids = ", ".join(sorted(str(ws.id) for ws in found))
        raise Conflict(
            _(
                "{count} workspaces are named {name}; give its id: {ids}.",
                count=len(found),
                name=repr(id_or_name),
                ids=ids,
            )
        )
    return found[0]


def create_api_key(
    uow: UnitOfWork, hasher: KeyHasher, *, name: str, role: Role, organisation_id: UUID | None
) -> tuple[ApiKey, str]:
    """Issue a key; the secret is returned here and never again."""
    with uow:
        if role not in KEY_ROLES:
            raise RuleViolation.on(
                "role",
                _("A {role} is a person signing in: invite them as a user.", role=role.value),
            )
        if organisation_id is not None:
            if role is Role.ADMIN:
                raise RuleViolation.on(
                    "organisation_id",
                    _(
                        "An admin key manages the whole workspace and cannot be restricted "
                        "to one organisation."
                    ),
                )
            referenced(uow.organisations, organisation_id, "organisation_id", "organisation")
        key, secret = _issue_key(uow, hasher, name=name, role=role, organisation_id=organisation_id)
        uow.commit()
    return key, secret


def _issue_key(
    uow: UnitOfWork, hasher: KeyHasher, secret: str | None = None, **fields: Any
) -> tuple[ApiKey, str]:
    secret = secret or new_secret()
    if len(secret) < 20:
        raise RuleViolation.on("secret", _("A key secret needs at least 20 characters."))
    key = ApiKey(prefix=secret[:10], digest=hasher.digest(secret), **fields)
    uow.api_keys.add(key)
    return key, secret


def list_api_keys(uow: UnitOfWork, query: ListQuery) -> Page[ApiKey]:
    with uow:
        return uow.api_keys.list(query)


def get_api_key(uow: UnitOfWork, key_id: UUID) -> ApiKey:
    with uow:
        return uow.api_keys.get(key_id)


def revoke_api_key(uow: UnitOfWork, key_id: UUID, expected_version: int | None = None) -> ApiKey:
    """Revoked keys are kept (the audit trail names them) but authenticate no more."""
    with uow:
        key = uow.api_keys.get(key_id)
        expect_version(key, expected_version, "API key")
        if key.active:
            uow.api_keys.update(key, key.change(revoked_at=utcnow()), action="revoke")
            uow.commit()
        return key
