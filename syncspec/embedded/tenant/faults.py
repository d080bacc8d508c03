"""Injected faults for the emulator: which request fails, and how, from a seeded RNG.

The kinds are the failures a client cannot tell apart from outside, except the first:

- `error-before`: a 503 before the call runs (nothing happened);
- `error-after`: the call runs and commits, then a 500 instead of its answer;
- `drop-after`: the call commits, then the connection is cut mid-answer;
- `stall-after`: the call commits, then the answer waits `stall_seconds` (the client's
  read timeout fires first).

A client that repeats a non-idempotent call after any of the last three does it twice.
"""

from __future__ import annotations

import enum
import random
import threading
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field


class FaultKind(enum.StrEnum):
    ERROR_BEFORE = "error-before"
    ERROR_AFTER = "error-after"
    DROP_AFTER = "drop-after"
    STALL_AFTER = "stall-after"


ALL_KINDS: tuple[FaultKind, ...] = tuple(FaultKind)


@dataclass
class FaultPlan:
    """Fail each request with probability `fail_rate`, with one of `kinds`, drawn from `seed`.

    `methods` limits faults to those agent methods (None: every method). `enabled` can be
    switched while the emulator runs (e.g. off while a test seeds the tenant). `counts`
    records what was injected.
    """

    fail_rate: float = 0.0
    seed: int | None = None
    kinds: tuple[FaultKind, ...] = ALL_KINDS
    stall_seconds: float = 35.0
    methods: Collection[str] | None = None
    enabled: bool = True
    counts: Counter[FaultKind] = field(default_factory=Counter)
    _rng: random.Random = field(init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        if not 0.0 <= self.fail_rate <= 1.0:
            raise ValueError("fail_rate must be between 0 and 1")
        if not self.kinds:
            raise ValueError("name at least one fault kind")
        if self.stall_seconds < 0:
            raise ValueError("stall_seconds cannot be negative")
        self._rng = random.Random(self.seed)

    def draw(self, method: str) -> FaultKind | None:
        """The fault for this request, if any. Thread-safe; deterministic for sequential requests."""
        if not self.enabled or self.fail_rate <= 0:
            return None
        if self.methods is not None and method not in self.methods:
            return None
        with self._lock:
            if self._rng.random() >= self.fail_rate:
                return None
            kind = self.kinds[self._rng.randrange(len(self.kinds))]
            self.counts[kind] += 1
            return kind
