"""The audit trail: who changed what, and when."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple
from uuid import UUID, uuid4

from domain.access import ActorKind
from domain.base import utcnow


@dataclass(kw_only=True, eq=False)
class AuditRecord:
    """One mutation. It names the fields that changed, never their values.

    Values would copy personal data into the trail, where erasure could not reach it.
    """

    id: UUID = field(default_factory=uuid4)
    actor_id: UUID | None
    actor_kind: ActorKind = ActorKind.API_KEY  # whose id ``actor_id`` is
    action: str
    entity_type: str
    entity_id: UUID
    changed_fields: list[str] = field(default_factory=list)
    created_at: datetime = field(default_factory=utcnow)
    # Not kept in the trail: what the outbox's event of this change says besides (the
    # version it made, and whose it is, for subscribers restricted to an organisation).
    version: int | None = None
    organisation_id: UUID | None = None
    project_id: UUID | None = None


class Change(NamedTuple):
    """A change that no single repository write stands for (a batch, a set, a reminder),
    audited as the acting key: several are written in one statement."""

    action: str
    entity_type: str
    entity_id: UUID
    fields: Sequence[str] = ()
    project_id: UUID | None = None
