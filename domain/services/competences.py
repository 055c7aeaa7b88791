"""The workspace's competence catalogue."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.base import ListQuery, Page, expect_version, utcnow
from domain.competences import Competence
from domain.errors import NotFound, RuleViolation
from domain.ports import UnitOfWork
from domain.texts import _


def list_competences(uow: UnitOfWork, query: ListQuery) -> Page[Competence]:
    with uow:
        return uow.competences.list(query)


def get_competence(uow: UnitOfWork, competence_id: UUID) -> Competence:
    with uow:
        return uow.competences.get(competence_id)


def create_competence(uow: UnitOfWork, values: dict[str, Any]) -> Competence:
    with uow:
        _ensure_code_free(uow, values["code"])
        if values.get("parent_id") is not None:
            _parent(uow, values["parent_id"])
        competence = Competence(**values)
        uow.competences.add(competence)
        uow.commit()
    return competence


def update_competence(
    uow: UnitOfWork, competence_id: UUID, changes: dict[str, Any], expected_version: int | None
) -> Competence:
    with uow:
        competence = uow.competences.get(competence_id)
        expect_version(competence, expected_version, "competence")
        if "code" in changes and changes["code"] != competence.code:
            _ensure_code_free(uow, changes["code"])
        if changes.get("parent_id") is not None:
            _ensure_no_cycle(uow, competence, _parent(uow, changes["parent_id"]))
        uow.competences.update(competence, competence.change(**changes))
        uow.commit()
    return competence


def retire_competence(uow: UnitOfWork, competence_id: UUID, expected_version: int | None) -> bool:
    """Delete a competence nobody uses; archive one in use. Answers whether it was archived."""
    with uow:
        competence = uow.competences.get(competence_id)
        expect_version(competence, expected_version, "competence")
        if uow.competences.is_used(competence.id):
            if not competence.archived:
                uow.competences.update(
                    competence, competence.change(archived_at=utcnow()), action="archive"
                )
            archived = True
        else:
            uow.competences.remove(competence)
            archived = False
        uow.commit()
    return archived


def _ensure_code_free(uow: UnitOfWork, code: str) -> None:
    if uow.competences.find_by(code=code):
        raise RuleViolation.on(
            "code", _("The workspace already has a competence with this code."), "duplicate"
        )


def _parent(uow: UnitOfWork, parent_id: UUID) -> Competence:
    try:
        return uow.competences.get(parent_id)
    except NotFound:
        raise RuleViolation.on(
            "parent_id", _("No competence with this id."), "unknown_competence"
        ) from None


def _ensure_no_cycle(uow: UnitOfWork, competence: Competence, parent: Competence) -> None:
    seen = {competence.id}
    current: Competence | None = parent
    while current is not None:
        if current.id in seen:
            raise RuleViolation.on(
                "parent_id",
                _("A competence cannot be grouped under itself or its own parts."),
                "cycle",
            )
        seen.add(current.id)
        current = uow.competences.find(current.parent_id) if current.parent_id else None
