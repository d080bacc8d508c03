"""Test-only: `python slow_agent.py SECONDS ARGS...` runs `syncspec ARGS...` with slow tenant writes.

The child process opens the local tenant through `syncspec.workspace.tenant_open.open_local_tenant`;
this script replaces that opener (in its own process only) with one whose agent sleeps
SECONDS before every write, so a test can kill an apply mid-way or run two at once.
Nothing in syncspec knows about it. Self-contained on purpose: it runs as a script.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from syncspec.cli.main import main
from syncspec.targets.rest.wire import WRITE_ATTRIBUTES
from syncspec.workspace import tenant_open


class SlowAgent:
    """Delegates every agent method to the real InProcessAgent; writes sleep first."""

    def __init__(self, inner: Any, seconds: float) -> None:
        self.inner = inner
        self.seconds = seconds

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.inner, name)
        if not callable(method) or name not in WRITE_ATTRIBUTES:
            return method

        def slow(*args: Any) -> Any:
            time.sleep(self.seconds)
            return method(*args)

        return slow


def slow_opener(seconds: float) -> Callable[[Path], tuple[Any, Callable[[], None]]]:
    real = tenant_open.open_local_tenant

    def open_slowly(path: Path) -> tuple[Any, Callable[[], None]]:
        agent, close = real(path)
        return SlowAgent(agent, seconds), close

    return open_slowly


if __name__ == "__main__":
    tenant_open.open_local_tenant = slow_opener(float(sys.argv[1]))  # type: ignore[assignment]
    del sys.argv[1]  # the lock records `syncspec ARGS`, as the real command line would be
    sys.exit(main(sys.argv[1:]))
