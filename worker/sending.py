"""One signed POST to a receiver (Standard Webhooks), checked against SSRF first."""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from domain.events import Event
from domain.webhooks import check_target, sign


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status: int | None
    latency_ms: int | None
    error: str | None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect could lead anywhere, an internal address too: it counts as a failure."""

    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def resolve(host: str) -> list[str]:
    try:
        return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, None)})
    except OSError:
        return []


def body_of(event: Event) -> bytes:
    """The event as Standard Webhooks' payload: type, timestamp and data (ids, version,
    field names; never values)."""
    return json.dumps(
        {
            "type": event.type,
            "timestamp": event.occurred_at.isoformat(),
            "data": {
                "id": str(event.id),
                "entity_type": event.entity_type,
                "entity_id": str(event.entity_id),
                "change": event.change,
                "version": event.version,
                "changed_fields": event.changed_fields,
                "organisation_id": str(event.organisation_id) if event.organisation_id else None,
                "project_id": str(event.project_id) if event.project_id else None,
            },
        },
        separators=(",", ":"),
    ).encode()


def send(url: str, secret: str, event: Event, *, allow_private: bool, timeout: float) -> Outcome:
    host = urlsplit(url).hostname or ""
    unsafe = check_target(url, resolve(host) if not allow_private else (), allow_private)
    if unsafe:
        return Outcome(False, None, None, unsafe)
    body = body_of(event)
    message_id, timestamp = str(event.id), int(time.time())
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "od-platform-webhooks/1",
            "webhook-id": message_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(secret, message_id, timestamp, body),
        },
    )
    started = time.perf_counter()
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except (OSError, ValueError) as error:  # refused, timed out, unreachable
        return Outcome(False, None, _ms(started), f"{type(error).__name__}: {error}")
    latency = _ms(started)
    if 200 <= status < 300:
        return Outcome(True, status, latency, None)
    return Outcome(False, status, latency, f"The receiver answered {status}.")


def _ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
