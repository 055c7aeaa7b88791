"""gunicorn settings, from the environment (see the README's configuration table)."""

import os

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
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "error": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
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
