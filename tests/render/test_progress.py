"""Apply progress: per-unit counters that only go up to a fixed total, elapsed time, the field a
move moves; log lines off a terminal, a live display (rich) on one."""

from __future__ import annotations

import io
import re

import pytest

from syncspec.plan.model import Plan, Step, StepKind
from syncspec.plan.ops import step_of
from syncspec.render.apply_live import LiveApplyHooks, live_display_possible, progress_hooks
from syncspec.render.apply_text import TextApplyHooks
from syncspec.render.progress import DISCOVERED, ApplyProgress, seconds, step_label


class Clock:
    """A hand-moved monotonic clock: times in output are then known without sleeping."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _plan(steps: list[Step]) -> Plan:
    return Plan(
        plan_id="sha256:" + "a" * 64,
        syncspec_version="0",
        environment="local",
        target="local:x",
        created_at="2026-01-01T00:00:00Z",
        expires_at="2026-01-08T00:00:00Z",
        metadata_digest="",
        steps=tuple(steps),
    )


_CONNECTION = {
    "id": None,
    "name": "north",
    "create": True,
    "connector": "erp",
    "description": None,
    "access": "everyone",
    "config": {},
    "sensitive_keys": [],
}
_DATA: dict[StepKind, dict[str, object]] = {
    StepKind.SAVE_CONNECTOR: {"name": "erp", "id": None, "url": None},
    StepKind.SAVE_CONNECTION: _CONNECTION,
    StepKind.REFRESH_FIELDS: {"id": None},
    StepKind.ACTIVATE: {"id": None},
    StepKind.SAVE_SYNC_PRIORITY: {"order": ["north", "south"]},
}


def _steps() -> list[Step]:
    return [
        step_of(StepKind.SAVE_CONNECTOR, "", ("connector.erp",), _DATA[StepKind.SAVE_CONNECTOR]),
        step_of(StepKind.SAVE_CONNECTION, "north", ("connection.north",), _DATA[StepKind.SAVE_CONNECTION]),
        step_of(StepKind.REFRESH_FIELDS, "north", ("connection.north",), _DATA[StepKind.REFRESH_FIELDS]),
        step_of(StepKind.ACTIVATE, "north", ("connection.north",), _DATA[StepKind.ACTIVATE]),
        step_of(StepKind.SAVE_CONNECTION, "south", ("connection.south",), _DATA[StepKind.SAVE_CONNECTION]),
        step_of(StepKind.SAVE_SYNC_PRIORITY, "", ("sync_priority",), _DATA[StepKind.SAVE_SYNC_PRIORITY]),
    ]


def _move(field: str, direction: int) -> Step:
    data = {"actor": "Customer", "field": field, "direction": direction, "connection_id": 4, "field_id": 9}
    return step_of(StepKind.MOVE_FIELD, "north", ("connection.north.actor.Customer.ranking",), data)


def test_each_unit_counts_its_own_steps_to_a_fixed_total() -> None:
    clock = Clock()
    progress = ApplyProgress(clock)
    progress.start(_steps())
    assert {u.name: u.total for u in progress.units.values()} == {
        "connectors": 1,
        "north": 3,
        "south": 1,
        "sync_priority": 1,
    }
    seen = []
    for step in _steps()[1:3]:
        progress.step_started(step)
        seen.append(progress.step_done(step, True).counter)
    assert seen == ["[1/3]", "[2/3]"]


def test_a_created_connections_discovered_fields_count_as_their_own_phase() -> None:
    progress = ApplyProgress(Clock())
    progress.start(_steps())
    for step in _steps()[1:3]:  # the activation is held back by the applier
        progress.step_done(step, True)
    unit = progress.steps_added("north", 2)
    assert (unit.done, unit.total, unit.phase) == (0, 2, DISCOVERED)
    counters = [progress.step_done(s, True).counter for s in (_move("BALANCE", -1), _steps()[3])]
    assert counters == [f"[1/2 {DISCOVERED}]", f"[2/2 {DISCOVERED}]"]


def test_a_counter_never_runs_past_its_total_or_back() -> None:
    progress = ApplyProgress(Clock())
    progress.start(_steps()[:2])
    done = []
    for _ in range(3):  # a step the plan did not list (a surprise): the total grows with it
        line = progress.step_done(_steps()[1], True)
        first, total = map(int, re.findall(r"\d+", line.counter))
        done.append(first)
        assert first <= total
    assert done == sorted(done)
    failed = progress.step_done(_steps()[1], False, "refused")
    assert failed.counter == "[3/3]" and not failed.ok  # a failed step is not counted as done


def test_a_move_says_which_field_it_moves_and_where() -> None:
    assert step_label(_move("BALANCE", -1)) == (
        "move_field Customer.BALANCE up (connection.north.actor.Customer.ranking)"
    )
    assert step_label(_move("NAME", 1)).startswith("move_field Customer.NAME down")


def test_elapsed_time_is_shown_short() -> None:
    assert [seconds(v) for v in (0.04, 9.95, 42.4, 185.0)] == ["0.0s", "9.9s", "42s", "3m05s"]


def test_log_lines_carry_elapsed_time_unit_and_counter() -> None:
    clock = Clock()
    out = io.StringIO()
    hooks = TextApplyHooks(out, clock=clock)
    hooks.on_apply_start(_plan(_steps()), 6)
    step = _steps()[1]
    hooks.on_step_start(2, step)
    clock.now += 1.5
    hooks.on_step_done(_Outcome(2, step, True))
    lines = out.getvalue().splitlines()
    assert lines[0] == "Applying plan sha256:aaaaaaaaaaaa: 6 steps in 4 units"
    assert lines[1] == "  [1.5s] north [1/3] save_connection connection.north ... ok"


def test_the_live_display_redraws_rows_per_unit_on_a_terminal() -> None:
    pytest.importorskip("rich")
    clock = Clock()
    screen = Terminal()
    hooks = LiveApplyHooks(screen, colour=False, clock=clock)
    hooks.on_apply_start(_plan(_steps()), 6)
    step = _steps()[1]
    hooks.on_step_start(2, step)
    clock.now += 2.0
    hooks.on_step_done(_Outcome(2, step, True))
    hooks.on_connection_done(_Unit("north", "applied"))
    hooks.on_apply_done(_Unit("", ""))  # type: ignore[arg-type]
    text = screen.getvalue()
    assert "\x1b[" in text  # cursor movement: redrawn in place
    last = text.rsplit("Applying plan", 1)[1]
    assert re.search(r"north\s+applied\s+\[1/3\]\s+2\.0s", last), last
    assert re.search(r"south\s+waiting\s+\[0/1\]", last), last


def test_progress_hooks_choose_log_lines_off_a_terminal() -> None:
    assert isinstance(progress_hooks(io.StringIO(), environ={}), TextApplyHooks)
    assert not live_display_possible(Terminal(), {"TERM": "dumb"})


def test_progress_hooks_choose_the_live_display_on_a_terminal() -> None:
    pytest.importorskip("rich")
    assert isinstance(progress_hooks(Terminal(), environ={"TERM": "xterm"}), LiveApplyHooks)


class _Outcome:
    def __init__(self, index: int, step: Step, ok: bool, error: str = "") -> None:
        self.index, self.step, self.ok, self.error = index, step, ok, error


class _Unit:
    def __init__(self, name: str, status: str) -> None:
        self.name, self.status = name, status
