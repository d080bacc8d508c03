"""A lock file per environment, created atomically with O_CREAT|O_EXCL.

The file holds the holder's `LockInfo` as JSON, plus the holder process's identity
(`process_start`: the boot id and the process's start time in clock ticks since boot, from
/proc on Linux). A holder is *stale*, provably dead, when it ran on this host and its pid
no longer runs, or the pid now belongs to a process that started at another time (the pid
was reused). Only then may `acquire(break_dead=True)` break the lock; a holder on another
host, or one whose start time cannot be read, is never presumed dead.

Breaking is serialised by an flock on `<lock>.guard` (released by the kernel if the breaker
dies), and the lock is re-read under it, so two runs that find the same dead lock cannot
break it twice, which would remove the lock the first of them took.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import json
import os
import secrets
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from syncspec.model.errors import StateError
from syncspec.state.base import LockHeldError, LockInfo, LockStatus
from syncspec.state.files import OWNER_ONLY, private_dir

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


def process_start(pid: int) -> str:
    """Who `pid` is: "<boot id>:<start time in clock ticks>", or "" where /proc cannot tell."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    # the command name (field 2) is in parentheses and may hold spaces or ")": split after the last
    fields = stat[stat.rfind(")") + 2 :].split()
    return f"{boot}:{fields[19]}" if len(fields) > 19 else ""  # field 22, starttime


class FileLock:
    """The lock of one environment, as a file at `path`."""

    def __init__(
        self,
        path: Path,
        environment: str,
        *,
        host: str | None = None,
        alive: Callable[[int], bool] = pid_alive,
        started: Callable[[int], str] = process_start,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = path
        self.environment = environment
        self.host = host or socket.gethostname()
        self._alive = alive
        self._started = started
        self._sleep = sleep
        self._monotonic = monotonic

    def acquire(
        self, *, command: str, owner: str, timeout: float, now: str, break_dead: bool = False
    ) -> LockInfo:
        """Take the lock, waiting up to `timeout` for a live holder.

        A stale lock (holder provably dead) is broken when `break_dead`, and the lock returned
        says so (`replaced`); otherwise it is refused at once, naming `syncspec unlock`.
        """
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
        private_dir(self.path.parent)
        replaced: LockStatus | None = None
        while True:
            if self._try_create(info):
                if replaced is None:
                    return info
                return dataclasses.replace(info, replaced=replaced.lock, replaced_because=replaced.why_stale)
            status = self.status()
            if status is not None and status.stale and break_dead:
                if self._break_if_still(status.lock.lock_id):
                    replaced = status
                continue  # broken (by us or a concurrent run): try to take it at once
            if status is not None and status.stale:
                raise LockHeldError(
                    status,
                    f"environment {self.environment!r} has a stale lock: {status.lock.describe()}, "
                    f"and that process is gone ({status.why_stale})",
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
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)
        except FileExistsError:
            return False
        except OSError as exc:
            raise StateError(f"cannot create the lock file {self.path}: {exc.strerror}") from None
        record = {**info.to_dict(), "process_start": self._started(info.pid)}
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(record, sort_keys=True) + "\n")
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
            parsed = _parse(text)
            if parsed is not None:
                info, started = parsed
                why = self._why_dead(info, started)
                return LockStatus(info, bool(why), why)
            if self._monotonic() >= waited_until:
                raise StateError(
                    f"the lock file {self.path} is unreadable",
                    hint="if no apply is running, delete that file by hand",
                )
            self._sleep(POLL_SECONDS / 4)

    def _why_dead(self, info: LockInfo, started: str) -> str:
        """The proof that the holder is dead, or "" when it may be alive."""
        if info.host != self.host:
            return ""  # another machine's processes cannot be seen from here
        if not self._alive(info.pid):
            return f"pid {info.pid} is gone"
        if started and self._started(info.pid) not in ("", started):
            return f"pid {info.pid} now belongs to a process that started later (the pid was reused)"
        return ""

    @contextlib.contextmanager
    def _breaking(self) -> Iterator[None]:
        """Held while a lock is broken: one breaker at a time, released if the breaker dies."""
        guard = self.path.with_name(self.path.name + ".guard")
        try:
            fd = os.open(guard, os.O_RDWR | os.O_CREAT, OWNER_ONLY)
        except OSError as exc:
            raise StateError(f"cannot open {guard}: {exc.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the flock

    def _break_if_still(self, lock_id: str) -> bool:
        """Remove the lock if it is still `lock_id` and still stale; True when this call did."""
        with self._breaking():
            current = self.status()
            if current is None or current.lock.lock_id != lock_id or not current.stale:
                return False
            self.path.unlink(missing_ok=True)
            return True

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
        with self._breaking():
            again = self.status()  # re-read under the guard: it may have changed hands since
            if again is None or again.lock.lock_id != lock_id:
                raise StateError(f"lock {lock_id} was released or broken meanwhile")
            self.path.unlink(missing_ok=True)
        return current.lock


def _parse(text: str) -> tuple[LockInfo, str] | None:
    """The lock and its holder's `process_start` ("" in locks written before it was recorded)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("lock_id"), str):
        return None
    started = data.get("process_start")
    return LockInfo.from_dict(data), started if isinstance(started, str) else ""
