"""Workbook exports run as jobs: a large project's workbook is rendered by the worker,
kept in the database, and fetched once it is ready.

The workbook's texts are in the language of the request that asked for it, kept with
the job, since the worker has no request to negotiate one from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from domain.access import ActorKind, Scope
from domain.base import utcnow
from domain.errors import DomainError
from domain.import_jobs import JobStatus, WorkerLost
from domain.texts import _n


@dataclass(kw_only=True, eq=False)
class ExportJob:
    id: UUID = field(default_factory=uuid4)
    workspace_id: UUID
    status: JobStatus = JobStatus.QUEUED
    project_id: UUID
    organisation_id: UUID  # the project's: hidden from other organisations' keys
    language: str
    actor_id: UUID | None = None
    actor_kind: ActorKind = ActorKind.API_KEY
    scope_organisation_id: UUID | None = None  # the requester's restriction, kept by the worker
    attempts: int = 0
    filename: str | None = None  # once rendered
    file_bytes: int = 0
    problem: dict[str, Any] | None = None
    created_at: datetime = field(default_factory=utcnow)
    enqueued_at: datetime = field(default_factory=utcnow)
    started_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def scope(self) -> Scope:
        """The requester's scope: the worker reads the project with the rights it was asked with."""
        return Scope(self.workspace_id, self.scope_organisation_id, self.actor_id, self.actor_kind)


@dataclass(frozen=True)
class ExportFile:
    filename: str
    data: bytes


class ExportWorkerLost(WorkerLost):
    """The export was cut off MAX_ATTEMPTS times (kept as ``worker_lost``, its own words)."""

    def __init__(self, attempts: int) -> None:
        DomainError.__init__(
            self,
            _n(
                "The worker rendering this export stopped {count} time. Ask for it again.",
                "The worker rendering this export stopped {count} times. Ask for it again.",
                attempts,
            ),
        )
