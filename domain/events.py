"""Events: what integrations are told of each committed change (the transactional outbox).

Every audit record becomes one event in the same transaction, so a change that is kept is
announced and one that is rolled back is not. An event names the resource, its version
and the fields that changed, never their values: a subscriber reads the resource with its
own key, which sees only what that key may see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID, uuid4

from domain.audit import AuditRecord

# An audit action in the past tense of an event type; an action not listed keeps its name.
VERBS = {
    "create": "created",
    "update": "updated",
    "delete": "deleted",
    "erase": "erased",
    "revoke": "revoked",
    "archive": "archived",
    "transition": "phase_changed",
    "set_progress": "progress_set",
    "set_levels": "levels_set",
}
# Reminders keep their kind as the verb (reminder.check_in_due, reminder.commitment_overdue,
# reminder.evaluation_upcoming); the event names the agreement, commitment or meeting.

# Changes a subscriber thinks of as news of another resource.
RENAMED = {
    "check_in.created": "agreement.check_in_added",
    "import.created": "import.completed",
}

# What happened to the resource itself, by audit action: the feed's "change".
CHANGES = {"create": "created", "delete": "deleted"}


def event_type(entity_type: str, action: str) -> str:
    name = f"{entity_type}.{VERBS.get(action, action)}"
    return RENAMED.get(name, name)


@dataclass(kw_only=True, eq=False)
class Event:
    """One committed change, in the order of commits (``position``, per workspace)."""

    id: UUID = field(default_factory=uuid4)
    position: int = 0  # given at commit
    type: str
    entity_type: str
    entity_id: UUID
    change: str  # created, updated or deleted: what happened to the resource itself
    version: int | None = None
    changed_fields: list[str] = field(default_factory=list)
    organisation_id: UUID | None = None
    project_id: UUID | None = None
    actor_id: UUID | None = None
    occurred_at: datetime

    @classmethod
    def of(cls, record: AuditRecord) -> Event:
        return cls(
            type=event_type(record.entity_type, record.action),
            entity_type=record.entity_type,
            entity_id=record.entity_id,
            change=CHANGES.get(record.action, "updated"),
            version=record.version,
            changed_fields=list(record.changed_fields),
            organisation_id=record.organisation_id,
            project_id=record.project_id,
            actor_id=record.actor_id,
            occurred_at=record.created_at,
        )
