"""Rate limits per API key (Flask-Limiter).

Every key has one budget for all its calls (``RATELIMIT_DEFAULT``); bulk operations (HRIS
sync, imports) draw from a budget of their own (``RATELIMIT_BULK``) instead. Counted in
Redis when ``REDIS_URL`` is set, so all workers and instances share them; otherwise in
memory, which counts per worker process (right for one process only).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app, g, request
from flask_limiter import Limiter

from api.auth import view_method


def _key() -> str:
    """The caller's API key; before authentication (or without a key), their address."""
    principal = getattr(g, "principal", None)
    if principal is not None:
        return f"key:{principal.key_id}"
    return f"ip:{request.remote_addr}"


def is_bulk() -> bool:
    """Whether this request is a bulk operation (its own rate budget and body limit)."""
    view = view_method(request.endpoint, request.method) if request.endpoint else None
    return getattr(view, "_bulk", False)


# Limits are read from the running app's config on each request, so one limiter serves
# any number of apps (tests build several).
limiter = Limiter(
    key_func=_key,
    application_limits=[lambda: current_app.config["RATELIMIT_DEFAULT"]],
    application_limits_exempt_when=is_bulk,
    headers_enabled=True,
    # Two counters per key and window: constant work and memory per request. The moving
    # window keeps one entry per request (60,000 a minute at 1,000 req/s) and inserts at
    # its head on every hit, which the benchmark showed costing throughput and memory.
    strategy="sliding-window-counter",
    key_prefix="od",
    # A Redis hiccup must not take the API down with it: count in memory meanwhile.
    swallow_errors=True,
    in_memory_fallback_enabled=True,
)


def bulk(func: Callable) -> Callable:
    """Mark a bulk operation: it spends the bulk budget, not the everyday one, and may send
    bodies up to MAX_BULK_BODY_BYTES."""
    limited = limiter.shared_limit(lambda: current_app.config["RATELIMIT_BULK"], scope="bulk")(func)
    limited._bulk = True
    return limited


def init(app: Flask, *, default: str, bulk_limit: str, redis_url: str | None) -> None:
    app.config.update(
        RATELIMIT_DEFAULT=default,
        RATELIMIT_BULK=bulk_limit,
        RATELIMIT_STORAGE_URI=redis_url or "memory://",
    )
    limiter.init_app(app)
