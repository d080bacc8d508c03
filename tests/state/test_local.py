from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from syncspec.model.errors import StateError
from syncspec.state.base import LockHeldError, StateBackend
from syncspec.state.local import LocalState, open_state
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


def test_lock_of_a_dead_process_is_stale_and_broken_only_by_id(tmp_path: Path) -> None:
    state = open_state(tmp_path, "test", {})
    assert isinstance(state, LocalState)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    pid = int(dead.stdout)
    lock = state.lock_file.path
    lock.parent.mkdir(parents=True)
    info = {
        "lock_id": "abc123",
        "environment": "test",
        "owner": "ci",
        "host": state.lock_file.host,
        "pid": pid,
        "command": "syncspec apply",
        "acquired_at": NOW,
    }
    lock.write_text(json.dumps(info))
    status = state.current_lock()
    assert status is not None and status.stale
    with pytest.raises(LockHeldError, match="stale") as caught:
        state.acquire_lock(command="apply", owner="me", timeout=5, now=NOW)
    assert "syncspec unlock abc123" in caught.value.hint
    with pytest.raises(StateError, match="not abc"):
        state.break_lock("abc")
    assert state.break_lock("abc123").pid == pid
    assert state.current_lock() is None


def test_journal_skips_a_line_cut_short(tmp_path: Path) -> None:
    state = open_state(tmp_path, "test", {})
    state.append_journal({"event": "apply_start", "apply_id": "a"})
    assert isinstance(state, LocalState)
    with open(state.journal.path, "ab") as handle:
        handle.write(b'{"event": "step_st')
    assert [e["event"] for e in state.read_journal()] == ["apply_start"]
