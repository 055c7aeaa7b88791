"""Ids named in a request body (not in its path): an unknown one is an input error on
that field, whether it does not exist or belongs to someone else."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.errors import RuleViolation, entity_name
from domain.ports import Repository
from domain.texts import _


def referenced(repository: Repository[Any], entity_id: UUID, field: str, what: str) -> Any:
    found = repository.find(entity_id)
    if found is None:
        raise RuleViolation.on(
            field,
            _("No {entity} with this id here.", entity=entity_name(what)),
            f"unknown_{what}",
        )
    return found
