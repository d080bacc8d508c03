"""Tests every StateBackend must pass; test modules parametrize `backend` over the implementations."""

from __future__ import annotations

import threading

import pytest

from syncspec.model.applied import JsonValue
from syncspec.model.errors import StateError
from syncspec.state.base import LockHeldError, StateBackend

NOW = "2026-01-02T03:04:05Z"


def check_lock_excludes_and_releases(backend: StateBackend) -> None:
    first = backend.acquire_lock(command="apply", owner="a", timeout=0, now=NOW)
    with pytest.raises(LockHeldError, match=first.lock_id):
        backend.acquire_lock(command="apply", owner="b", timeout=0.2, now=NOW)
    backend.release_lock(first)
    second = backend.acquire_lock(command="apply", owner="b", timeout=0, now=NOW)
    assert second.lock_id != first.lock_id
    backend.release_lock(first)  # someone else's id: left alone
    status = backend.current_lock()
    assert status is not None and status.lock.lock_id == second.lock_id
    backend.release_lock(second)
    assert backend.current_lock() is None


def check_only_one_of_many_wins(backend: StateBackend) -> None:
    won: list[str] = []
    lost: list[str] = []

    def contender(owner: str) -> None:
        try:
            won.append(backend.acquire_lock(command="apply", owner=owner, timeout=0, now=NOW).lock_id)
        except LockHeldError:
            lost.append(owner)

    threads = [threading.Thread(target=contender, args=(f"o{i}",)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(won) == 1 and len(lost) == 7


def check_break_needs_the_id(backend: StateBackend) -> None:
    with pytest.raises(StateError, match="not locked"):
        backend.break_lock("nope")


def check_journal_appends_in_order(backend: StateBackend) -> None:
    for i in range(5):
        backend.append_journal({"event": "step_end", "apply_id": "x", "index": i})
    assert [e["index"] for e in backend.read_journal()] == [0, 1, 2, 3, 4]


def check_last_applied_round_trip_and_drop(backend: StateBackend) -> None:
    assert backend.read_last_applied().values == {}
    backend.update_last_applied(
        {
            "connection.a": {"description": "x"},
            "connection.a.actor.Customer": {"sync": True},
            "connection.b": {},
        },
        plan_id="p1",
        applied_at=NOW,
    )
    backend.update_last_applied(
        {"connection.a": {"description": "y"}}, drop=["connection.a"], plan_id="p2", applied_at=NOW
    )
    record = backend.read_last_applied()
    assert record.plan_id == "p2"
    assert dict(record.values) == {"connection.a": {"description": "y"}, "connection.b": {}}


def check_journal_keeps_content(backend: StateBackend) -> None:
    event: dict[str, JsonValue] = {
        "event": "apply_start",
        "apply_id": "a1",
        "at": NOW,
        "who": "Zoë",
        "nested": {"list": [1, 2.5, None, True, "x"], "empty": {}},
    }
    backend.append_journal(event)
    assert backend.read_journal() == [event]


def check_drop_is_by_whole_segment(backend: StateBackend) -> None:
    values: dict[str, dict[str, JsonValue]] = {
        "connection.a": {"n": 1},
        "connection.a.actor.X": {"n": 2},
        "connection.a_b": {"n": 3},
        "connection.a%": {"n": 4},
    }
    backend.update_last_applied(values, plan_id="p1", applied_at=NOW)
    backend.update_last_applied({}, drop=["connection.a"], plan_id="p2", applied_at="2026-01-03T00:00:00Z")
    record = backend.read_last_applied()
    assert dict(record.values) == {"connection.a_b": {"n": 3}, "connection.a%": {"n": 4}}
    assert (record.plan_id, record.applied_at) == ("p2", "2026-01-03T00:00:00Z")


CHECKS = [
    check_lock_excludes_and_releases,
    check_only_one_of_many_wins,
    check_break_needs_the_id,
    check_journal_appends_in_order,
    check_last_applied_round_trip_and_drop,
    check_journal_keeps_content,
    check_drop_is_by_whole_segment,
]

# Every backend the shared suite runs over (tests/state/test_postgres.py parametrizes on these).
BACKEND_KINDS = ("local", "postgres")
