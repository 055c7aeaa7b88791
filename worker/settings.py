"""What the worker reads from the environment."""

from __future__ import annotations

import os
from datetime import timedelta

from repositories.settings import PROJECT_ROOT


def broker_url() -> str:
    """Redis in production (``CELERY_BROKER_URL`` or ``REDIS_URL``); without either, a
    SQLite file beside the database, so a fresh machine needs no service."""
    return (
        os.environ.get("CELERY_BROKER_URL")
        or os.environ.get("REDIS_URL")
        or f"sqla+sqlite:///{PROJECT_ROOT / 'instance' / 'broker.sqlite3'}"
    )


def allow_private_targets() -> bool:
    """Operators may let webhooks reach internal addresses (the tests reach 127.0.0.1)."""
    return os.environ.get("WEBHOOK_ALLOW_PRIVATE_TARGETS", "").lower() in ("1", "true", "yes")


def poll_seconds() -> float:
    return float(os.environ.get("WEBHOOK_POLL_SECONDS", "2"))


def reminder_seconds() -> float:
    """How often due reminders are looked for (each is announced once whatever this is)."""
    return float(os.environ.get("REMINDER_SECONDS", "3600"))


def lease() -> timedelta:
    """How long a deliverer holds a subscription without renewing it (one call's timeout
    and then some): a killed worker's subscription is taken up again after this."""
    return timedelta(seconds=float(os.environ.get("WEBHOOK_LEASE_SECONDS", "30")))


def timeout_seconds() -> float:
    return float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "10"))


def import_lease() -> timedelta:
    """How long a running import job may go without its worker's heartbeat (written every
    second) before the clock takes it for dead and runs it again."""
    return timedelta(seconds=float(os.environ.get("IMPORT_LEASE_SECONDS", "30")))
