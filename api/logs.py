"""Structured JSON logs with a request id that follows the request everywhere.

The id comes from ``X-Request-ID`` (when it is a sane token) or is made here; it is echoed
in the response, carried in problem bodies, and bound to every log line of the request.
Each request is written once, here, when it ends: gunicorn's access log is off, so there
is one line per request to follow and to pay for.
"""

from __future__ import annotations

import logging
import re
import secrets
import sys
import threading
import time

import structlog
from flask import Response, g, request

REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class StderrLogger:
    """One JSON line per event on the ``sys.stderr`` of the moment (a test may swap it).

    structlog writes here directly: routing each request's line through the standard
    logging module (record, caller lookup, handler, formatter) cost twice the rendering.
    """

    _lock = threading.Lock()

    def msg(self, message: str) -> None:
        with self._lock:
            sys.stderr.write(message + "\n")
            sys.stderr.flush()

    log = debug = info = warning = error = critical = exception = msg


def configure(level: str = "INFO") -> None:
    """JSON lines on stderr, dropping events below ``level``."""
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.getLevelNamesMapping()[level.upper()]
        ),
        logger_factory=lambda *args: StderrLogger(),
        cache_logger_on_first_use=True,
    )


log = structlog.get_logger("od.request")


def start() -> None:
    given = request.headers.get("X-Request-ID", "")
    g.request_id = given if REQUEST_ID.match(given) else secrets.token_hex(16)
    g.started = time.perf_counter()
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(request_id=g.request_id)


def finish(response: Response) -> Response:
    request_id = getattr(g, "request_id", None)
    if request_id:
        response.headers["X-Request-ID"] = request_id
    principal = getattr(g, "principal", None)
    log.info(
        "request",
        method=request.method,
        route=request.url_rule.rule if request.url_rule else None,
        path=request.path,
        status=response.status_code,
        duration_ms=round((time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 2),
        key_id=str(principal.key_id) if principal else None,
        remote=request.remote_addr,
        user_agent=request.headers.get("User-Agent"),
    )
    return response
