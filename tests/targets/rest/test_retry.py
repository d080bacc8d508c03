"""Retry policy: bounded attempts, bounded total time, jittered exponential backoff, Retry-After."""

from __future__ import annotations

import random

import pytest

from syncspec.targets.rest.retry import Budget, RetryPolicy, parse_retry_after


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def __call__(self) -> float:
        return self.now


def policy(clock: FakeClock, **kw: float) -> RetryPolicy:
    return RetryPolicy(sleep=clock.sleep, clock=clock, rng=random.Random(1), **kw)  # type: ignore[arg-type]


def test_backoff_grows_with_jitter_under_a_cap() -> None:
    clock = FakeClock()
    p = policy(clock, base_delay=0.5, max_delay=3.0)
    for attempt in range(1, 10):
        ceiling = min(3.0, 0.5 * 2 ** (attempt - 1))
        samples = [p.backoff(attempt) for _ in range(50)]
        assert all(0 <= s <= ceiling for s in samples)
        assert len(set(samples)) > 1  # jittered


def test_attempts_bound_the_retries() -> None:
    clock = FakeClock()
    budget = Budget(policy(clock, attempts=3))
    waits = 0
    for _ in range(10):
        budget.start_attempt()
        if not budget.wait_before_next(None):
            break
        waits += 1
    assert (budget.attempt, waits, len(clock.slept)) == (3, 2, 2)


def test_total_time_bounds_the_retries() -> None:
    clock = FakeClock()
    budget = Budget(policy(clock, attempts=100, total_seconds=10.0, max_retry_after=60.0))
    budget.start_attempt()
    assert budget.wait_before_next(6.0)
    budget.start_attempt()
    assert not budget.wait_before_next(6.0)  # 12 s would pass the 10 s budget
    assert clock.slept == [6.0]


def test_retry_after_longer_than_allowed_stops_at_once() -> None:
    clock = FakeClock()
    budget = Budget(policy(clock, max_retry_after=5.0))
    budget.start_attempt()
    assert not budget.wait_before_next(30.0)
    assert clock.slept == []


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("7", 7.0),
        ("Wed, 21 Oct 2015 07:28:10 GMT", 10.0),
        ("Wed, 21 Oct 2015 07:27:00 GMT", 0.0),
        ("soon", None),
        ("-3", None),
    ],
)
def test_retry_after_header_forms(header: str | None, expected: float | None) -> None:
    now = 1445412480.0  # Wed, 21 Oct 2015 07:28:00 GMT
    assert parse_retry_after(header, now=lambda: now) == expected


def test_bad_policies_are_refused() -> None:
    with pytest.raises(ValueError, match="attempts"):
        RetryPolicy(attempts=0)
    with pytest.raises(ValueError, match="negative"):
        RetryPolicy(base_delay=-1)
