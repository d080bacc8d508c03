"""What the state commands read and change: the journal's history, the apply lock, a migration.

Each opens the environment's state backend, does its one thing and closes it; the
click commands print what comes back.
"""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from syncspec.workspace.state_open import environment_state, open_environment_state

if TYPE_CHECKING:
    from syncspec.state.base import LockInfo, LockStatus
    from syncspec.state.journal import ApplyRecord
    from syncspec.state.migrate import MigrationResult


@dataclass(frozen=True)
class History:
    records: tuple[ApplyRecord, ...]
    note: str | None  # which journal lines could not be read, when any


def read_history(cwd: Path, name: str | None, environ: Mapping[str, str]) -> History:
    from syncspec.state.journal import history, unreadable_note

    with environment_state(cwd, name, environ) as (_, _, state):
        records = tuple(history(state.read_journal()))
        skipped = getattr(getattr(state, "journal", None), "unreadable", ())  # the local backend's file
        note = unreadable_note(state.describe() + "/journal.jsonl", skipped) if skipped else None
    return History(records, note)


@dataclass(frozen=True)
class LockView:
    environment: str
    state: str  # where the state is kept (the backend's description)
    current: LockStatus | None


def lock_status(cwd: Path, name: str | None, environ: Mapping[str, str]) -> LockView:
    with environment_state(cwd, name, environ) as (_, environment, state):
        return LockView(environment.name, state.describe(), state.current_lock())


def break_lock(cwd: Path, name: str | None, environ: Mapping[str, str], lock_id: str) -> tuple[str, LockInfo]:
    """The environment's name and the lock removed."""
    with environment_state(cwd, name, environ) as (_, environment, state):
        return environment.name, state.break_lock(lock_id)


@dataclass(frozen=True)
class Migration:
    result: MigrationResult
    configured_backend: object  # syncspec.yaml's `state.backend`, for the hint to switch to it


def migrate_state(
    cwd: Path, name: str | None, environ: Mapping[str, str], *, source: str, destination: str
) -> Migration:
    """Copy the environment's records from the `source` backend into `destination`."""
    from syncspec.state.local import open_state
    from syncspec.state.migrate import migrate_records
    from syncspec.state.postgres import PostgresState
    from syncspec.workspace.project import open_environment

    project, selected = open_environment(cwd, name, environ)
    local = open_state(project.root, selected.name, {"backend": source})
    settings = {key: value for key, value in project.state.items() if key != "backend"}
    remote = open_environment_state(project, selected, environ, settings={**settings, "backend": destination})
    try:
        assert isinstance(remote, PostgresState)
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        result = migrate_records(local, remote, owner=_owner(environ), now=now)
    finally:
        remote.close()
        local.close()
    return Migration(result, project.state.get("backend"))


def _owner(environ: Mapping[str, str]) -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return environ.get("USER", "unknown")
