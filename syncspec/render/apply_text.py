"""Apply progress and results as text: a line per step (render/apply_live.py draws a live
display on a terminal instead), then the outcome per connection. History as a table.

`render/` may not import `apply/` or `state/` (tests/test_layers.py), so the values read
here are described structurally by the protocols below; the applier's types match them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol, TextIO

from syncspec.plan.model import Plan, Step
from syncspec.render.messages import NOTHING_APPLIED
from syncspec.render.progress import ApplyProgress, seconds
from syncspec.render.progress import step_label as step_label  # re-exported for older callers


class OutcomeLike(Protocol):
    @property
    def index(self) -> int: ...
    @property
    def step(self) -> Step: ...
    @property
    def ok(self) -> bool: ...
    @property
    def error(self) -> str: ...


class UnitLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def steps_total(self) -> int: ...
    @property
    def steps_done(self) -> int: ...
    @property
    def failed_step(self) -> str: ...
    @property
    def error(self) -> str: ...
    @property
    def restored(self) -> tuple[str, ...]: ...
    @property
    def restore_errors(self) -> tuple[str, ...]: ...
    @property
    def not_converged(self) -> tuple[str, ...]: ...
    @property
    def next_command(self) -> str: ...


class ResultLike(Protocol):
    @property
    def apply_id(self) -> str: ...
    @property
    def plan_id(self) -> str: ...
    @property
    def units(self) -> Sequence[UnitLike]: ...
    @property
    def steps_total(self) -> int: ...
    @property
    def steps_done(self) -> int: ...
    @property
    def result(self) -> str: ...
    @property
    def noop(self) -> bool: ...


class RecordLike(Protocol):
    def to_dict(self) -> Mapping[str, object]: ...


_PENDING_SHOWN = 10  # a partial connection's missing values shown as text; JSON has all


class TextApplyHooks:
    """Progress as log lines on `stream`: one per finished step, with the time since the apply
    started, the unit and its own counter (`demo-norway [3/12]`), and one per unit at its end.

    On a terminal `LiveApplyHooks` (render/apply_live.py) draws the same state in place.
    """

    def __init__(
        self, stream: TextIO, *, terminal: bool = False, clock: Callable[[], float] = time.monotonic
    ) -> None:
        # `terminal` is accepted for older callers; `progress_hooks` picks the live display
        self.stream = stream
        self.progress = ApplyProgress(clock)

    def _write(self, text: str) -> None:
        self.stream.write(f"  [{seconds(self.progress.elapsed())}] {text}\n")
        self.stream.flush()

    def on_apply_start(self, plan: Plan, steps_total: int) -> None:
        self.progress.start(plan.steps)
        units = len(self.progress.units)
        self.stream.write(f"Applying plan {plan.plan_id[:19]}: {steps_total} steps in {units} units\n")

    def on_step_start(self, index: int, step: Step) -> None:
        self.progress.step_started(step)

    def on_step_done(self, outcome: OutcomeLike) -> None:
        line = self.progress.step_done(outcome.step, outcome.ok, outcome.error)
        mark = "ok" if line.ok else f"FAILED: {line.error}"
        self._write(f"{line.unit} {line.counter} {line.label} ... {mark}")

    def on_steps_added(self, connection: str, steps: int) -> None:
        unit = self.progress.units.get(connection)
        ran, planned = (unit.done, unit.total) if unit is not None else (0, 0)
        self.progress.steps_added(connection, steps)
        held = planned - ran  # the activation the applier holds back until the fields are set
        waits = f"; {held} (its activation) waits for them" if held > 0 else ""
        self._write(
            f"{connection}: created after {ran} of {planned} planned steps{waits}; "
            f"{steps} steps for the fields the tenant discovered"
        )

    def on_connection_done(self, result: UnitLike) -> None:
        unit = self.progress.unit_done(result.name, str(result.status))
        took = seconds(unit.elapsed(self.progress.clock()))
        self._write(f"{result.name}: {result.status} in {took}")

    def on_apply_done(self, result: ResultLike) -> None:
        self.stream.flush()


def render_apply_text(result: ResultLike, stream: TextIO) -> None:
    for note in getattr(result, "notes", ()):  # e.g. a dead run's lock that was broken
        stream.write(f"note: {note}\n")
    if result.noop:
        stream.write(NOTHING_APPLIED + "\n")
        return
    for unit in result.units:
        stream.write(f"\n{unit.name}: {unit.status} ({unit.steps_done}/{unit.steps_total} steps)\n")
        if unit.failed_step:
            stream.write(f"  failed at {unit.failed_step}: {unit.error}\n")
        elif unit.error:
            stream.write(f"  {unit.error}\n")
        for line in unit.restored:
            stream.write(f"  restored {line}\n")
        for line in unit.restore_errors:
            stream.write(f"  NOT restored: {line}\n")
        for line in unit.not_converged:
            stream.write(f"  not converged: {line}\n")
        if str(unit.status) == "partial":
            pending = getattr(unit, "pending", ())
            stream.write(
                "  partial: created from a saved plan, so the fields the tenant discovered on create "
                f"were not planned ({len(pending)} planned values still missing)\n"
            )
            for line in pending[:_PENDING_SHOWN]:
                stream.write(f"  pending: {line}\n")
            if len(pending) > _PENDING_SHOWN:
                stream.write(f"  pending: ... and {len(pending) - _PENDING_SHOWN} more\n")
        if unit.next_command:
            stream.write(f"  to finish: {unit.next_command}\n")
    stream.write(
        f"\nApply {result.result}: {result.steps_done} of {result.steps_total} steps done "
        f"(apply {result.apply_id}).\n"
    )


def render_history_text(records: Sequence[RecordLike], stream: TextIO) -> None:
    if not records:
        stream.write("No applies recorded yet.\n")
        return
    for record in records:
        d = record.to_dict()
        connections = d.get("connections")
        per = ", ".join(f"{k}={v}" for k, v in connections.items()) if isinstance(connections, dict) else ""
        stream.write(
            f"{d['started_at']}  {d['result']:<13} {d['who']}@{d['host']}  plan {str(d['plan_id'])[:19]}  "
            f"{d['changes']} changes, {d['steps_done']}/{d['steps_total']} steps  {per}\n"
        )
