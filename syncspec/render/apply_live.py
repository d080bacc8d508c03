"""Apply progress drawn in place on a terminal: one row per unit, redrawn as steps finish.

Uses rich (the optional `live` extra), imported only here and only when the output is a
terminal; without rich, or off a terminal, `progress_hooks` returns the log-line display
(`TextApplyHooks`). Each row shows the unit, its status, its own counter and elapsed time
and the step it runs; when the apply ends the rows stay as the last frame.
"""

from __future__ import annotations

import importlib.util
import os
import threading
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TextIO

from syncspec.plan.model import Plan, Step
from syncspec.render.apply_text import OutcomeLike, ResultLike, TextApplyHooks, UnitLike
from syncspec.render.progress import ApplyProgress, UnitProgress, seconds
from syncspec.render.style import colour_wanted

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.live import Live

_STATUS_STYLE = {
    "running": "cyan",
    "applied": "green",
    "partial": "yellow",
    "not_converged": "yellow",
    "restored": "red",
    "restore_failed": "bold red",
    "stale": "red",
    "skipped": "dim",
}


def live_display_possible(stream: TextIO, environ: Mapping[str, str]) -> bool:
    """A live display needs a terminal that can move the cursor, and rich installed."""
    isatty = getattr(stream, "isatty", None)
    if not (isatty and isatty()) or environ.get("TERM") == "dumb":
        return False
    return importlib.util.find_spec("rich") is not None


def progress_hooks(
    stream: TextIO, *, no_color: bool = False, environ: Mapping[str, str] | None = None
) -> Any:
    """The progress display for `stream`: live on a terminal (with rich), log lines otherwise."""
    env = os.environ if environ is None else environ
    if live_display_possible(stream, env):
        return LiveApplyHooks(stream, colour=colour_wanted(stream, no_color=no_color, environ=env))
    return TextApplyHooks(stream)


def unit_row(unit: UnitProgress, now: float) -> tuple[str, str, str, str, str]:
    """(name, status, counter, elapsed, current step) of one row."""
    elapsed = seconds(unit.elapsed(now)) if unit.started is not None else ""
    return (unit.name, unit.status, unit.counter, elapsed, unit.current)


class LiveApplyHooks:
    def __init__(self, stream: TextIO, *, colour: bool, clock: Callable[[], float] = time.monotonic) -> None:
        from rich.console import Console

        self.console: Console = Console(
            file=stream, force_terminal=True, no_color=not colour, highlight=False, soft_wrap=False
        )
        self.progress = ApplyProgress(clock)
        self.title = ""
        self._live: Live | None = None
        self._lock = threading.Lock()

    def _frame(self) -> RenderableType:
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        now = self.progress.clock()
        table = Table.grid(padding=(0, 2))
        for unit in self.progress.units.values():
            name, status, counter, elapsed, current = unit_row(unit, now)
            table.add_row(
                Text(name), Text(status, style=_STATUS_STYLE.get(status, "")), counter, elapsed, current
            )
        title = Text(f"{self.title} ({seconds(self.progress.elapsed())})", style="bold")
        return Group(title, table)

    def on_apply_start(self, plan: Plan, steps_total: int) -> None:
        from rich.live import Live

        with self._lock:
            self.progress.start(plan.steps)
            self.title = f"Applying plan {plan.plan_id[:19]}: {steps_total} steps"
        self._live = Live(
            console=self.console, get_renderable=self._locked_frame, refresh_per_second=8, transient=False
        )
        self._live.start()

    def on_step_start(self, index: int, step: Step) -> None:
        with self._lock:
            self.progress.step_started(step)

    def on_step_done(self, outcome: OutcomeLike) -> None:
        with self._lock:
            self.progress.step_done(outcome.step, outcome.ok, outcome.error)

    def on_steps_added(self, connection: str, steps: int) -> None:
        with self._lock:
            self.progress.steps_added(connection, steps)

    def on_connection_done(self, result: UnitLike) -> None:
        with self._lock:
            self.progress.unit_done(result.name, str(result.status))

    def _locked_frame(self) -> RenderableType:
        # rich redraws this on its own thread a few times a second (drawing on every step
        # would slow a large apply down) while the applier's threads change the progress
        with self._lock:
            return self._frame()

    def on_apply_done(self, result: ResultLike) -> None:
        if self._live is not None:
            self._live.refresh()  # the last frame stays on the screen
            self._live.stop()
            self._live = None
