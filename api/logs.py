"""Structured JSON logs with a request id that follows the request everywhere.

The id comes from ``X-Request-ID`` (when it is a sane token) or is made here; it is echoed
in the response, carried in problem bodies, and bound to every log line of the request.
Each request is written once, here, when it ends: gunicorn's access log is off, so there
is one line per request to follow and to pay for. gunicorn's own lines (its errors, a
worker timeout, an exception that escaped the app) are JSON too, through the logging
configuration of ``gunicorn.conf.py``, which asks ``request_id_of`` which request a line
concerns.
"""

from __future__ import annotations

import logging
import random
import re
import sys
import threading
import time

import structlog
from flask import Response, g, has_request_context, request
from structlog.typing import EventDict, WrappedLogger

from api import headers

REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

# The request each thread of this process serves, by thread id. gunicorn logs a worker
# timeout or an exception that escaped the app after the request's context is gone (or,
# for a timeout, from a signal handler): this is how its line still names the request.
# gunicorn.conf.py's post_request hook drops a request once it is answered.
_serving: dict[int, str] = {}


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
            _with_request_id,
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


def _with_request_id(_logger: WrappedLogger, _name: str, event: EventDict) -> EventDict:
    """Any line logged while a request runs names the request.

    Read from the request's own context when a line is written: binding it into
    structlog's context variables for every request cost a tenth of writing the request
    line, and requests write no other line unless something goes wrong."""
    if "request_id" not in event and has_request_context():
        request_id = g.get("request_id")
        if request_id:
            event["request_id"] = request_id
    return event


def start() -> None:
    environ = request.environ
    given = environ.get("HTTP_X_REQUEST_ID", "")
    # A correlation id, not a secret: the random module's 128 bits (reseeded in every
    # forked worker) cost a tenth of an os.urandom call.
    g.request_id = request_id = (
        given if REQUEST_ID.match(given) else f"{random.getrandbits(128):032x}"
    )
    g.started = time.perf_counter()
    _serving[threading.get_ident()] = request_id
    headers.add(environ, [("X-Request-ID", request_id)])  # echoed, whatever the answer


def answered(thread_id: int) -> None:
    """The thread's request is answered: gunicorn's later lines are not about it."""
    _serving.pop(thread_id, None)


def in_flight() -> list[str]:
    """The requests this process has not answered yet (a worker killed for its timeout)."""
    return list(_serving.values())


def request_id_of(record: logging.LogRecord) -> str | None:
    """The request a standard-library log record concerns: the one running in the
    record's thread while the app handles it, or, for gunicorn's own errors, the one
    that thread was serving unanswered. gunicorn's other lines (a worker booting, a
    malformed request refused before any request began) concern no request."""
    if has_request_context():
        request_id: str | None = g.get("request_id")
        return request_id
    if record.name.startswith("gunicorn.") and record.levelno >= logging.ERROR:
        return _serving.get(record.thread or 0)
    return None


def finish(response: Response) -> Response:
    """The request's one line. ``request`` and ``g`` are looked up once each: every use of
    Flask's proxies is a lookup, and this runs on every request."""
    # Flask types its proxies as the objects they stand for, so not their own methods.
    req = request._get_current_object()  # type: ignore[attr-defined]
    context = g._get_current_object()
    request_id = context.get("request_id")
    principal = context.get("principal")
    environ, now = req.environ, time.perf_counter()
    # An anonymous request (api.policy.ANONYMOUS) names no caller: neither its key or user
    # nor the address and user agent its caller's other lines would share.
    named = not context.get("anonymous")
    log.info(
        "request",
        request_id=request_id,
        method=req.method,
        route=req.url_rule.rule if req.url_rule else None,
        path=req.path,
        status=response.status_code,
        duration_ms=round((now - context.get("started", now)) * 1000, 2),
        key_id=principal.key_text if principal and named else None,
        remote=environ.get("REMOTE_ADDR") if named else None,
        user_agent=environ.get("HTTP_USER_AGENT") if named else None,
    )
    return response
