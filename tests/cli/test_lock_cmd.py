"""`syncspec lock status` through the whole CLI, on the local and the postgres backend."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest

from syncspec.cli.main import COMMANDS
from syncspec.state.local import LocalState, open_state
from tests.cli.project_cli import CliProject, init_project
from tests.state.pg_server import PG_PASSWORD, PgCluster, pg_cluster

__all__ = ["pg_cluster"]

_numbers = itertools.count()
NOW = "2026-01-01T00:00:00Z"


@pytest.fixture(autouse=True)
def commands(monkeypatch: pytest.MonkeyPatch) -> None:
    # the command as main.py's table names it (registered here until main.py lists it)
    monkeypatch.setitem(COMMANDS, "lock", ("syncspec.cli.lock_cmd", "lock", "Show apply locks."))


@pytest.fixture
def project(tmp_path: Path) -> CliProject:
    return init_project(tmp_path)


def test_local_not_locked(project: CliProject) -> None:
    done = project.run("lock", "status")
    assert done.code == 0, done
    assert "Environment 'local' is not locked" in done.out
    assert str(project.state_dir) in done.out


def test_local_held_lock_in_text_and_json(project: CliProject) -> None:
    state = LocalState(project.state_dir, "local")
    held = state.acquire_lock(command="syncspec apply", owner="ci-bot", timeout=0, now=NOW)
    text = project.run("lock", "status", "-e", "local")
    assert text.code == 0, text
    assert held.lock_id in text.out and "ci-bot" in text.out and "syncspec apply" in text.out
    assert "stale" not in text.out
    as_json = project.run("lock", "status", "--output", "json")
    document = json.loads(as_json.out)
    assert document["locked"] is True and document["stale"] is False
    assert document["lock"]["lock_id"] == held.lock_id and document["environment"] == "local"


def test_local_stale_lock_names_the_unlock_command(project: CliProject) -> None:
    state = LocalState(project.state_dir, "local")
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, timeout=60
    )
    project.state_dir.mkdir(parents=True)
    lock = {"lock_id": "feed01", "environment": "local", "owner": "ci", "host": state.lock_file.host}
    (project.state_dir / "lock.json").write_text(
        json.dumps({**lock, "pid": int(gone.stdout), "command": "x"})
    )
    done = project.run("lock", "status")
    assert done.code == 0, done
    assert "stale" in done.out and "syncspec unlock feed01 -e local" in done.out


def test_postgres_lock_status(project: CliProject, pg_cluster: PgCluster) -> None:
    dsn = pg_cluster.create_database(f"cli_lock_{next(_numbers)}")
    config = project.root / "syncspec.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("state: {backend: local}", "state: {backend: postgres, dsn: '${env:PGX}'}")
    )
    remote = CliProject(project.root, {**project.env, "PGX": dsn})
    tenant = f"local:{project.db.resolve()}"
    holder = open_state(project.root, "local", {"backend": "postgres", "dsn": dsn}, tenant=tenant)
    try:
        held = holder.acquire_lock(command="syncspec apply", owner="runner-7", timeout=0, now=NOW)
        locked = remote.run("lock", "status", "--output", "json")
        assert locked.code == 0, locked
        document = json.loads(locked.out)
        assert document["lock"]["lock_id"] == held.lock_id and document["lock"]["owner"] == "runner-7"
        assert "postgres database" in document["state"]
        holder.release_lock(held)
        free = remote.run("lock", "status")
        assert free.code == 0 and "is not locked" in free.out, free
        for ran in (locked, free):
            assert PG_PASSWORD not in str(ran) and dsn not in str(ran)
    finally:
        holder.close()
