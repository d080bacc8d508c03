"""The `StateBackend` protocol: an environment's lock, journal and last-applied records.

One backend instance serves one environment. The local backend keeps files under
`.syncspec/state/<environment>/`; a PostgreSQL backend (advisory locks + tables) can
implement the same protocol, and `tests/state/contract.py` holds the tests both must pass.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from syncspec.model.applied import JsonValue, LastApplied
from syncspec.model.errors import StateError


@dataclass(frozen=True)
class LockInfo:
    """Who holds an environment's lock: enough to find the process and to break the lock by id."""

    lock_id: str
    environment: str
    owner: str
    host: str
    pid: int
    command: str
    acquired_at: str  # ISO 8601 UTC
    # Set on the lock `acquire_lock` returns when it first broke a lock whose holder was
    # provably dead (not part of the lock's record): that lock, and why it was dead.
    replaced: LockInfo | None = field(default=None, compare=False, repr=False)
    replaced_because: str = field(default="", compare=False, repr=False)

    def to_dict(self) -> dict[str, JsonValue]:
        return {
            "lock_id": self.lock_id,
            "environment": self.environment,
            "owner": self.owner,
            "host": self.host,
            "pid": self.pid,
            "command": self.command,
            "acquired_at": self.acquired_at,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> LockInfo:
        pid = data.get("pid")
        return cls(
            lock_id=str(data["lock_id"]),
            environment=str(data.get("environment", "")),
            owner=str(data.get("owner", "")),
            host=str(data.get("host", "")),
            pid=pid if isinstance(pid, int) else 0,
            command=str(data.get("command", "")),
            acquired_at=str(data.get("acquired_at", "")),
        )

    def describe(self) -> str:
        return (
            f"lock {self.lock_id} held by {self.owner}@{self.host} (pid {self.pid}) "
            f"since {self.acquired_at}, running `{self.command}`"
        )


@dataclass(frozen=True)
class LockStatus:
    """The current lock and whether its process is known to be gone (stale), and how."""

    lock: LockInfo
    stale: bool
    why_stale: str = ""  # "pid 123 is gone", "pid 123 is a newer process": the proof


class LockHeldError(StateError):
    """Another run holds the environment's lock (or held it and died: `stale`)."""

    def __init__(self, status: LockStatus, message: str, *, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.status = status


class StateBackend(Protocol):
    """Where an environment's apply state lives.

    Locking: `acquire_lock` waits up to `timeout` seconds for a live holder and raises
    `LockHeldError` naming it. A stale lock, whose holder is provably dead (same host, and
    its pid is gone or now belongs to a process started later), is broken by the local
    backend's `acquire_lock`, which records that in the journal (`lock_broken`) and on the
    returned lock (`replaced`); PostgreSQL releases a dead holder's lock by itself.
    `break_lock(lock_id)` removes a lock by hand.
    The journal is append-only JSON objects, one per event, in write order; a record
    cut short by a crash is skipped on read. Last-applied records are per address;
    `update_last_applied` first drops every address under `drop` (top-level prefixes
    such as ``connection.X``), then sets `values`. All methods are thread-safe.
    """

    @property
    def environment(self) -> str: ...

    def describe(self) -> str:
        """Where the state lives, for messages (e.g. the state directory)."""
        ...

    def acquire_lock(self, *, command: str, owner: str, timeout: float, now: str) -> LockInfo: ...

    def release_lock(self, lock: LockInfo) -> None:
        """Release a lock this run holds; a lock with another id is left alone."""
        ...

    def current_lock(self) -> LockStatus | None: ...

    def break_lock(self, lock_id: str) -> LockInfo:
        """Remove the lock with this id (StateError when no lock or another id is held)."""
        ...

    def append_journal(self, event: Mapping[str, JsonValue]) -> None: ...

    def read_journal(self) -> list[dict[str, JsonValue]]: ...

    def read_last_applied(self) -> LastApplied: ...

    def update_last_applied(
        self,
        values: Mapping[str, Mapping[str, JsonValue]],
        *,
        drop: Collection[str] = (),
        plan_id: str,
        applied_at: str,
    ) -> None: ...

    def close(self) -> None: ...


def under(address: str, prefix: str) -> bool:
    """`address` is `prefix` or lies below it, by whole segments."""
    return address == prefix or address.startswith(prefix + ".")
