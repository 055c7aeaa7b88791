"""Webhook subscriptions and the rules of delivering to them (Standard Webhooks).

A delivery is signed so a receiver can tell it came from us and was not replayed late:
``webhook-signature`` is ``v1,`` and the base64 HMAC-SHA256 of ``id.timestamp.body``
under the subscription's secret (``whsec_`` and base64 of the key bytes).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import random
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from uuid import UUID

from domain.base import Entity
from domain.errors import RuleViolation
from domain.events import Event
from domain.texts import _

SECRET_PREFIX = "whsec_"
# Retried for at least this long, then the subscription is disabled, saying why.
GIVE_UP_AFTER = timedelta(hours=24)
FIRST_RETRY = timedelta(seconds=5)
LONGEST_WAIT = timedelta(hours=1)


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def next_wait(attempts: int, rand: random.Random | None = None) -> timedelta:
    """Exponential backoff with jitter: about 5 s, 10 s, 20 s … up to an hour apart, each
    wait drawn between half and all of its step so that failed receivers are not hit by
    every retry at once when they come back."""
    step: timedelta = min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_WAIT)
    share: float = 0.5 + (rand or random).random() / 2
    return step * share


@dataclass(kw_only=True, eq=False)
class Webhook(Entity):
    """A subscription: events of these types (all when empty), of one organisation or all."""

    url: str
    description: str | None = None
    event_types: list[str] = field(default_factory=list)
    organisation_id: UUID | None = None
    secret: str = field(default_factory=new_secret)
    enabled: bool = True
    disabled_reason: str | None = None
    cursor: int = 0  # the last event position turned into a delivery
    failing_since: datetime | None = None

    def wants(self, event: Event) -> bool:
        if self.event_types and event.type not in self.event_types:
            return False
        if self.organisation_id is None:
            return True
        # An organisation's own events, and the workspace's (competences, themes).
        return event.organisation_id in (self.organisation_id, None) and (
            event.organisation_id is not None or event.project_id is None
        )


def check_target(url: str, resolved: Iterable[str], allow_private: bool) -> str | None:
    """Why a URL may not be called (SSRF), or ``None``: http(s) only, and none of the
    addresses it resolves to loopback, link-local, private or otherwise internal, unless
    the operator allows private targets."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _("Only http and https URLs with a host can receive webhooks.")
    if allow_private:
        return None
    addresses = list(resolved)
    if not addresses:
        return _("The host {host} does not resolve.", host=parts.hostname)
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global or ip.is_multicast:
            return _(
                "The host {host} resolves to an internal address ({address}).",
                host=parts.hostname,
                address=str(ip),
            )
    return None


def validate_target(url: str, resolved: Iterable[str], allow_private: bool) -> None:
    reason = check_target(url, resolved, allow_private)
    if reason is not None:
        raise RuleViolation.on("url", reason, "unsafe_url")


@dataclass(kw_only=True, eq=False)
class Delivery:
    """One event for one subscription, and where its tries stand. Every try sends the
    event's id as ``webhook-id``, so a receiver can drop a repeat."""

    id: UUID
    webhook_id: UUID
    event_id: UUID
    position: int
    event_type: str
    status: str  # pending, succeeded, failed
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    created_at: datetime
    delivered_at: datetime | None


@dataclass(kw_only=True, eq=False)
class Attempt:
    """One try of a delivery: what the receiver answered, how fast, and when the next try
    is due if this one failed."""

    id: UUID
    delivery_id: UUID
    event_id: UUID
    event_type: str
    number: int  # of its delivery's tries, from 1
    attempted_at: datetime
    status: str  # succeeded, failed
    status_code: int | None
    latency_ms: int | None
    error: str | None
    next_attempt_at: datetime | None
