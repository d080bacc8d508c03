"""A real ErpSyncAgent that delegates to InProcessAgent and fails on its k-th call.

Every agent method goes through `__getattr__`, so the wrapper stays complete as the
protocol grows. `fail_at=0` never fails (it only counts). `SYNCSPEC_TEST_SLOW_SECONDS`
(test-only) makes each write call sleep first, so a test can kill an apply mid-way.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from syncspec.embedded.tenant import InProcessAgent
from syncspec.model.errors import AgentError, TargetError
from syncspec.targets.rest.wire import WRITE_ATTRIBUTES

# The agent's writes, as the wire table marks them (kept under this name for the tests that import it).
WRITES = WRITE_ATTRIBUTES


class FailingAgent:
    def __init__(self, inner: InProcessAgent, fail_at: int = 0, *, interrupt: bool = False) -> None:
        self.inner = inner
        self.fail_at = fail_at
        self.interrupt = interrupt
        self.calls = 0
        self.methods: list[str] = []  # method name of each call, in order
        self.failed_method = ""
        self.slow = float(os.environ.get("SYNCSPEC_TEST_SLOW_SECONDS", "0") or 0)

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self.inner, name)
        if not callable(method):
            return method  # type: ignore[no-any-return]

        def call(*args: Any) -> Any:
            self.calls += 1
            self.methods.append(name)
            if self.calls == self.fail_at:
                self.failed_method = name
                if self.interrupt:
                    raise KeyboardInterrupt
                if name in WRITES:
                    raise AgentError(name, f"injected refusal on call {self.calls}")
                # a read failing is a lost tenant, not a refusal (reads treat refusals as "absent")
                raise TargetError(f"{name}: injected transport failure on call {self.calls}")
            if self.slow and name in WRITES:
                time.sleep(self.slow)
            return method(*args)

        return call
