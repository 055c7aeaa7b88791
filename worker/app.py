"""The Celery app: ``celery --app worker.app worker`` runs the jobs, ``beat`` the clock.

Webhook state lives in the database (the outbox, each delivery's next try), so the broker
only carries "look now" messages: a lost or repeated one costs a look, never an event.
"""

from __future__ import annotations

from functools import cache
from uuid import UUID

from celery import Celery
from sqlalchemy import Engine

from domain.base import utcnow
from repositories.database import make_engine
from repositories.settings import PROJECT_ROOT, database_url
from worker import deliveries, exports, imports, reminders, settings

app = Celery("od", broker=settings.broker_url())
app.conf.update(
    task_acks_late=True,  # a job whose worker died is run again
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_ignore_result=True,
    broker_connection_retry_on_startup=True,
    timezone="UTC",
    beat_schedule_filename=str(PROJECT_ROOT / "instance" / "celerybeat-schedule"),
    beat_schedule={
        "dispatch-webhooks": {"task": "od.dispatch", "schedule": settings.poll_seconds()},
        "announce-reminders": {"task": "od.reminders", "schedule": settings.reminder_seconds()},
        "resume-imports": {"task": "od.imports.resume", "schedule": settings.poll_seconds()},
        "resume-exports": {"task": "od.exports.resume", "schedule": settings.poll_seconds()},
    },
)


@cache
def engine() -> Engine:
    """One engine per worker process, made after the fork."""
    return make_engine(database_url(), pool_size=2)


@app.task(name="od.dispatch")
def dispatch() -> None:
    for webhook_id in deliveries.dispatch(engine()):
        deliver.delay(str(webhook_id))


@app.task(name="od.reminders")
def remind() -> None:
    reminders.announce_all(engine(), utcnow().date())


@app.task(name="od.deliver")
def deliver(webhook_id: str) -> None:
    deliveries.deliver(engine(), UUID(webhook_id))


@app.task(name="od.import")
def run_import(job_id: str) -> None:
    imports.run(engine(), UUID(job_id))


@app.task(name="od.imports.resume")
def resume_imports() -> None:
    for job_id in imports.resume(engine()):
        run_import.delay(str(job_id))


@app.task(name="od.export")
def run_export(job_id: str) -> None:
    exports.run(engine(), UUID(job_id))


@app.task(name="od.exports.resume")
def resume_exports() -> None:
    for job_id in exports.resume(engine()):
        run_export.delay(str(job_id))
