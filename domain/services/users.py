"""Users of a workspace: invited by an admin, linked to their provider's subject on first
sign-in, and, for a participant, to the person they are in a client organisation."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.access import SELF_ROLES, Role, User
from domain.base import ListQuery, Page, expect_version, utcnow
from domain.errors import Conflict, RuleViolation
from domain.ports import UnitOfWork
from domain.services.references import referenced
from domain.texts import _


def list_users(uow: UnitOfWork, query: ListQuery) -> Page[User]:
    with uow:
        return uow.users.list(query)


def get_user(uow: UnitOfWork, user_id: UUID) -> User:
    with uow:
        return uow.users.get(user_id)


def invite_user(uow: UnitOfWork, values: dict[str, Any]) -> User:
    """A user who may sign in: the first token carrying this e-mail is linked to them."""
    with uow:
        values = {**values, "email": values["email"].strip().lower()}
        _check(uow, values["role"], values.get("person_id"))
        if uow.users.find_by(email=values["email"]) is not None:
            raise Conflict(_("The workspace already has a user with this e-mail."), "duplicate")
        user = User(**values)
        uow.users.add(user)
        uow.commit()
        return user


def update_user(
    uow: UnitOfWork, user_id: UUID, changes: dict[str, Any], expected_version: int | None
) -> User:
    with uow:
        user = uow.users.get(user_id)
        expect_version(user, expected_version, "user")
        _check(uow, changes.get("role", user.role), changes.get("person_id", user.person_id))
        uow.users.update(user, user.change(**changes))
        uow.commit()
        return user


def remove_user(uow: UnitOfWork, user_id: UUID, expected_version: int | None) -> None:
    """The user can no longer sign in; what they did stays, the audit trail names their id."""
    with uow:
        user = uow.users.get(user_id)
        expect_version(user, expected_version, "user")
        uow.users.remove(user)
        uow.commit()


def sign_in(uow: UnitOfWork, issuer: str, subject: str, email: str | None) -> User | None:
    """The user this subject is; on a first sign-in, the invited user with its e-mail
    (then linked for good). ``None``: the provider knows this subject, we do not."""
    with uow:
        user = uow.users.find_by(issuer=issuer, subject=subject)
        if user is not None or email is None:
            return user
        user = uow.users.find_by(email=email.strip().lower(), subject=None)
        if user is None:
            return None
        changed = user.change(issuer=issuer, subject=subject, signed_in_at=utcnow())
        uow.users.update(user, changed, action="link")
        uow.commit()
        return user


def _check(uow: UnitOfWork, role: Role, person_id: UUID | None) -> None:
    if person_id is not None:
        referenced(uow.people, person_id, "person_id", "person")
    elif role in SELF_ROLES:
        raise RuleViolation.on(
            "person_id",
            _(
                "A {role} acts as a person of a client organisation: name that person.",
                role=role.value,
            ),
            "person_required",
        )
