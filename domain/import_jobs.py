"""Imports run as jobs: submitted in one request, applied later by the worker, followed
by polling.

A job is still one import, all or nothing: the worker applies it in one transaction that
also records the report and the job's success, so a job that failed or whose worker was
killed has written nothing of its rows. What a poller sees meanwhile (rows read, rows
applied) is written beside that transaction, never in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

from domain.errors import Conflict, DomainError, NotFound, NotPermitted, RuleViolation, Violation
from domain.imports import Import, ImportFormat
from domain.jobs import Job, JobStatus
from domain.texts import Text, _, _n


@dataclass(kw_only=True, eq=False)
class ImportJob(Job):
    format: ImportFormat
    kind: str | None = None
    target_id: UUID | None = None
    organisation_id: UUID | None = None  # whose data it touches, as its report will say
    dry_run: bool = False
    body_bytes: int = 0
    rows_read: int = 0
    rows_applied: int = 0
    bytes_read: int = 0  # while running, from the progress beside the import

    @property
    def percent(self) -> int:
        """How far the worker has read the file (rows are applied as they are read)."""
        if self.status is JobStatus.SUCCEEDED:
            return 100
        if not self.body_bytes:
            return 0
        return min(99, self.bytes_read * 100 // self.body_bytes)


@dataclass(frozen=True)
class ImportStatus:
    """What ``GET /imports/{id}`` tells: the job's state and, once applied, its report
    (a synchronous import has only its report: it succeeded when it was answered)."""

    id: UUID
    status: JobStatus
    rows_read: int
    rows_applied: int
    percent: int
    report: Import | None
    job: ImportJob | None = None
    problem: DomainError | None = None

    @classmethod
    def of_job(cls, job: ImportJob, report: Import | None = None) -> ImportStatus:
        """A job as it stands; its report only once it succeeded."""
        return cls(
            job.id,
            job.status,
            job.rows_read,
            job.rows_applied,
            job.percent,
            report if job.status is JobStatus.SUCCEEDED else None,
            job,
            error_of(job.problem) if job.problem else None,
        )

    @classmethod
    def of_report(cls, report: Import) -> ImportStatus:
        """An import answered at once: done, every item applied."""
        done = len(report.items)
        return cls(report.id, JobStatus.SUCCEEDED, done, done, 100, report)


class Progress(Protocol):
    """Where an import tells how far it got, as it goes (the worker's heartbeat writes it
    out; a synchronous import tells no one)."""

    def read(self, rows: int) -> None: ...

    def applied(self, rows: int) -> None: ...


class NoProgress:
    def read(self, rows: int) -> None:
        pass

    def applied(self, rows: int) -> None:
        pass


class WorkerLost(DomainError):
    """The job was cut off MAX_ATTEMPTS times: nothing of it was applied."""

    def __init__(self, attempts: int) -> None:
        super().__init__(
            _n(
                "The worker running this import stopped {count} time; nothing was imported. "
                "Send the file again, or split it.",
                "The worker running this import stopped {count} times; nothing was imported. "
                "Send the file again, or split it.",
                attempts,
            )
        )


class Unexpected(DomainError):
    """The job failed on a fault of ours, logged by the worker: nothing was imported."""

    def __init__(self) -> None:
        super().__init__(_("An unexpected error occurred; it has been logged."))


# --- a failed job's problem, kept language-neutral --------------------------------


def text_data(value: Any) -> Any:
    """A message as data: a ``Text`` as its template and values, so a reader later gets
    it in its own language."""
    if isinstance(value, Text):
        return {
            "template": value.template,
            "params": {k: text_data(v) for k, v in value.params.items()},
            "plural": value.plural,
            "count": value.count,
        }
    if isinstance(value, list | tuple):
        return [text_data(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def text_of(data: Any) -> Any:
    if isinstance(data, dict) and "template" in data:
        params = {k: text_of(v) for k, v in data["params"].items()}
        return Text(data["template"], params, plural=data["plural"], count=data["count"])
    if isinstance(data, list):
        return [text_of(v) for v in data]
    return data


_ERRORS: dict[str, type[DomainError]] = {
    "rule_violation": RuleViolation,
    "not_found": NotFound,
    "conflict": Conflict,
    "not_permitted": NotPermitted,
    "worker_lost": WorkerLost,
    "unexpected": Unexpected,
}


def problem_data(error: DomainError) -> dict[str, Any]:
    kind = next((name for name, cls in _ERRORS.items() if isinstance(error, cls)), "unexpected")
    data: dict[str, Any] = {"error": kind, "message": text_data(error.message)}
    if isinstance(error, RuleViolation):
        data["violations"] = [
            {
                "field": v.field,
                "message": text_data(v.message),
                "code": v.code,
                "location": v.location,
            }
            for v in error.violations
        ]
    if isinstance(error, Conflict):
        data["code"] = error.code
    return data


def error_of(data: dict[str, Any]) -> DomainError:
    """The error a job failed with, rebuilt to be answered as the request would have been."""
    kind = data.get("error")
    message = text_of(data.get("message"))
    error: DomainError
    if kind == "rule_violation":
        error = RuleViolation(
            [
                Violation(v["field"], text_of(v["message"]), v["code"], v["location"])
                for v in data.get("violations", [])
            ]
        )
    elif kind == "not_found":
        error = NotFound("import", message=message)
    elif kind == "conflict":
        error = Conflict(message, data.get("code", "conflict"))
    elif kind == "not_permitted":
        error = NotPermitted(message)
    else:  # worker_lost, unexpected: their message is the one they were made with
        cls = _ERRORS.get(kind or "", Unexpected)
        error = cls.__new__(cls)
        DomainError.__init__(error, message)
    error.message = message
    error.args = (message,)
    return error
