"""The postgres state backend: advisory locks, and journal and last-applied rows in tables.

Lock: `pg_try_advisory_lock(key)` with `key = tenant_lock_key(schema, tenant)`, where
`tenant` is the target's identity (`local:<tenant file>`, `superoffice:<base URL>`), so every
runner of one tenant queues on one lock whatever its folder, project or environment name.
It is taken on a connection opened for that lock alone and kept open while it is held.
When the holder's process dies its session ends and PostgreSQL releases the lock, so a
killed runner never blocks the next one. The holder's metadata (owner, host, pid,
command, time, lock id, and its project and environment) sits in `syncspec_tenant_locks`;
a row counts only while the session whose backend pid it names still holds the advisory lock.

Journal and last-applied rows are keyed by (project, environment): `state.project` in
syncspec.yaml, default the project folder's name, should be the same on every runner of one
project so they share one history (the lock no longer depends on it).
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from syncspec.model.applied import JsonValue, LastApplied
from syncspec.model.errors import StateError
from syncspec.state.base import LockHeldError, LockInfo, LockStatus
from syncspec.state.pg_connect import PgAddress, lock_key, tenant_lock_key
from syncspec.state.pg_schema import migrate

POLL_SECONDS = 0.1
# Between taking the advisory lock and committing its row, a reader sees a holder with no row.
_ROW_GRACE_SECONDS = 2.0
_MAX_RACES = 50

Connection = psycopg.Connection[tuple[Any, ...]]


class PostgresState:
    """`StateBackend` in a PostgreSQL database; see `syncspec.state.base.StateBackend`."""

    def __init__(
        self,
        address: PgAddress,
        environment: str,
        *,
        tenant: str,
        host: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.address = address
        self.project = address.project
        self._environment = environment
        self.tenant = tenant
        self.host = host or socket.gethostname()
        self._sleep = sleep
        self._monotonic = monotonic
        self._guard = threading.Lock()
        self._held: dict[str, Connection] = {}
        self._db = address.connect()
        try:
            migrate(self._db)
            row = self._db.execute("SELECT current_schema(), current_database()").fetchone()
        except psycopg.Error as exc:
            self._db.close()
            address.fail("prepare its tables", exc)
        self.schema = str(row[0]) if row else "public"
        self.database = str(row[1]) if row else ""
        self.key = tenant_lock_key(self.schema, tenant)
        # serialises `load_records` of one environment's rows (not the apply lock)
        self._records_key = lock_key(self.schema, self.project, environment)
        self._scope = (self.project, environment)

    @property
    def environment(self) -> str:
        return self._environment

    def describe(self) -> str:
        info = self._db.info
        return (
            f"postgres database {self.database!r} on {info.host}:{info.port}, "
            f"schema {self.schema!r}, project {self.project!r}, tenant {self.tenant}"
        )

    # --- lock ------------------------------------------------------------------------
    def acquire_lock(self, *, command: str, owner: str, timeout: float, now: str) -> LockInfo:
        info = LockInfo(
            lock_id=secrets.token_hex(6),
            environment=self._environment,
            owner=owner,
            host=self.host,
            pid=os.getpid(),
            command=command,
            acquired_at=now,
        )
        deadline = self._monotonic() + max(timeout, 0.0)
        connection = self.address.connect()
        races = 0
        try:
            while True:
                if self._try_lock(connection, info):
                    with self._guard:
                        self._held[info.lock_id] = connection
                    return info
                status = self.current_lock()
                if self._monotonic() >= deadline:
                    if status is None and races < _MAX_RACES:
                        races += 1  # released between our attempt and the read: try again at once
                        continue
                    if status is None:
                        raise StateError(
                            f"environment {self._environment!r}: the lock changed hands too often to take it"
                        )
                    raise LockHeldError(
                        status,
                        f"environment {self._environment!r} is locked: {status.lock.describe()}"
                        f"{self._elsewhere(status.lock)}",
                        hint="wait for it to finish, or raise --lock-timeout",
                    )
                self._sleep(POLL_SECONDS)
        except BaseException:
            connection.close()
            raise

    def _try_lock(self, connection: Connection, info: LockInfo) -> bool:
        try:
            row = connection.execute("SELECT pg_try_advisory_lock(%s)", (self.key,)).fetchone()
            if row is None or not row[0]:
                return False
            connection.execute(
                "INSERT INTO syncspec_tenant_locks (tenant, project, environment, lock_id, owner, host,"
                " pid, command, acquired_at, backend_pid)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, pg_backend_pid())"
                " ON CONFLICT (tenant) DO UPDATE SET project = excluded.project,"
                " environment = excluded.environment, lock_id = excluded.lock_id,"
                " owner = excluded.owner, host = excluded.host, pid = excluded.pid,"
                " command = excluded.command, acquired_at = excluded.acquired_at,"
                " backend_pid = excluded.backend_pid",
                (
                    self.tenant,
                    *self._scope,
                    info.lock_id,
                    info.owner,
                    info.host,
                    info.pid,
                    info.command,
                    info.acquired_at,
                ),
            )
        except psycopg.Error as exc:
            self.address.fail("take the lock", exc)
        return True

    def _elsewhere(self, lock: LockInfo) -> str:
        """A note when the holder is another project or environment of this tenant."""
        if lock.environment == self._environment:
            return ""
        return f" (environment {lock.environment!r} of tenant {self.tenant}, which this one shares)"

    def release_lock(self, lock: LockInfo) -> None:
        with self._guard:
            connection = self._held.pop(lock.lock_id, None)
        if connection is None:
            return  # not ours: left alone
        try:
            connection.execute(_DELETE_LOCK, (self.tenant, lock.lock_id))
            connection.execute("SELECT pg_advisory_unlock(%s)", (self.key,))
        except psycopg.Error:
            pass  # closing the session below releases the advisory lock anyway
        finally:
            connection.close()

    def current_lock(self) -> LockStatus | None:
        waited_until = self._monotonic() + _ROW_GRACE_SECONDS
        while True:
            holder, row = self._read_lock()
            if holder is None:
                return None
            if row is not None and row[-1] == holder:
                return LockStatus(_lock_info(row), stale=False)
            if self._monotonic() >= waited_until:
                unknown = LockInfo("unknown", self._environment, "unknown", "unknown", 0, "", "")
                return LockStatus(unknown, stale=False)
            self._sleep(POLL_SECONDS / 4)

    def _read_lock(self) -> tuple[int | None, tuple[Any, ...] | None]:
        """(backend pid holding the advisory lock or None, the metadata row or None)."""
        classid, objid = (self.key >> 32) & 0xFFFFFFFF, self.key & 0xFFFFFFFF
        with self._guard:
            try:
                held = self._db.execute(
                    "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1"
                    " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                    " AND classid::bigint = %s AND objid::bigint = %s",
                    (classid, objid),
                ).fetchone()
                row = self._db.execute(
                    "SELECT project, environment, lock_id, owner, host, pid, command, acquired_at,"
                    " backend_pid FROM syncspec_tenant_locks WHERE tenant = %s",
                    (self.tenant,),
                ).fetchone()
            except psycopg.Error as exc:
                self.address.fail("read the lock", exc)
        return (int(held[0]) if held else None), row

    def break_lock(self, lock_id: str) -> LockInfo:
        holder, row = self._read_lock()
        if holder is None:
            if row is not None and row[2] == lock_id:
                # the holder's session ended without deleting its row: tidy it away
                self._run("remove the lock record", _DELETE_LOCK, (self.tenant, lock_id))
                return _lock_info(row)
            raise StateError(f"environment {self._environment!r} is not locked")
        status = self.current_lock()
        current = status.lock if status else None
        if current is None or current.lock_id != lock_id:
            held_by = current.lock_id if current else "unknown"
            raise StateError(
                f"environment {self._environment!r} is locked by {held_by}, not {lock_id}",
                hint=current.describe() if current else "",
            )
        raise StateError(
            f"lock {lock_id} is held by a running process (pid {current.pid} on {current.host})",
            hint="PostgreSQL releases it when that process's session ends; it cannot be broken by hand",
        )

    # --- journal ---------------------------------------------------------------------
    def append_journal(self, event: Mapping[str, JsonValue]) -> None:
        self._run(
            "write the journal",
            "INSERT INTO syncspec_journal (project, environment, event) VALUES (%s, %s, %s)",
            (*self._scope, Jsonb(dict(event))),
        )

    def read_journal(self) -> list[dict[str, JsonValue]]:
        rows = self._fetch(
            "read the journal",
            "SELECT event FROM syncspec_journal WHERE project = %s AND environment = %s ORDER BY id",
            self._scope,
        )
        return [row[0] for row in rows if isinstance(row[0], dict)]

    # --- last applied ----------------------------------------------------------------
    def read_last_applied(self) -> LastApplied:
        with self._guard:
            try:
                with self._db.transaction():
                    meta = self._db.execute(_READ_META, self._scope).fetchone()
                    rows = self._db.execute(_READ_VALUES, self._scope).fetchall()
            except psycopg.Error as exc:
                self.address.fail("read the last-applied record", exc)
        if meta is None:
            return LastApplied.empty()
        values = {str(address): dict(attributes) for address, attributes in rows}
        return LastApplied(values=values, plan_id=str(meta[0]), applied_at=str(meta[1]))

    def update_last_applied(
        self,
        values: Mapping[str, Mapping[str, JsonValue]],
        *,
        drop: Collection[str] = (),
        plan_id: str,
        applied_at: str,
    ) -> None:
        prefixes = sorted(drop)
        with self._guard:
            try:
                with self._db.transaction():
                    if prefixes:
                        self._db.execute(_DROP_UNDER, (*self._scope, prefixes, prefixes))
                    self._write_values(values, plan_id=plan_id, applied_at=applied_at)
            except psycopg.Error as exc:
                self.address.fail("write the last-applied record", exc)

    def _write_values(
        self, values: Mapping[str, Mapping[str, JsonValue]], *, plan_id: str, applied_at: str
    ) -> None:
        with self._db.cursor() as cursor:
            cursor.executemany(
                _UPSERT_VALUE,
                [(*self._scope, address, Jsonb(dict(attrs))) for address, attrs in values.items()],
            )
        self._db.execute(_UPSERT_META, (*self._scope, plan_id, applied_at))

    # --- moving records in (state migrate) -------------------------------------------
    def load_records(self, journal: Sequence[Mapping[str, JsonValue]], applied: LastApplied) -> None:
        """Write another backend's journal and last-applied record here, all or nothing.

        Refuses when this environment already has records, so a repeated migration
        cannot duplicate the journal.
        """
        with self._guard:
            try:
                with self._db.transaction():
                    self._db.execute("SELECT pg_advisory_xact_lock(%s)", (self._records_key,))
                    existing = self._db.execute(_HAS_RECORDS, (*self._scope, *self._scope)).fetchone()
                    if existing is not None and existing[0]:
                        raise StateError(
                            f"environment {self._environment!r} already has records in {self.describe()}",
                            hint="nothing was moved; migrate into an environment with no records",
                        )
                    with self._db.cursor() as cursor:
                        cursor.executemany(
                            "INSERT INTO syncspec_journal (project, environment, event) VALUES (%s, %s, %s)",
                            [(*self._scope, Jsonb(dict(event))) for event in journal],
                        )
                    if applied.plan_id or applied.applied_at or applied.values:
                        self._write_values(
                            applied.values, plan_id=applied.plan_id, applied_at=applied.applied_at
                        )
            except psycopg.Error as exc:
                self.address.fail("write the migrated records", exc)

    def close(self) -> None:
        with self._guard:
            held = list(self._held)
        for lock_id in held:
            # unlocked explicitly: a closed session's locks go only once the server notices
            self.release_lock(LockInfo(lock_id, self._environment, "", "", 0, "", ""))
        self._db.close()

    def __del__(self) -> None:
        # Some commands drop their backend without close(); end the sessions rather than
        # leave them (and any lock) to the garbage collector's timing.
        database = getattr(self, "_db", None)
        if database is None or database.closed:
            return
        try:
            self.close()
        except Exception:  # a finalizer must not raise (e.g. at interpreter exit)
            return

    # --- helpers ---------------------------------------------------------------------
    def _run(self, doing: str, query: str, params: Sequence[object]) -> None:
        with self._guard:
            try:
                self._db.execute(query.encode("utf-8"), params)
            except psycopg.Error as exc:
                self.address.fail(doing, exc)

    def _fetch(self, doing: str, query: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
        with self._guard:
            try:
                return self._db.execute(query.encode("utf-8"), params).fetchall()
            except psycopg.Error as exc:
                self.address.fail(doing, exc)


_HAS_RECORDS = (
    "SELECT EXISTS (SELECT 1 FROM syncspec_journal WHERE project = %s AND environment = %s)"
    " OR EXISTS (SELECT 1 FROM syncspec_applied WHERE project = %s AND environment = %s)"
)
_DELETE_LOCK = "DELETE FROM syncspec_tenant_locks WHERE tenant = %s AND lock_id = %s"
_READ_META = "SELECT plan_id, applied_at FROM syncspec_applied WHERE project = %s AND environment = %s"
_READ_VALUES = (
    "SELECT address, attributes FROM syncspec_applied_values WHERE project = %s AND environment = %s"
    " ORDER BY address"
)
# `address` equal to a prefix or below it by whole segments (no LIKE: addresses may hold '_' or '%')
_DROP_UNDER = (
    "DELETE FROM syncspec_applied_values WHERE project = %s AND environment = %s"
    " AND (address = ANY(%s::text[])"
    " OR EXISTS (SELECT 1 FROM unnest(%s::text[]) AS p(prefix)"
    " WHERE left(address, length(prefix) + 1) = prefix || '.'))"
)
_UPSERT_VALUE = (
    "INSERT INTO syncspec_applied_values (project, environment, address, attributes) VALUES (%s, %s, %s, %s)"
    " ON CONFLICT (project, environment, address) DO UPDATE SET attributes = excluded.attributes"
)
_UPSERT_META = (
    "INSERT INTO syncspec_applied (project, environment, plan_id, applied_at) VALUES (%s, %s, %s, %s)"
    " ON CONFLICT (project, environment) DO UPDATE SET plan_id = excluded.plan_id,"
    " applied_at = excluded.applied_at"
)


def _lock_info(row: tuple[Any, ...]) -> LockInfo:
    """The holder as its row names it: its environment may be another one of this tenant."""
    _project, environment, lock_id, owner, host, pid, command, acquired_at, _backend = row
    return LockInfo(
        str(lock_id), str(environment), str(owner), str(host), int(pid), str(command), str(acquired_at)
    )
