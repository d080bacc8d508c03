"""Apply progress and results as text: a one-line progress display on a terminal, a line per
step otherwise, then the outcome per connection. History as a table.

`render/` may not import `apply/` or `state/` (tests/test_layers.py), so the values read
here are described structurally by the protocols below; the applier's types match them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, TextIO

from syncspec.plan.model import Plan, Step
from syncspec.render.messages import NOTHING_APPLIED


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


def step_label(step: Step) -> str:
    where = step.addresses[0] if step.addresses else ""
    more = f" (+{len(step.addresses) - 1})" if len(step.addresses) > 1 else ""
    return f"{step.kind.value} {where}{more}".rstrip()


class TextApplyHooks:
    """Progress on `stream`: redrawn in place on a terminal, one line per step otherwise."""

    def __init__(self, stream: TextIO, *, terminal: bool) -> None:
        self.stream = stream
        self.terminal = terminal
        self.total = 0
        self.done = 0
        self._width = 0

    def on_apply_start(self, plan: Plan, steps_total: int) -> None:
        self.total = steps_total
        self.stream.write(f"Applying plan {plan.plan_id[:19]}: {steps_total} steps\n")

    def on_step_start(self, index: int, step: Step) -> None:
        if self.terminal:
            line = f"[{self.done}/{self.total}] {step.connection or 'tenant'}: {step_label(step)}"
            self._redraw(line[:100])

    def on_step_done(self, outcome: OutcomeLike) -> None:
        if outcome.ok:
            self.done += 1
        if self.terminal:
            return
        mark = "ok" if outcome.ok else f"FAILED: {outcome.error}"
        unit = outcome.step.connection or "tenant"
        # follow-up steps of a connection created by this apply run past the planned total
        self.total = max(self.total, outcome.index)
        self.stream.write(f"  [{outcome.index}/{self.total}] {unit}: {step_label(outcome.step)} ... {mark}\n")

    def on_connection_done(self, result: UnitLike) -> None:
        if self.terminal:
            self._redraw("")
        self.stream.write(f"  {result.name}: {result.status}\n")

    def on_apply_done(self, result: ResultLike) -> None:
        if self.terminal:
            self._redraw("")
        self.stream.flush()

    def _redraw(self, line: str) -> None:
        pad = max(self._width - len(line), 0)
        self.stream.write("\r" + line + " " * pad + ("\r" if not line else ""))
        self._width = len(line)
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
