"""What imports and exports run as jobs share: a job is asked for in one request, run
later by the worker with the rights of whoever asked, and followed by polling.

Its life is the same for every kind: queued, taken by one attempt of a worker (a worker
that dies leaves it to the next, MAX_ATTEMPTS times), and ended succeeded or failed,
with the problem a synchronous answer would have given.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from domain.access import ActorKind, Scope
from domain.base import utcnow

# A job whose worker died this many times is not tried again: it is what kills them.
MAX_ATTEMPTS = 3


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@dataclass(kw_only=True, eq=False)
class Job:
    id: UUID = field(default_factory=uuid4)
    workspace_id: UUID
    status: JobStatus = JobStatus.QUEUED
    actor_id: UUID | None = None
    actor_kind: ActorKind = ActorKind.API_KEY
    scope_organisation_id: UUID | None = None  # the requester's restriction, kept by the worker
    attempts: int = 0
    problem: dict[str, Any] | None = None  # a failed job's error, as ``problem_data`` keeps it
    created_at: datetime = field(default_factory=utcnow)
    enqueued_at: datetime = field(default_factory=utcnow)
    started_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def scope(self) -> Scope:
        """The requester's scope: the worker runs the job with the rights it was asked with."""
        return Scope(self.workspace_id, self.scope_organisation_id, self.actor_id, self.actor_kind)
