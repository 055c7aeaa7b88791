"""Workbook exports run as jobs: a large project's workbook is rendered by the worker,
kept in the database, and fetched once it is ready.

The workbook's texts are in the language of the request that asked for it, kept with
the job, since the worker has no request to negotiate one from.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.errors import DomainError
from domain.import_jobs import WorkerLost
from domain.jobs import Job
from domain.texts import _n


@dataclass(kw_only=True, eq=False)
class ExportJob(Job):
    project_id: UUID
    organisation_id: UUID  # the project's: hidden from other organisations' keys
    language: str
    filename: str | None = None  # once rendered
    file_bytes: int = 0


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
