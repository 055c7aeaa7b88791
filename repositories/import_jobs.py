"""Import jobs: kept with their body by the request that submits them, taken, run and
ended by the worker.

The worker's side runs across workspaces (it is handed a job's id) in short transactions
of its own, apart from the import's, which marks the job succeeded itself (``succeed``).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, or_, select, update

from domain.base import utcnow
from domain.import_jobs import ImportJob
from domain.jobs import JobStatus
from repositories import progress
from repositories import tables as t
from repositories.database import READ, begin
from repositories.jobs import JobTable

J, U = t.import_jobs.c, t.import_uploads.c
PIECE = 1024 * 1024  # bytes of the body per stored piece
TABLE = JobTable(t.import_jobs, t.import_uploads, ImportJob)


def _with_progress(engine: Engine, job: ImportJob) -> ImportJob:
    """A running job's counts are those its worker last wrote beside the import."""
    beat = progress.read(engine, job.id) if job.status is JobStatus.RUNNING else None
    if beat is not None and beat.attempt == job.attempts:
        job.rows_read, job.rows_applied = beat.rows_read, beat.rows_applied
        job.bytes_read = beat.bytes_read
    return job


def pieces(body: Iterable[bytes], size: int = PIECE) -> Iterator[bytes]:
    """The body in pieces of ``size`` bytes, however it arrives."""
    pending = b""
    for chunk in body:
        pending += chunk
        while len(pending) >= size:
            yield pending[:size]
            pending = pending[size:]
    if pending:
        yield pending


class ImportJobRepository:
    """A unit of work's jobs: of its workspace, and hidden from keys restricted to another
    organisation as the report is."""

    def __init__(self, uow: Any) -> None:
        self.uow = uow

    def add(self, job: ImportJob, body: Iterable[bytes]) -> None:
        connection: Connection = self.uow.connection
        size = 0
        seq = 0
        connection.execute(insert(t.import_jobs).values(**TABLE.row(job)))
        for seq, piece in enumerate(pieces(body)):
            connection.execute(insert(t.import_uploads).values(job_id=job.id, seq=seq, data=piece))
            size += len(piece)
        job.body_bytes = size
        connection.execute(update(t.import_jobs).where(J.id == job.id).values(body_bytes=size))

    def find(self, job_id: Any) -> ImportJob | None:
        scope = self.uow.scope
        query = select(t.import_jobs).where(J.id == job_id, J.workspace_id == scope.workspace_id)
        if scope.organisation_id is not None:
            query = query.where(
                or_(J.organisation_id == scope.organisation_id, J.organisation_id.is_(None))
            )
        row = self.uow.connection.execute(query).first()
        return _with_progress(self.uow.engine, TABLE.to_job(row)) if row else None

    def succeed(self, job: ImportJob, *, rows_read: int, rows_applied: int) -> None:
        """In the import's transaction: the job succeeded exactly if its rows are kept."""
        connection = self.uow.connection
        TABLE.ended(
            connection, job, rows_read=rows_read, rows_applied=rows_applied, finished_at=utcnow()
        )
        connection.execute(delete(t.import_uploads).where(U.job_id == job.id))
        job.rows_read, job.rows_applied = rows_read, rows_applied


# --- the worker's side ---------------------------------------------------------------


load, alive, claim, fail = TABLE.load, TABLE.alive, TABLE.claim, TABLE.fail
enqueued, unfinished = TABLE.enqueued, TABLE.unfinished


class UploadStream(io.RawIOBase):
    """A job's body read back piece by piece, each in a short read of its own; counts the
    bytes read, which is how far the job has come."""

    def __init__(self, engine: Engine, job_id: Any) -> None:
        self.engine, self.job_id = engine, job_id
        self.seq = 0
        self.bytes_read = 0
        self._pending = b""
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if not self._pending and not self._done:
            connection, _ = begin(self.engine, READ)
            with connection:
                piece = connection.execute(
                    select(U.data).where(U.job_id == self.job_id, U.seq == self.seq)
                ).scalar()
            self.seq += 1
            if piece is None:
                self._done = True
            else:
                self._pending = bytes(piece)
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        self.bytes_read += size
        return size
