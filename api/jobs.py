"""Handing work to the worker: the request that submits a job only says "run job X" on
the job engine's broker, after its transaction committed.

The job's state is in the database, so a message that is lost (the broker down, the
process gone between commit and send) costs time, not the job: the worker's clock finds
jobs left queued and runs them (``worker.jobs.resume``).
"""

from __future__ import annotations

import logging
from functools import cache
from uuid import UUID

from celery import Celery
from flask import current_app, request

from api.extensions import LOCATION_HEADER
from domain.jobs import JobStatus

log = logging.getLogger(__name__)


# What a 202 of an operation run as a job carries (RFC 7240).
ASYNC_HEADERS = {
    **LOCATION_HEADER,
    "Preference-Applied": {
        "description": "`respond-async`: it runs as a job, followed at `Location`.",
        "schema": {"type": "string", "example": "respond-async"},
    },
}
ASYNC_APPLIED = {"Preference-Applied": "respond-async"}
POLL_SECONDS = 2  # what Retry-After tells a poller of a job not ended yet


def polled(status: JobStatus) -> dict[str, str]:
    """The headers of a job's state as polled: while it is queued or running, when to
    look again."""
    ended = status in (JobStatus.SUCCEEDED, JobStatus.FAILED)
    return {} if ended else {"Retry-After": str(POLL_SECONDS)}


def prefers_async() -> bool:
    """Whether the request asks to be answered at once and served by a job (RFC 7240
    ``Prefer: respond-async``, among other preferences or not)."""
    prefer = ",".join(request.headers.getlist("Prefer")).lower()
    return any(p.split(";")[0].strip() == "respond-async" for p in prefer.split(","))


@cache
def _producer(broker_url: str) -> Celery:
    celery = Celery("od", broker=broker_url, set_as_current=False)
    celery.conf.update(broker_connection_retry=False, broker_connection_timeout=2)
    return celery


def enqueue(task: str, job_id: UUID) -> None:
    """Say "run job ``job_id``" to the worker's ``task`` (``od.import``, ``od.export``)."""
    broker_url = current_app.extensions["od"].settings.celery_broker_url
    try:
        _producer(broker_url).send_task(task, args=[str(job_id)], retry=False)
    except Exception as error:  # the clock runs it later; the client has its 202 already
        log.warning("job %s (%s) not handed to the broker: %s", job_id, task, error)


def enqueue_import(job_id: UUID) -> None:
    enqueue("od.import", job_id)


def enqueue_export(job_id: UUID) -> None:
    enqueue("od.export", job_id)
