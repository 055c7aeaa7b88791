"""The in-process budget counter: a sliding window, like the shared one in Redis."""

import pytest
from limits import parse

from api import limits


@pytest.fixture
def clock(monkeypatch):
    now = [600.0]  # the start of a minute window
    monkeypatch.setattr(limits.time, "time", lambda: now[0])
    return now


def test_a_budget_is_spent_then_refused_until_its_window_has_room(clock):
    counter, item = limits.ProcessCounter(), parse("3 per minute")
    spent = [counter.spend(item, "key") for _ in range(4)]
    assert [s.allowed for s in spent] == [True, True, True, False]
    assert [s.remaining for s in spent] == [2, 1, 0, 0]
    assert spent[-1].reset_at > clock[0]
    assert int(dict(spent[-1].headers())["Retry-After"]) >= 1


def test_the_previous_window_counts_for_the_share_still_inside_the_sliding_one(clock):
    counter, item = limits.ProcessCounter(), parse("4 per minute")
    for _ in range(4):
        counter.spend(item, "key")
    clock[0] += 60 + 30  # halfway through the next window: 4 × ½ = 2 still count
    assert [counter.spend(item, "key").allowed for _ in range(3)] == [True, True, False]
    clock[0] += 120  # two windows later nothing counts any more
    assert counter.spend(item, "key").remaining == 3


def test_keys_and_budgets_are_counted_apart(clock):
    counter, item = limits.ProcessCounter(), parse("1 per minute")
    assert counter.spend(item, "default", "a").allowed
    assert counter.spend(item, "default", "b").allowed
    assert counter.spend(item, "bulk", "a").allowed
    assert not counter.spend(item, "default", "a").allowed
