"""Rate limits per API key, as sliding-window counters.

Every key has one budget for all its calls (``RATELIMIT_DEFAULT``); bulk operations (HRIS
sync, imports) draw from a budget of their own (``RATELIMIT_BULK``) instead. Counted in
Redis by the ``limits`` library when ``REDIS_URL`` is set, so all workers and instances
share them; otherwise in memory, which counts per worker process (right for one process
only).

The guard spends the budget right after it has found the key and the operation, so a
request costs two counter operations and nothing else: Flask-Limiter, which this
replaced, resolved and filtered its limits anew on every request and cost more than the
whole database read of a small GET (measured by ``make bench``).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import structlog
from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import storage_from_string
from limits.strategies import SlidingWindowCounterRateLimiter
from redis.backoff import NoBackoff
from redis.retry import Retry

log = structlog.get_logger("od.limits")

# Redis answers in well under a millisecond; one that takes this long is in trouble, and
# every request would wait for it. No retries: the fallback below is the retry.
REDIS_OPTIONS = {
    "socket_timeout": 0.2,
    "socket_connect_timeout": 0.2,
    "retry": Retry(NoBackoff(), 0),
}
# After Redis failed, this long in memory before it is tried again: a Redis that hangs
# costs one request its timeout, not every request.
SHARED_RETRY_SECONDS = 5.0


@dataclass(frozen=True)
class Spent:
    """One request's draw on a budget: whether it was within it, and what is left."""

    allowed: bool
    budget: str  # as configured, e.g. "600 per 1 minute"
    limit: int
    remaining: int
    reset_at: float  # epoch seconds at which the window has room again

    def headers(self) -> list[tuple[str, str]]:
        """What every limited response says of its budget; a refusal adds when to retry."""
        headers = [
            ("X-RateLimit-Limit", str(self.limit)),
            ("X-RateLimit-Remaining", str(self.remaining)),
            ("X-RateLimit-Reset", str(math.ceil(self.reset_at))),
        ]
        if not self.allowed:
            headers.append(("Retry-After", str(max(1, math.ceil(self.reset_at - time.time())))))
        return headers


class SharedCounter:
    """Budgets counted in shared storage (Redis), by ``limits``' sliding-window counter."""

    def __init__(self, storage_uri: str) -> None:
        options = REDIS_OPTIONS if storage_uri.startswith("redis") else {}
        storage = storage_from_string(storage_uri, wrap_exceptions=True, **options)
        self._counter = SlidingWindowCounterRateLimiter(storage)

    def spend(self, item: RateLimitItem, *identifiers: str) -> Spent:
        allowed = self._counter.hit(item, *identifiers)
        reset_at, remaining = self._counter.get_window_stats(item, *identifiers)
        return Spent(allowed, str(item), item.amount, remaining, reset_at)


class ProcessCounter:
    """The same sliding-window counter, kept in this process's memory.

    ``limits``' MemoryStorage expires its keys from a timer thread that it starts anew
    every 10 ms while requests come in; under load each start waited for a free core.
    Here a window is rolled over when its key is next used; there are two keys per API
    key, so nothing needs expiring.
    """

    def __init__(self) -> None:
        self._windows: dict[tuple, tuple[float, int, int]] = {}  # window, previous, current
        self._lock = threading.Lock()

    def spend(self, item: RateLimitItem, *identifiers: str) -> Spent:
        period = item.get_expiry()
        now = time.time()
        window, into = divmod(now, period)
        key = (item.amount, period, *identifiers)
        with self._lock:
            started, previous, current = self._windows.get(key, (window, 0, 0))
            if started != window:
                previous, current = (current if started == window - 1 else 0), 0
            # The previous window counts for the share of it still inside the sliding one.
            weight = (period - into) / period
            allowed = math.floor(previous * weight) + current + 1 <= item.amount
            if allowed:
                current += 1
            self._windows[key] = (window, previous, current)
        remaining = max(0, item.amount - math.floor(previous * weight + current))
        # When the weighted count next drops, as ``limits`` reckons it for shared storage.
        reset_in = min(
            (period - into) % (period / previous) if previous else math.inf,
            period - into if current else math.inf,
        )
        return Spent(allowed, str(item), item.amount, remaining, now + min(reset_in, period))


class RateLimits:
    """The two budgets of every key: shared by all processes when Redis is configured,
    else per process. When Redis fails, counting goes on in this process's memory rather
    than taking the API down with it."""

    def __init__(self, default: str, bulk: str, storage_uri: str | None) -> None:
        self.default: RateLimitItem = parse(default)
        self.bulk: RateLimitItem = parse(bulk)
        self._fallback = ProcessCounter()
        in_memory = storage_uri is None or storage_uri.startswith("memory://")
        self._shared = None if in_memory else SharedCounter(storage_uri)
        self._shared_back_at = 0.0  # monotonic time from which the shared one is tried

    def spend(self, key: str, *, bulk: bool = False) -> Spent:
        """Count one request of ``key`` (an API key's id) against one of its budgets."""
        # The budget's name keeps the two apart even when they are the same size.
        item, identifiers = (
            (self.bulk, ("od", "bulk", key)) if bulk else (self.default, ("od", "default", key))
        )
        if self._shared is not None and time.monotonic() >= self._shared_back_at:
            try:
                return self._shared.spend(item, *identifiers)
            except StorageError as error:
                self._shared_back_at = time.monotonic() + SHARED_RETRY_SECONDS
                log.warning(
                    "rate limit storage failed; counting in memory",
                    error=str(error),
                    retry_in_seconds=SHARED_RETRY_SECONDS,
                )
        return self._fallback.spend(item, *identifiers)


def bulk(func: Callable) -> Callable:
    """Mark a bulk operation: it spends the bulk budget, not the everyday one, and may send
    bodies up to MAX_BULK_BODY_BYTES."""
    func._bulk = True
    return func
