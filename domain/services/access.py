"""Workspaces and their API keys."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

from domain.access import KEY_ROLES, ApiKey, KeyHasher, Role, Scope, Workspace, new_secret
from domain.base import ListQuery, Page, expect_version, utcnow
from domain.errors import RuleViolation
from domain.ports import UnitOfWork
from domain.services.references import referenced


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


def workspace_count(uow: UnitOfWork) -> int:
    with uow:
        return uow.workspaces.count()


def create_api_key(
    uow: UnitOfWork, hasher: KeyHasher, *, name: str, role: Role, organisation_id: UUID | None
) -> tuple[ApiKey, str]:
    """Issue a key; the secret is returned here and never again."""
    with uow:
        if role not in KEY_ROLES:
            raise RuleViolation.on(
                "role", f"A {role.value} is a person signing in: invite them as a user."
            )
        if organisation_id is not None:
            if role is Role.ADMIN:
                raise RuleViolation.on(
                    "organisation_id",
                    "An admin key manages the whole workspace and cannot be restricted "
                    "to one organisation.",
                )
            referenced(uow.organisations, organisation_id, "organisation_id", "organisation")
        key, secret = _issue_key(uow, hasher, name=name, role=role, organisation_id=organisation_id)
        uow.commit()
    return key, secret


def _issue_key(uow: UnitOfWork, hasher: KeyHasher, secret: str | None = None, **fields: Any):
    secret = secret or new_secret()
    if len(secret) < 20:
        raise RuleViolation.on("secret", "A key secret needs at least 20 characters.")
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
