"""When and how long `RestAgent` waits before trying a call again.

Exponential backoff with full jitter, bounded twice: a number of attempts and a total
time budget. A server's `Retry-After` is honoured when it fits in the budget; a longer
one ends the retries, since waiting past the budget is what the budget forbids.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime


@dataclass
class RetryPolicy:
    """How `RestAgent` retries: `attempts` in all (1 = never retry) within `total_seconds`.

    `sleep`, `clock` and `rng` are injectable so tests can watch the delays asked for
    without waiting for them.
    """

    attempts: int = 4
    base_delay: float = 0.2
    max_delay: float = 5.0
    total_seconds: float = 60.0
    max_retry_after: float = 30.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    rng: random.Random = field(default_factory=random.Random)
    _rng_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("attempts must be at least 1")
        if self.base_delay < 0 or self.max_delay < 0 or self.total_seconds < 0:
            raise ValueError("delays and the total budget cannot be negative")

    def backoff(self, attempt: int) -> float:
        """The jittered delay after failed attempt number `attempt` (1-based)."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        with self._rng_lock:  # random.Random is not documented as thread-safe
            return self.rng.uniform(0, ceiling)

    def delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return max(0.0, retry_after)
        return self.backoff(attempt)


class Budget:
    """One call's retry budget: attempts used and the deadline."""

    def __init__(self, policy: RetryPolicy) -> None:
        self.policy = policy
        self.attempt = 0
        self.deadline = policy.clock() + policy.total_seconds

    def start_attempt(self) -> None:
        self.attempt += 1

    def wait_before_next(self, retry_after: float | None) -> bool:
        """Sleep before the next attempt; False when no attempt is left (nothing slept)."""
        if self.attempt >= self.policy.attempts:
            return False
        if retry_after is not None and retry_after > self.policy.max_retry_after:
            return False
        pause = self.policy.delay(self.attempt, retry_after)
        if self.policy.clock() + pause > self.deadline:
            return False
        if pause > 0:
            self.policy.sleep(pause)
        return True


def parse_retry_after(value: str | None, *, now: Callable[[], float] = time.time) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP date); None if absent or unreadable."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now())
