"""Apply progress as JSON lines: one object per event, then the result; history as JSON lines."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TextIO

from syncspec.plan.model import Plan, Step
from syncspec.render.apply_text import OutcomeLike, RecordLike, ResultLike, UnitLike


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


class JsonApplyHooks:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def _line(self, obj: dict[str, object]) -> None:
        self.stream.write(json.dumps(obj, sort_keys=True, ensure_ascii=False) + "\n")
        self.stream.flush()

    def on_apply_start(self, plan: Plan, steps_total: int) -> None:
        self._line({"event": "apply_start", "plan_id": plan.plan_id, "steps_total": steps_total})

    def on_step_start(self, index: int, step: Step) -> None:
        self._line({"event": "step_start", "index": index, **_step(step)})

    def on_step_done(self, outcome: OutcomeLike) -> None:
        obj = {"event": "step_done", "index": outcome.index, "ok": outcome.ok, "error": outcome.error}
        self._line({**obj, **_step(outcome.step)})

    def on_connection_done(self, result: UnitLike) -> None:
        self._line({"event": "connection_done", **_unit(result)})

    def on_apply_done(self, result: ResultLike) -> None:
        self._line(result_object(result))


def _step(step: Step) -> dict[str, object]:
    return {"connection": step.connection, "kind": step.kind.value, "addresses": list(step.addresses)}


def render_history_json(records: Sequence[RecordLike], stream: TextIO) -> None:
    for record in records:
        stream.write(json.dumps(dict(record.to_dict()), sort_keys=True, ensure_ascii=False) + "\n")
