from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from syncspec.model.errors import StateError
from syncspec.state.base import LockHeldError, StateBackend
from syncspec.state.local import LocalState, open_state
from syncspec.state.lock import process_start
from tests.state.contract import CHECKS, NOW


@pytest.fixture(params=["local"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> StateBackend:
    return open_state(tmp_path, "test", {"backend": request.param})


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_contract(backend: StateBackend, check: Callable[[StateBackend], None]) -> None:
    check(backend)


def test_files_live_under_the_environment(tmp_path: Path) -> None:
    state = open_state(tmp_path, "prod", {})
    assert isinstance(state, LocalState)
    assert state.directory == tmp_path / ".syncspec" / "state" / "prod"


@pytest.mark.parametrize("settings", [{"backend": "postgres"}, {"backend": "nope"}])
def test_unavailable_backends_are_refused(tmp_path: Path, settings: dict[str, str]) -> None:
    with pytest.raises(StateError):
        open_state(tmp_path, "prod", settings)


def test_environment_name_cannot_escape(tmp_path: Path) -> None:
    with pytest.raises(StateError, match="cannot name"):
        open_state(tmp_path, "../x", {})


def _dead_pid() -> int:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    return int(dead.stdout)  # reaped by run(): that pid no longer runs


def _write_lock(state: LocalState, pid: int, **extra: object) -> None:
    info = {
        "lock_id": "abc123",
        "environment": "test",
        "owner": "ci",
        "host": state.lock_file.host,
        "pid": pid,
        "command": "syncspec apply",
        "acquired_at": NOW,
        **extra,
    }
    state.lock_file.path.parent.mkdir(parents=True, exist_ok=True)
    state.lock_file.path.write_text(json.dumps(info))


def test_the_lock_of_a_dead_process_is_broken_by_the_next_run_and_journaled(tmp_path: Path) -> None:
    state = open_state(tmp_path, "test", {})
    assert isinstance(state, LocalState)
    pid = _dead_pid()
    _write_lock(state, pid)
    status = state.current_lock()
    assert status is not None and status.stale and status.why_stale == f"pid {pid} is gone"
    lock = state.acquire_lock(command="apply", owner="me", timeout=0, now=NOW)
    assert lock.replaced is not None and lock.replaced.lock_id == "abc123"
    assert lock.replaced_because == f"pid {pid} is gone"
    current = state.current_lock()
    assert current is not None and current.lock.lock_id == lock.lock_id and not current.stale
    (broken,) = [e for e in state.read_journal() if e["event"] == "lock_broken"]
    assert broken["lock_id"] == "abc123" and broken["by_lock_id"] == lock.lock_id
    assert broken["reason"] == f"pid {pid} is gone"
    state.release_lock(lock)
    assert state.current_lock() is None


def test_a_stale_lock_is_broken_by_hand_only_by_its_id(tmp_path: Path) -> None:
    state = open_state(tmp_path, "test", {})
    assert isinstance(state, LocalState)
    pid = _dead_pid()
    _write_lock(state, pid)
    with pytest.raises(LockHeldError, match="stale") as caught:  # a FileLock asked not to break it
        state.lock_file.acquire(command="apply", owner="me", timeout=5, now=NOW)
    assert "syncspec unlock abc123" in caught.value.hint
    with pytest.raises(StateError, match="not abc"):
        state.break_lock("abc")
    assert state.break_lock("abc123").pid == pid
    assert state.current_lock() is None


def test_a_reused_pid_does_not_keep_a_dead_lock_alive(tmp_path: Path) -> None:
    """The holder's pid runs again, but as a process that started later: the holder is dead."""
    state = open_state(tmp_path, "test", {})
    assert isinstance(state, LocalState)
    me = os.getpid()
    _write_lock(state, me, process_start=f"{process_start(me)}0")  # recorded start: not ours
    status = state.current_lock()
    assert status is not None and status.stale and "reused" in status.why_stale
    lock = state.acquire_lock(command="apply", owner="me", timeout=0, now=NOW)
    assert lock.replaced is not None and "reused" in lock.replaced_because
    state.release_lock(lock)


def test_a_live_holder_is_never_broken(tmp_path: Path) -> None:
    state = open_state(tmp_path, "test", {})
    assert isinstance(state, LocalState)
    me = os.getpid()
    for extra in ({"process_start": process_start(me)}, {}):  # recorded, or from before it was
        _write_lock(state, me, **extra)
        with pytest.raises(LockHeldError, match="is locked"):
            state.acquire_lock(command="apply", owner="me", timeout=0, now=NOW)
        assert not [e for e in state.read_journal() if e["event"] == "lock_broken"]


def test_a_lock_records_its_holders_start_and_is_owner_only(tmp_path: Path) -> None:
    state = open_state(tmp_path, "test", {})
    assert isinstance(state, LocalState)
    lock = state.acquire_lock(command="apply", owner="me", timeout=0, now=NOW)
    record = json.loads(state.lock_file.path.read_text())
    assert record["process_start"] == process_start(os.getpid()) != ""
    assert stat.S_IMODE(state.lock_file.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(state.directory.stat().st_mode) == 0o700
    state.release_lock(lock)


def test_journal_skips_a_line_cut_short(tmp_path: Path) -> None:
    state = open_state(tmp_path, "test", {})
    state.append_journal({"event": "apply_start", "apply_id": "a"})
    assert isinstance(state, LocalState)
    with open(state.journal.path, "ab") as handle:
        handle.write(b'{"event": "step_st')
    assert [e["event"] for e in state.read_journal()] == ["apply_start"]
