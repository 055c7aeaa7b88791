"""Rate limits per API key, as sliding-window counters.

Every key has one budget for all its calls (``RATELIMIT_DEFAULT``); bulk operations (HRIS
sync, imports) draw from a budget of their own (``RATELIMIT_BULK``) instead. Counted in
Redis when ``REDIS_URL`` is set, so all workers and instances share them; otherwise in
memory, which counts per worker process (right for one process only).

The guard spends the budget right after it has found the key and the operation, so a
request costs one draw and nothing else: Flask-Limiter, which this replaced, resolved and
filtered its limits anew on every request and cost more than the whole database read of
a small GET (measured by ``make bench``). In Redis a draw is one script call: ``limits``'
Redis counter took two (the draw, then what is left of the budget), which cost a request
more CPU than everything else it did on SQLite.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import redis
import structlog
from limits import RateLimitItem, parse
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
    reset_at: float  # epoch seconds at which the whole budget is back, if nothing is drawn
    retry_at: float | None  # of a refusal: epoch seconds at which a request fits again

    def headers(self) -> list[tuple[str, str]]:
        """What every limited response says of its budget; a refusal adds when to retry."""
        headers = [
            ("X-RateLimit-Limit", str(self.limit)),
            ("X-RateLimit-Remaining", str(self.remaining)),
            ("X-RateLimit-Reset", str(math.ceil(self.reset_at))),
        ]
        if self.retry_at is not None:
            headers.append(("Retry-After", str(max(1, math.ceil(self.retry_at - time.time())))))
        return headers


# The sliding-window counter. A budget of ``amount`` per ``period`` is counted in windows
# of one period (aligned to the epoch). The sliding window holds the current window's
# requests and the previous window's, weighted by the share of it still inside the
# sliding one (``_counted``); a draw is allowed while that count plus itself stays within
# the amount.
# The count is not rounded down: rounded, a burst at the end of a window bought one
# request more at the start of the next (4 within a second on "3 per minute").
# ``_sliding_draw`` and the Redis script below take the same steps, line for line; the
# tests run each against the same cases.


def _sliding_draw(
    amount: int, period: float, now: float, state: tuple[float, int, int] | None
) -> tuple[bool, tuple[float, int, int], float]:
    """One draw on a budget whose windows were ``state`` (window, previous, current):
    whether it is allowed, the state after it, and how far ``now`` is into its window.
    A window never goes back (another instance's clock, or this one's, may be ahead)."""
    window = now // period
    into = now - window * period
    started, previous, current = state or (window, 0, 0)
    if started > window:
        window, into = started, 0.0
    elif started < window:
        previous, current = (current if started == window - 1 else 0), 0
    allowed = amount - _counted(previous, current, period, into) >= 1
    return allowed, (window, previous, current + allowed), into


def _counted(previous: int, current: int, period: float, into: float) -> float:
    """What the sliding window holds: this window's count, and the previous one's weighted
    by the share of it still inside. What is left of a budget is computed by the same
    expression as the draw, so a draw is allowed exactly while something is left."""
    return previous * (period - into) / period + current


_DRAW_SCRIPT = """
local amount, period, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local window = math.floor(now / period)
local into = now - window * period
local state = redis.call('HMGET', KEYS[1], 'window', 'previous', 'current')
local started = tonumber(state[1]) or window
local previous, current = tonumber(state[2]) or 0, tonumber(state[3]) or 0
if started > window then
  window, into = started, 0
elseif started < window then
  if started == window - 1 then previous = current else previous = 0 end
  current = 0
