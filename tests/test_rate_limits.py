"""The budget counters: a sliding window, counted alike in memory and in Redis."""

import uuid

import pytest
import redis
from limits import parse

from api import limits

REDIS_URL = "redis://127.0.0.1:6379/0"


def _redis_reachable() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


@pytest.fixture
def clock(monkeypatch):
    now = [1_800_000_000.0]  # the start of a minute window
    monkeypatch.setattr(limits.time, "time", lambda: now[0])
    return now


@pytest.fixture(params=["memory", "redis"])
def counter(request):
    """Each counter, under a key of this test's own (Redis keeps what earlier runs left)."""
    if request.param == "memory":
        made = limits.ProcessCounter()
    else:
        if not _redis_reachable():
            pytest.skip("no Redis on 127.0.0.1:6379")
        made = limits.SharedCounter(REDIS_URL)
    run = uuid.uuid4().hex
    return lambda item, *identifiers: made.spend(item, run, *identifiers)


def test_a_budget_is_spent_then_refused_until_its_window_has_room(clock, counter):
    item = parse("3 per minute")
    spent = [counter(item, "key") for _ in range(4)]
    assert [s.allowed for s in spent] == [True, True, True, False]
    assert [s.remaining for s in spent] == [2, 1, 0, 0]
    # The three count in full until the next window starts, then for a falling share of
    # it: for two (one more fits) 20 s into it, for none at its end.
    assert int(dict(spent[-1].headers())["Retry-After"]) == 80
    assert [s.reset_at for s in spent] == [clock[0] + 120] * 4
    assert_room_comes_at(spent[-1].retry_at, clock, counter, item)


def test_a_burst_at_the_end_of_a_window_buys_nothing_at_the_start_of_the_next(clock, counter):
    item = parse("3 per minute")
    clock[0] += 59.9
    assert all(counter(item, "key").allowed for _ in range(3))
    clock[0] += 0.2  # 0.1 s into the next window: the three still count for 2.995
    refused = counter(item, "key")
    assert not refused.allowed
    assert refused.retry_at == pytest.approx(clock[0] + 19.9)
    assert refused.reset_at == pytest.approx(clock[0] + 59.9)
    assert_room_comes_at(refused.retry_at, clock, counter, item)


def assert_room_comes_at(moment, clock, counter, item):
    """Refused until ``moment``, allowed from it (a refused draw spends nothing)."""
    clock[0] = moment - 0.1
    assert not counter(item, "key").allowed
    clock[0] = moment + 0.001
    assert counter(item, "key").allowed


def test_the_previous_window_counts_for_the_share_still_inside_the_sliding_one(clock, counter):
    item = parse("4 per minute")
    for _ in range(4):
        counter(item, "key")
    clock[0] += 60 + 30  # halfway through the next window: 4 × ½ = 2 still count
    assert [counter(item, "key").allowed for _ in range(3)] == [True, True, False]
    clock[0] += 120  # two windows later nothing counts any more
    assert counter(item, "key").remaining == 3


def test_keys_and_budgets_are_counted_apart(clock, counter):
    item = parse("1 per minute")
    assert counter(item, "default", "a").allowed
    assert counter(item, "default", "b").allowed
    assert counter(item, "bulk", "a").allowed
    assert not counter(item, "default", "a").allowed


def test_a_clock_behind_the_counted_window_does_not_reset_it(clock, counter):
    """Instances share the Redis count with clocks of their own; one that is behind must
    not start the budget afresh, nor be told to wait too little."""
    item = parse("2 per minute")
    start = clock[0]
    clock[0] = start + 59.9
    assert all(counter(item, "key").allowed for _ in range(2))
    clock[0] = start + 60.1  # the next window is counted from now on
    assert not counter(item, "key").allowed
    clock[0] = start + 59.95  # a clock behind it, in the window before
    behind = counter(item, "key")
    assert not behind.allowed
    # Counted at the next window's start: both still count, one of them 30 s into it.
    assert behind.retry_at == start + 90
    assert int(dict(behind.headers())["Retry-After"]) == 31


def test_a_draw_on_redis_is_one_round_trip(clock, monkeypatch):
    """A request pays one round trip to Redis for its budget, not one per question."""
    if not _redis_reachable():
        pytest.skip("no Redis on 127.0.0.1:6379")
    counter, item, key = limits.SharedCounter(REDIS_URL), parse("100 per minute"), uuid.uuid4().hex
    counter.spend(item, key)  # loads the script into Redis once
    sent = []
    execute = redis.Redis.execute_command
    monkeypatch.setattr(
        redis.Redis,
        "execute_command",
        lambda self, *a, **k: sent.append(a[0]) or execute(self, *a, **k),
    )

    spent = [counter.spend(item, key) for _ in range(10)]

    assert sent == ["EVALSHA"] * 10
    assert [s.remaining for s in spent] == list(range(98, 88, -1))
