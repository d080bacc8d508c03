"""Apply progress as plain values: per unit, counters that only go up towards a fixed total.

A unit is a connection, `connectors` (the connector saves first) or `sync_priority` (the
tenant-wide steps last), as the applier runs them. A connection this apply creates gets a
second phase once the tenant has discovered its fields: the applier announces how many
steps it planned for them (`steps_added`), and that phase counts from 1 to its own total.
So no counter runs past its total, goes back, or changes its total while it counts.

Times come from an injected clock (seconds, monotonic), so the model is pure and testable.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from syncspec.model.units import CONNECTORS_UNIT, FINAL_UNIT
from syncspec.plan.model import Step, StepKind
from syncspec.plan.ops import MoveField

DISCOVERED = "discovered fields"  # the phase a created connection's follow-up steps count in


def unit_of(step: Step) -> str:
    if step.kind is StepKind.SAVE_CONNECTOR:
        return CONNECTORS_UNIT
    return step.connection or FINAL_UNIT


def step_label(step: Step) -> str:
    """What a step does, naming the field a move moves (`move_field Customer.BALANCE up`)."""
    if isinstance(step, MoveField):
        way = "up" if step.direction == -1 else "down" if step.direction == 1 else str(step.direction)
        where = step.addresses[0] if step.addresses else ""
        return f"move_field {step.actor.value}.{step.field} {way} ({where})"
    where = step.addresses[0] if step.addresses else ""
    more = f" (+{len(step.addresses) - 1})" if len(step.addresses) > 1 else ""
    return f"{step.kind.value} {where}{more}".rstrip()


@dataclass
class UnitProgress:
    name: str
    total: int  # of the current phase; fixed while it counts
    done: int = 0
    phase: str = ""  # "" for the plan's own steps, DISCOVERED for a created connection's follow-up
    status: str = "waiting"  # waiting | running | the unit's final status (applied, restored, ...)
    current: str = ""  # the step running now
    started: float | None = None
    finished: float | None = None
    failed: bool = False

    def elapsed(self, now: float) -> float:
        if self.started is None:
            return 0.0
        return (self.finished if self.finished is not None else now) - self.started

    @property
    def counter(self) -> str:
        phase = f" {self.phase}" if self.phase else ""
        return f"[{self.done}/{self.total}{phase}]"


@dataclass(frozen=True)
class StepLine:
    """One finished step, as a log line shows it."""

    unit: str
    counter: str
    label: str
    ok: bool
    error: str
    elapsed: float  # since the apply started


class ApplyProgress:
    """The state of an apply, fed by the applier's hooks (one at a time)."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.units: dict[str, UnitProgress] = {}
        self.started = clock()
        self.planned = 0  # the plan's steps; follow-up steps are counted in their own phase
        self.discovered = 0

    def start(self, steps: Sequence[Step]) -> None:
        self.started = self.clock()
        self.planned = len(steps)
        for step in steps:
            name = unit_of(step)
            unit = self.units.setdefault(name, UnitProgress(name, 0))
            unit.total += 1

    def _unit(self, step: Step) -> UnitProgress:
        name = unit_of(step)
        unit = self.units.get(name)
        if unit is None:  # a step the plan did not list: count it rather than fail the display
            unit = self.units[name] = UnitProgress(name, 0)
        return unit

    def step_started(self, step: Step) -> UnitProgress:
        unit = self._unit(step)
        if unit.started is None:
            unit.started = self.clock()
        unit.status = "running"
        unit.current = step_label(step)
        return unit

    def step_done(self, step: Step, ok: bool, error: str = "") -> StepLine:
        unit = self._unit(step)
        if ok:
            unit.done += 1
            if unit.done > unit.total:  # never show 13/12: a surprise step grows its phase
                unit.total = unit.done
        else:
            unit.failed = True
        return StepLine(unit.name, unit.counter, step_label(step), ok, error, self.clock() - self.started)

    def steps_added(self, name: str, count: int) -> UnitProgress:
        """A created connection's follow-up: `count` steps for its discovered fields, a new phase.

        The activation the applier held back for it is among those steps: the first phase
        ends one short of its total, which the displays say."""
        unit = self.units.setdefault(name, UnitProgress(name, 0))
        unit.phase, unit.done, unit.total = DISCOVERED, 0, count
        self.discovered += count
        return unit

    def unit_done(self, name: str, status: str) -> UnitProgress:
        unit = self.units.setdefault(name, UnitProgress(name, 0))
        unit.status = status
        unit.current = ""
        unit.finished = self.clock()
        if unit.started is None:
            unit.started = unit.finished
        return unit

    def elapsed(self) -> float:
        return self.clock() - self.started

    @property
    def finished_units(self) -> int:
        return sum(1 for u in self.units.values() if u.finished is not None)


def seconds(value: float) -> str:
    """`0.4s`, `12s`, `3m05s`: short enough for a progress line."""
    if value < 10:
        return f"{value:.1f}s"
    if value < 60:
        return f"{value:.0f}s"
    minutes, rest = divmod(int(value), 60)
    return f"{minutes}m{rest:02d}s"