end
local allowed = amount - (previous * (period - into) / period + current) >= 1
if allowed then current = current + 1 end
redis.call('HSET', KEYS[1], 'window', window, 'previous', previous, 'current', current)
redis.call('EXPIRE', KEYS[1], math.ceil(2 * period))
return {allowed and 1 or 0, window, previous, current, string.format('%.17g', into)}
"""


def _spent(
    item: RateLimitItem,
    allowed: bool,
    window: float,
    previous: int,
    current: int,
    into: float,
) -> Spent:
    """What a draw leaves of the budget, when it is whole again and when one more fits.
    Times count from the moment the draw was counted at (``window``, ``into``): a clock
    behind the counted window is told the wait from the window's start, not too little."""
    period = item.get_expiry()
    counted = _counted(previous, current, period, into)
    counted_at = window * period + into

    def holding(target: int) -> float:
        """When the window holds no more than ``target``."""
        return counted_at + _seconds_until(target, counted, previous, current, period, into)

    return Spent(
        allowed,
        str(item),
        item.amount,
        remaining=max(0, math.floor(item.amount - counted)),
        reset_at=holding(0),
        retry_at=None if allowed else holding(item.amount - 1),
    )


def _seconds_until(
    target: int, counted: float, previous: int, current: int, period: float, into: float
) -> float:
    """How long until the sliding window, holding ``counted`` now, holds no more than
    ``target`` requests if no more are drawn: the previous window's share falls to nothing
    by the end of this window, then this window's count falls in turn over the next."""
    if counted <= target:
        return 0.0
    if target < 0:  # a budget of nothing never has room
        return period
    if current <= target:  # the previous window's share falls far enough in this one
        return (counted - target) * period / previous
    return period - into + (current - target) * period / current


class SharedCounter:
    """Budgets counted in Redis: one hash per key and budget, one script call per draw."""

    def __init__(self, url: str) -> None:
        self._draw = redis.Redis.from_url(url, **REDIS_OPTIONS).register_script(_DRAW_SCRIPT)

    def spend(self, item: RateLimitItem, *identifiers: str) -> Spent:
        now = time.time()
        period = item.get_expiry()
        key = ":".join(("od-limits", str(item.amount), str(period), *identifiers))
        allowed, window, previous, current, into = self._draw(
            keys=[key], args=[item.amount, period, now]
        )
        return _spent(item, bool(allowed), window, int(previous), int(current), float(into))


class ProcessCounter:
    """The same counter, kept in this process's memory.

    ``limits``' MemoryStorage expires its keys from a timer thread that it starts anew
    every 10 ms while requests come in; under load each start waited for a free core.
    Here a window is rolled over when its key is next used; there are two keys per API
    key, so nothing needs expiring.
    """

    def __init__(self) -> None:
        self._windows: dict[tuple, tuple[float, int, int]] = {}  # window, previous, current
        self._lock = threading.Lock()

    def spend(self, item: RateLimitItem, *identifiers: str) -> Spent:
        now, period = time.time(), item.get_expiry()
        key = (item.amount, period, *identifiers)
        with self._lock:
            allowed, state, into = _sliding_draw(item.amount, period, now, self._windows.get(key))
            self._windows[key] = state
        return _spent(item, allowed, *state, into)


class RateLimits:
    """The two budgets of every key: shared by all processes when Redis is configured,
    else per process. When Redis fails, counting goes on in this process's memory rather
    than taking the API down with it."""

    def __init__(self, default: str, bulk: str, storage_uri: str | None) -> None:
        self.default: RateLimitItem = parse(default)
        self.bulk: RateLimitItem = parse(bulk)
        self._fallback = ProcessCounter()
        self._shared = (
            None
            if storage_uri is None or storage_uri.startswith("memory://")
            else SharedCounter(storage_uri)
        )
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
            except redis.RedisError as error:
                self._shared_back_at = time.monotonic() + SHARED_RETRY_SECONDS
                log.warning(
                    "rate limit storage failed; counting in memory",
                    error=str(error),
                    retry_in_seconds=SHARED_RETRY_SECONDS,
                )
        return self._fallback.spend(item, *identifiers)


F = TypeVar("F", bound=Callable[..., Any])


def bulk(func: F) -> F:
    """Mark a bulk operation: it spends the bulk budget, not the everyday one, and may send
    bodies up to MAX_BULK_BODY_BYTES."""
    func._bulk = True  # type: ignore[attr-defined]  # a function's own attributes have no type
    return func
