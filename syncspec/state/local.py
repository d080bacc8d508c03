"""The local state backend: files under `<project root>/.syncspec/state/<environment>/`.

lock.json           the environment's lock (present only while held)
journal.jsonl       every apply event, append-only
last-applied.json   per-address values last written by an apply
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from syncspec.model.applied import JsonValue, LastApplied
from syncspec.model.errors import StateError
from syncspec.state.applied import LastAppliedFile
from syncspec.state.base import LockInfo, LockStatus, StateBackend
from syncspec.state.journal import JournalFile
from syncspec.state.lock import FileLock

STATE_DIR = Path(".syncspec") / "state"
BACKENDS = ("local", "postgres")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class LocalState:
    """`StateBackend` on local files; see `syncspec.state.base.StateBackend`."""

    def __init__(self, directory: Path, environment: str, *, host: str | None = None) -> None:
        self.directory = directory
        self._environment = environment
        self.lock_file = FileLock(directory / "lock.json", environment, host=host)
        self.journal = JournalFile(directory / "journal.jsonl")
        self.applied = LastAppliedFile(directory / "last-applied.json")

    @property
    def environment(self) -> str:
        return self._environment

    def describe(self) -> str:
        return str(self.directory)

    def acquire_lock(self, *, command: str, owner: str, timeout: float, now: str) -> LockInfo:
        """Take the lock; a lock whose holder is provably dead is broken, and the journal says so.

        After kill -9 the next run goes ahead instead of refusing until someone runs `unlock`
        (the dead run left connections as the journal shows; the next apply converges them).
        """
        lock = self.lock_file.acquire(command=command, owner=owner, timeout=timeout, now=now, break_dead=True)
        dead = lock.replaced
        if dead is None:
            return lock
        try:
            self.journal.append(
                {
                    "event": "lock_broken",
                    "at": now,
                    "lock_id": dead.lock_id,
                    "holder": {
                        "owner": dead.owner,
                        "host": dead.host,
                        "pid": dead.pid,
                        "command": dead.command,
                    },
                    "acquired_at": dead.acquired_at,
                    "reason": lock.replaced_because,
                    "by_lock_id": lock.lock_id,
                    "by_pid": lock.pid,
                }
            )
        except BaseException:
            self.lock_file.release(lock)  # not recorded: do not hold a lock nobody will release
            raise
        return lock

    def release_lock(self, lock: LockInfo) -> None:
        self.lock_file.release(lock)

    def current_lock(self) -> LockStatus | None:
        return self.lock_file.status()

    def break_lock(self, lock_id: str) -> LockInfo:
        return self.lock_file.break_lock(lock_id)

    def append_journal(self, event: Mapping[str, JsonValue]) -> None:
        self.journal.append(event)

    def read_journal(self) -> list[dict[str, JsonValue]]:
        return self.journal.read()

    def read_last_applied(self) -> LastApplied:
        return self.applied.read()

    def update_last_applied(
        self,
        values: Mapping[str, Mapping[str, JsonValue]],
        *,
        drop: Collection[str] = (),
        plan_id: str,
        applied_at: str,
    ) -> None:
        self.applied.update(values, drop=drop, plan_id=plan_id, applied_at=applied_at)

    def close(self) -> None:
        return None


def open_state(
    root: Path,
    environment: str,
    settings: Mapping[str, Any],
    *,
    environ: Mapping[str, str] | None = None,
    tenant: str | None = None,
) -> StateBackend:
    """The state backend `settings` (syncspec.yaml's `state`) names, for one environment.

    The postgres backend's DSN comes from `settings["dsn"]` (`${env:...}` resolved against
    `environ`, default the process environment) or else from $SYNCSPEC_PG_DSN. Its lock
    belongs to `tenant`, the environment's target identity
    (`syncspec.targets.factory.tenant_identity`), which it therefore needs. The local
    backend's lock lives in the project folder and does not use it.
    """
    backend = settings.get("backend", "local")
    if backend == "local":
        if not _SAFE_NAME.match(environment):
            raise StateError(
                f"environment name {environment!r} cannot name a state directory",
                hint="use letters, digits, '-', '_' and '.'",
            )
        return LocalState(root / STATE_DIR / environment, environment)
    if backend == "postgres":
        # imported here: psycopg is loaded only by projects that use it
        from syncspec.state.pg_connect import address_from_settings
        from syncspec.state.postgres import PostgresState

        if not tenant:
            raise StateError(
                "the postgres state backend locks the tenant, and was not told which tenant",
                hint="this is a bug in the caller: pass the environment's target identity",
            )
        address = address_from_settings(root, settings, os.environ if environ is None else environ)
        return PostgresState(address, environment, tenant=tenant)
    raise StateError(f"unknown state backend {backend!r}", hint=f"known backends: {', '.join(BACKENDS)}")
