"""`syncspec unlock` through the whole CLI: nothing locked, another id, a live holder, a stale lock."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from syncspec.state.local import LocalState
from tests.cli.project_cli import CliProject, init_project


@pytest.fixture
def project(tmp_path: Path) -> CliProject:
    return init_project(tmp_path)


def _state(project: CliProject) -> LocalState:
    return LocalState(project.state_dir, "local")


def _dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return int(done.stdout)


def test_nothing_locked(project: CliProject) -> None:
    done = project.run("unlock", "0123abcd")
    assert done.code == 1, done
    assert "environment 'local' is not locked" in done.err


def test_an_unknown_id_is_refused_and_names_the_holder(project: CliProject) -> None:
    held = _state(project).acquire_lock(
        command="syncspec apply", owner="ci", timeout=0, now="2026-01-01T00:00:00Z"
    )
    done = project.run("unlock", "0123abcd")
    assert done.code == 1, done
    assert f"locked by {held.lock_id}, not 0123abcd" in done.err
    assert (project.state_dir / "lock.json").exists()


def test_a_live_holder_is_not_unlocked(project: CliProject) -> None:
    held = _state(project).acquire_lock(
        command="syncspec apply", owner="ci", timeout=0, now="2026-01-01T00:00:00Z"
    )
    done = project.run("unlock", held.lock_id)
    assert done.code == 1, done
    assert "held by a running process" in done.err
    assert (project.state_dir / "lock.json").exists()


def test_a_stale_lock_is_removed_by_its_id(project: CliProject) -> None:
    held = _state(project).acquire_lock(
        command="syncspec apply", owner="ci", timeout=0, now="2026-01-01T00:00:00Z"
    )
    lock_file = project.state_dir / "lock.json"
    data = json.loads(lock_file.read_text(encoding="utf-8"))
    lock_file.write_text(json.dumps({**data, "pid": _dead_pid()}), encoding="utf-8")
    # (the next apply would break it itself: tests/apply/test_kill9.py); by hand, by its id:
    done = project.run("unlock", held.lock_id)
    assert done.code == 0, done
    assert f"Removed lock {held.lock_id}" in done.out
    assert "syncspec plan -e local" in done.out
    assert not lock_file.exists()
