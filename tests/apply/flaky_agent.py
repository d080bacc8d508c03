"""A real ErpSyncAgent over InProcessAgent that refuses one write, then loses the next few reads.

That is the tenant a restore meets after a network fault: the write that failed the apply,
then reads (the restore's own re-reads among them) that fail as a lost connection does.
Every agent method goes through `__getattr__`, as in `FailingAgent`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from syncspec.embedded.tenant import InProcessAgent
from syncspec.model.errors import AgentError, TargetError
from tests.apply.failing_agent import WRITES


class FlakyAgent:
    def __init__(self, inner: InProcessAgent, *, refuse: str, then_lost_reads: int) -> None:
        self.inner = inner
        self.refuse = refuse  # the agent method whose first call is refused
        self.lost_reads = then_lost_reads  # reads failing after that refusal
        self.refused = False
        self.reads_lost = 0

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self.inner, name)
        if not callable(method):
            return method  # type: ignore[no-any-return]

        def call(*args: Any) -> Any:
            if name == self.refuse and not self.refused:
                self.refused = True
                raise AgentError(name, "injected refusal")
            if self.refused and name not in WRITES and self.reads_lost < self.lost_reads:
                self.reads_lost += 1
                raise TargetError(f"{name}: injected transport failure")
            return method(*args)

        return call
