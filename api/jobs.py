"""Handing work to the worker: the request that submits a job only says "run job X" on
the job engine's broker, after its transaction committed.

The job's state is in the database, so a message that is lost (the broker down, the
process gone between commit and send) costs time, not the job: the worker's clock finds
jobs left queued and runs them (``worker.imports.resume``).
"""

from __future__ import annotations

import logging
from functools import cache
from uuid import UUID

from celery import Celery
from flask import current_app

log = logging.getLogger(__name__)


@cache
def _producer(broker_url: str) -> Celery:
    celery = Celery("od", broker=broker_url, set_as_current=False)
    celery.conf.update(broker_connection_retry=False, broker_connection_timeout=2)
    return celery


def enqueue_import(job_id: UUID) -> None:
    broker_url = current_app.extensions["od"].settings.celery_broker_url
    try:
        _producer(broker_url).send_task("od.import", args=[str(job_id)], retry=False)
    except Exception as error:  # the clock runs it later; the client has its 202 already
        log.warning("import job %s not handed to the broker: %s", job_id, error)
