"""A lock file per environment, created atomically with O_CREAT|O_EXCL.

The file holds the holder's `LockInfo` as JSON. A holder on this host whose pid no
longer runs is *stale*: reported with its id, never broken silently, because a
reused pid or a clock cannot prove the tenant is in a known state.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import time
from collections.abc import Callable
from pathlib import Path

from syncspec.model.errors import StateError
from syncspec.state.base import LockHeldError, LockInfo, LockStatus

POLL_SECONDS = 0.1
# A lock file is created empty and filled at once; this long it may read as empty.
_WRITING_GRACE_SECONDS = 2.0


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process, but alive
    return True


class FileLock:
    """The lock of one environment, as a file at `path`."""

    def __init__(
        self,
        path: Path,
        environment: str,
        *,
        host: str | None = None,
        alive: Callable[[int], bool] = pid_alive,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = path
        self.environment = environment
        self.host = host or socket.gethostname()
        self._alive = alive
        self._sleep = sleep
        self._monotonic = monotonic

    def acquire(self, *, command: str, owner: str, timeout: float, now: str) -> LockInfo:
        info = LockInfo(
            lock_id=secrets.token_hex(6),
            environment=self.environment,
            owner=owner,
            host=self.host,
            pid=os.getpid(),
            command=command,
            acquired_at=now,
        )
        deadline = self._monotonic() + max(timeout, 0.0)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            if self._try_create(info):
                return info
            status = self.status()
            if status is not None and status.stale:
                raise LockHeldError(
                    status,
                    f"environment {self.environment!r} has a stale lock: {status.lock.describe()}, "
                    "and that process is gone",
                    hint=f"if no apply is running, break it with: syncspec unlock {status.lock.lock_id} "
                    f"-e {self.environment}",
                )
            if self._monotonic() >= deadline:
                if status is None:
                    continue  # released between our attempt and the read: try again at once
                raise LockHeldError(
                    status,
                    f"environment {self.environment!r} is locked: {status.lock.describe()}",
                    hint="wait for it to finish, or raise --lock-timeout",
                )
            self._sleep(POLL_SECONDS)

    def _try_create(self, info: LockInfo) -> bool:
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            return False
        except OSError as exc:
            raise StateError(f"cannot create the lock file {self.path}: {exc.strerror}") from None
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(info.to_dict(), sort_keys=True) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        return True

    def status(self) -> LockStatus | None:
        """The current lock, or None. An unreadable lock file is waited for briefly, then refused."""
        waited_until = self._monotonic() + _WRITING_GRACE_SECONDS
        while True:
            try:
                text = self.path.read_text(encoding="utf-8")
            except FileNotFoundError:
                return None
            except OSError as exc:
                raise StateError(f"cannot read the lock file {self.path}: {exc.strerror}") from None
            info = _parse(text)
            if info is not None:
                stale = info.host == self.host and not self._alive(info.pid)
                return LockStatus(info, stale)
            if self._monotonic() >= waited_until:
                raise StateError(
                    f"the lock file {self.path} is unreadable",
                    hint="if no apply is running, delete that file by hand",
                )
            self._sleep(POLL_SECONDS / 4)

    def release(self, lock: LockInfo) -> None:
        current = self.status()
        if current is not None and current.lock.lock_id == lock.lock_id:
            self.path.unlink(missing_ok=True)

    def break_lock(self, lock_id: str) -> LockInfo:
        current = self.status()
        if current is None:
            raise StateError(f"environment {self.environment!r} is not locked")
        if current.lock.lock_id != lock_id:
            raise StateError(
                f"environment {self.environment!r} is locked by {current.lock.lock_id}, not {lock_id}",
                hint=current.lock.describe(),
            )
        if not current.stale and current.lock.host == self.host:
            raise StateError(
                f"lock {lock_id} is held by a running process (pid {current.lock.pid})",
                hint="wait for it to finish; only a lock whose process is gone can be broken",
            )
        self.path.unlink(missing_ok=True)
        return current.lock


def _parse(text: str) -> LockInfo | None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("lock_id"), str):
        return None
    return LockInfo.from_dict(data)
