"""Rate limits per API key, counted by the ``limits`` library.

Every key has one budget for all its calls (``RATELIMIT_DEFAULT``); bulk operations (HRIS
sync, imports) draw from a budget of their own (``RATELIMIT_BULK``) instead. Counted in
Redis when ``REDIS_URL`` is set, so all workers and instances share them; otherwise in
memory, which counts per worker process (right for one process only).

The guard spends the budget right after it has found the key and the operation, so a
request costs two counter operations and nothing else: Flask-Limiter, which this
replaced, resolved and filtered its limits anew on every request and cost more than the
whole database read of a small GET (measured by ``make bench``).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import structlog
from flask import Response, g
from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import SlidingWindowCounterRateLimiter

log = structlog.get_logger("od.limits")


@dataclass(frozen=True)
class Spent:
    """One request's draw on a budget: whether it was within it, and what is left."""

    allowed: bool
    budget: str  # as configured, e.g. "600 per 1 minute"
    limit: int
    remaining: int
    reset_at: float  # epoch seconds at which the window has room again

    def headers(self) -> dict[str, str]:
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(math.ceil(self.reset_at)),
        }
        if not self.allowed:
            headers["Retry-After"] = str(max(1, math.ceil(self.reset_at - time.time())))
        return headers


class RateLimits:
    """The two budgets of every key, counted in one storage.

    A sliding-window counter: two counters per key and window, so constant work and
    memory per request (a moving window keeps an entry per request). When Redis fails,
    counting goes on in this process's memory rather than taking the API down with it.
    """

    def __init__(self, default: str, bulk: str, storage_uri: str | None) -> None:
        self.default: RateLimitItem = parse(default)
        self.bulk: RateLimitItem = parse(bulk)
        storage = storage_from_string(storage_uri or "memory://", wrap_exceptions=True)
        self._counter = SlidingWindowCounterRateLimiter(storage)
        self._fallback = (
            self._counter
            if isinstance(storage, MemoryStorage)
            else SlidingWindowCounterRateLimiter(MemoryStorage())
        )

    def spend(self, key: str, *, bulk: bool = False) -> Spent:
        """Count one request of ``key`` (an API key's id) against one of its budgets."""
        item, budget = (self.bulk, "bulk") if bulk else (self.default, "default")
        try:
            return self._spend(self._counter, item, budget, key)
        except StorageError as error:
            log.warning("rate limit storage failed; counting in memory", error=str(error))
            return self._spend(self._fallback, item, budget, key)

    @staticmethod
    def _spend(
        counter: SlidingWindowCounterRateLimiter, item: RateLimitItem, *identifiers: str
    ) -> Spent:
        # The budget's name keeps the two apart even when they are the same size.
        allowed = counter.hit(item, "od", *identifiers)
        reset_at, remaining = counter.get_window_stats(item, "od", *identifiers)
        return Spent(allowed, str(item), item.amount, remaining, reset_at)


def bulk(func: Callable) -> Callable:
    """Mark a bulk operation: it spends the bulk budget, not the everyday one, and may send
    bodies up to MAX_BULK_BODY_BYTES."""
    func._bulk = True
    return func


def add_headers(response: Response) -> Response:
    """Every limited response says how much of its budget is left."""
    spent: Spent | None = g.get("rate_limit")
    if spent is not None:
        response.headers.extend(spent.headers())
    return response
