"""Apply progress as versioned JSON lines (docs/machine-output.md), then the result; history as JSON lines."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TextIO

from syncspec.plan.model import Plan, Step
from syncspec.render.apply_text import OutcomeLike, RecordLike, ResultLike, UnitLike
from syncspec.render.machine import EventStream
from syncspec.render.progress import ApplyProgress, UnitProgress


def _unit(unit: UnitLike) -> dict[str, object]:
    return {
        "name": unit.name,
        "status": str(unit.status),
        "steps_total": unit.steps_total,
        "steps_done": unit.steps_done,
        "failed_step": unit.failed_step,
        "error": unit.error,
        "restored": list(unit.restored),
        "restore_errors": list(unit.restore_errors),
        "not_converged": list(unit.not_converged),
        "next_command": unit.next_command,
        # a partial connection: the planned values below it the tenant still lacks
        **({"pending": list(pending)} if (pending := getattr(unit, "pending", ())) else {}),
    }


def result_object(result: ResultLike) -> dict[str, object]:
    return {
        "event": "apply_done",
        "apply_id": result.apply_id,
        "plan_id": result.plan_id,
        "result": result.result,
        "steps_total": result.steps_total,
        "steps_done": result.steps_done,
        "units": [_unit(u) for u in result.units],
        # only when there are some (a dead run's lock that was broken): older readers see no change
        **({"notes": list(notes)} if (notes := getattr(result, "notes", ())) else {}),
    }


_UNIT_LEVEL = {"applied": "info", "partial": "warn", "not_converged": "warn", "skipped": "warn"}
_RESULT_LEVEL = {"succeeded": "info", "noop": "info", "partial": "warn", "not_converged": "warn"}


class JsonApplyHooks:
    """The apply's events on an `EventStream` (render/machine.py): each line has `@level`,
    `@message`, `@timestamp` and `type`; `event` repeats `type` for readers of format 0."""

    def __init__(self, stream: TextIO | EventStream, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.events = stream if isinstance(stream, EventStream) else EventStream(stream)
        self.progress = ApplyProgress(clock)

    def _line(self, type_: str, message: str, fields: Mapping[str, object], level: str = "info") -> None:
        self.events.emit(type_, message, level=level, event=type_, **fields)

    def on_apply_start(self, plan: Plan, steps_total: int) -> None:
        self.progress.start(plan.steps)
        units = {u.name: u.total for u in self.progress.units.values()}
        message = f"Applying plan {plan.plan_id[:19]}: {steps_total} steps"
        fields = {"plan_id": plan.plan_id, "steps_total": steps_total, "unit_totals": units}
        self._line("apply_start", message, fields)

    def on_step_start(self, index: int, step: Step) -> None:
        unit = self.progress.step_started(step)
        message = f"{unit.name}: {unit.current}"
        self._line("step_start", message, {"index": index, **_step(step), **_counter(unit)})

    def on_step_done(self, outcome: OutcomeLike) -> None:
        line = self.progress.step_done(outcome.step, outcome.ok, outcome.error)
        unit = self.progress.units[line.unit]
        mark = "ok" if outcome.ok else f"failed: {outcome.error}"
        fields = {
            "index": outcome.index,
            "ok": outcome.ok,
            "error": outcome.error,
            "elapsed": round(line.elapsed, 3),
            **_step(outcome.step),
            **_counter(unit),
        }
        message = f"{line.unit} {line.counter} {line.label}: {mark}"
        self._line("step_done", message, fields, "info" if outcome.ok else "error")

    def on_steps_added(self, connection: str, steps: int) -> None:
        unit = self.progress.steps_added(connection, steps)
        message = f"{connection}: {steps} more steps for the fields the tenant discovered on create"
        self._line("steps_added", message, {"connection": connection, "steps": steps, **_counter(unit)})

    def on_connection_done(self, result: UnitLike) -> None:
        unit = self.progress.unit_done(result.name, str(result.status))
        status = str(result.status)
        fields = {"elapsed": round(unit.elapsed(self.progress.clock()), 3), **_unit(result)}
        self._line("connection_done", f"{result.name}: {status}", fields, _UNIT_LEVEL.get(status, "error"))

    def on_apply_done(self, result: ResultLike) -> None:
        obj = result_object(result)
        message = f"Apply {result.result}: {result.steps_done} of {result.steps_total} steps done"
        del obj["event"]
        self._line("apply_done", message, obj, _RESULT_LEVEL.get(result.result, "error"))


def _counter(unit: UnitProgress) -> dict[str, object]:
    return {"unit": unit.name, "unit_done": unit.done, "unit_total": unit.total, "phase": unit.phase}


def _step(step: Step) -> dict[str, object]:
    return {"connection": step.connection, "kind": step.kind.value, "addresses": list(step.addresses)}


def render_history_json(records: Sequence[RecordLike], stream: TextIO) -> None:
    for record in records:
        stream.write(json.dumps(dict(record.to_dict()), sort_keys=True, ensure_ascii=False) + "\n")
