"""One signed POST to a receiver (Standard Webhooks), checked against SSRF first.

The name is resolved once, and the connection goes to an address that was checked: a
second lookup by the HTTP client could answer otherwise (a short-lived DNS record that
points elsewhere by then: DNS rebinding) and reach an internal address after all. The
name stays in the Host header and, for https, in SNI and the certificate check.
"""

from __future__ import annotations

import http.client
import json
import socket
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from domain.events import Event
from domain.webhooks import check_target, sign


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status: int | None
    latency_ms: int | None
    error: str | None


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


def _connect(addresses: Sequence[str], port: int, timeout: float | None) -> socket.socket:
    """A connection to the first of the checked addresses that answers (no lookup: each
    is an IP address already)."""
    error: OSError = OSError("no address to connect to")
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout)
        except OSError as refused:
            error = refused
    raise error


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, addresses: Sequence[str], timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.addresses = addresses

    def connect(self) -> None:
        self.sock = _connect(self.addresses, self.port, self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, addresses: Sequence[str], timeout: float) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.addresses = addresses

    def connect(self) -> None:
        raw = _connect(self.addresses, self.port, self.timeout)
        self.sock = self.tls.wrap_socket(raw, server_hostname=self.host)


def _connection(
    parts: SplitResult, addresses: Sequence[str], timeout: float
) -> http.client.HTTPConnection:
    host = parts.hostname or ""
    if parts.scheme == "https":
        return _PinnedHTTPS(host, parts.port or 443, addresses, timeout)
    return _PinnedHTTP(host, parts.port or 80, addresses, timeout)


def send(
    url: str,
    secret: str,
    event: Event,
    *,
    allow_private: bool,
    timeout: float,
    lookup: Callable[[str], list[str]] = resolve,
) -> Outcome:
    """POST the event; anything but a 2xx within ``timeout`` fails (a redirect too: it
    could lead anywhere, an internal address as well, so it is never followed)."""
    parts = urlsplit(url)
    addresses = lookup(parts.hostname or "")
    unsafe = check_target(url, addresses, allow_private)
    if unsafe is None and not addresses:  # allowed anywhere, but it is nowhere
        unsafe = check_target(url, addresses, allow_private=False)
    if unsafe:
        return Outcome(False, None, None, unsafe)
    body = body_of(event)
    message_id, timestamp = str(event.id), int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "od-platform-webhooks/1",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, message_id, timestamp, body),
    }
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = _connection(parts, addresses, timeout)
    started = time.perf_counter()
    try:
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        status = response.status
    except (OSError, http.client.HTTPException) as error:  # refused, timed out, unreachable
        return Outcome(False, None, _ms(started), f"{type(error).__name__}: {error}")
    finally:
        connection.close()
    latency = _ms(started)
    if 200 <= status < 300:
        return Outcome(True, status, latency, None)
    return Outcome(False, status, latency, f"The receiver answered {status}.")


def _ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
