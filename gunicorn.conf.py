"""gunicorn settings, from the environment (see the README's configuration table)."""

import json
import os
import sys
import threading
from datetime import UTC, datetime

import structlog
from gunicorn import glogging


class ErrorLog(glogging.Logger):
    """gunicorn's logger for its own errors only. With ``logconfig_dict`` set, gunicorn
    builds each request's access-log fields and record even with no access log to write
    them to: a small read spent 6 % of its worker time on that (py-spy under wrk)."""

    @property
    def access_log_enabled(self) -> bool:
        return False


bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Two, not gunicorn's 2 × cores + 1: on 2 cores, 5 workers served small reads a third
# slower on SQLite and no faster on PostgreSQL (make bench); set it per deployment.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# No --preload: each worker opens its own database connections after the fork.
preload_app = False
# Long enough for an import of 100,000 rows (about 30 s on PostgreSQL here); a worker
# still busy after this is killed, and its transaction with it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "180"))
graceful_timeout = 30
keepalive = 5
# No access log: the app writes one JSON line per request itself (api.logs: request id,
# key, route, status, duration, client); a second line from gunicorn cost a small read
# 8 % of its worker time (py-spy under wrk).
accesslog = None
logger_class = ErrorLog
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")


def _app_logs():
    """The app's ``api.logs`` once this worker has loaded the app. Not imported here: the
    master process would then hold the app's modules, and workers it forks after a HUP
    would serve that old code."""
    return sys.modules.get("api.logs")


def _origin(_logger, _name, event):
    """Where a standard-library line comes from, and the request it concerns."""
    record = event["_record"]
    event["logger"] = record.name
    event["pid"] = record.process
    logs = _app_logs()
    if logs is not None and "request_id" not in event:
        request_id = logs.request_id_of(record)
        if request_id:
            event["request_id"] = request_id
    return event


def post_request(worker, req, environ, resp):
    """A request answered is over for the log; one that failed before its answer began
    keeps its id for the error gunicorn logs about it next ("Error handling request")."""
    logs = _app_logs()
    if logs is not None and resp is not None and resp.headers_sent:
        logs.answered(threading.get_ident())


def worker_abort(worker):
    """A worker killed for outliving GUNICORN_TIMEOUT: name what it was serving (the
    traceback of where it was follows, as "Error handling request")."""
    logs = _app_logs()
    worker.log.critical(
        "Worker timed out and is killed; the requests it was serving are aborted",
        extra={"request_ids": logs.in_flight() if logs is not None else []},
    )


class _JsonLines:
    """stderr of gunicorn's processes, where a line not yet JSON is written as one: gunicorn
    prints some errors bare (the reason a worker failed to boot, beside the traceback it
    logged), and so might a library. JSON lines pass as they are."""

    json_lines = True

    def __init__(self, stream):
        self._stream, self._partial = stream, ""

    def write(self, text):
        if not self._partial and text.startswith("{") and text.endswith("\n"):
            return self._stream.write(text)  # the app's lines and the logging module's
        lines = (self._partial + text).split("\n")
        self._partial = lines.pop()
        for line in lines:
            if line.startswith("{"):
                self._stream.write(line + "\n")
            elif line.strip():
                self._stream.write(json.dumps(_bare(line)) + "\n")
        return len(text)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _bare(line):
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    return {
        "event": line,
        "level": "error",
        "timestamp": now,
        "logger": "stderr",
        "pid": os.getpid(),
    }


if not getattr(sys.stderr, "json_lines", False):  # this file runs again on a reload (HUP)
    sys.stderr = _JsonLines(sys.stderr)

# Every line on stderr is one JSON object, as the app's own (api.logs): gunicorn's lines,
# its tracebacks, and whatever a library logs through the standard logging module.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": structlog.stdlib.ProcessorFormatter,
            "foreign_pre_chain": [
                structlog.processors.add_log_level,
                structlog.processors.TimeStamper(fmt="iso", utc=True),
                structlog.stdlib.ExtraAdder(allow=["request_ids"]),
                _origin,
            ],
            "processors": [
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                structlog.processors.JSONRenderer(),
            ],
        },
    },
    "handlers": {
        "error": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        },
    },
    "root": {"handlers": ["error"], "level": "WARNING"},
    "loggers": {
        "gunicorn.error": {"handlers": ["error"], "level": loglevel.upper(), "propagate": False},
    },
}
# Requests bigger than this never reach the app (the app's own limit is MAX_BODY_BYTES).
limit_request_line = 8190
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
