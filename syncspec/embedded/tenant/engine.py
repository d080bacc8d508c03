"""The embedded tenant: one SQLite file playing SuperOffice's database and NetServer's part.

Every agent call runs inside `Tenant.call(...)`: one transaction (BEGIN IMMEDIATE for
writes), so a refused or failed call leaves nothing behind. Connectors are resolved by
URL, once per open tenant, so a connector keeps its in-memory state (its stored
connection configs) for as long as the tenant is open and loses it on a new open,
which is what exercises the UNKNOWN_CONNECTION_ID re-send path.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import NoReturn

from syncspec.embedded.connectors.base import ErpConnector
from syncspec.embedded.tenant import db as dbmod
from syncspec.embedded.tenant.crm_catalogue import seed_catalogue
from syncspec.embedded.tenant.licence import DEFAULT_LICENCES, require_erp_sync_licence
from syncspec.model.errors import AgentError, TargetError
from syncspec.model.redact import scrub

log = logging.getLogger("syncspec.embedded.tenant")

ConnectorSource = Mapping[str, ErpConnector] | Callable[[str], ErpConnector]


@dataclass
class TenantCall:
    """One call of the embedded tenant (one agent method, archive or list read): the open
    transaction, the tenant, and SuperOffice's method name for refusals. Not a CLI run (`cli.session`)."""

    tenant: Tenant
    db: sqlite3.Connection
    method: str
    # Secret values met during the call; any text a connector sends back is scrubbed of them.
    secrets: set[str] = field(default_factory=set)

    def refuse(self, message: str, *, reasons: Iterable[str] = (), error_code: str = "") -> NoReturn:
        raise AgentError(
            self.method, self.scrub(message), reasons=[self.scrub(r) for r in reasons], error_code=error_code
        )

    def scrub(self, text: str) -> str:
        return scrub(text, self.secrets)

    def connector(self, url: str) -> ErpConnector:
        return self.tenant.connector_for(url, self.method)


class Tenant:
    """An embedded SuperOffice tenant in a SQLite file. Use `create`, `open` or `open_or_create`."""

    def __init__(self, path: Path, db: sqlite3.Connection, connectors: ConnectorSource | None) -> None:
        self.path = path
        self._db = db
        self._source = connectors
        self._connectors: dict[str, ErpConnector] = {}
        # One call at a time per open tenant: sqlite3 connections are not safe to share mid-transaction.
        self._lock = threading.RLock()

    # --- opening ----------------------------------------------------------------------
    @classmethod
    def create(
        cls,
        path: Path,
        *,
        licences: Iterable[str] = DEFAULT_LICENCES,
        connectors: ConnectorSource | None = None,
    ) -> Tenant:
        """A new tenant file with the standard CRM catalogue. Refuses to overwrite an existing file."""
        path = Path(path)
        if path.exists():
            raise TargetError(f"{path}: a tenant file already exists here")
        if not path.parent.is_dir():
            raise TargetError(f"{path}: the folder {path.parent} does not exist")
        dbmod.create_private(path)
        db = dbmod.connect(path)
        try:
            dbmod.migrate(db, path)
            db.execute("BEGIN IMMEDIATE")
            seed_catalogue(db)
            db.execute("DELETE FROM Licence")
            db.executemany("INSERT INTO Licence (name) VALUES (?)", [(n,) for n in sorted(set(licences))])
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            db.close()
            raise
        return cls(path, db, connectors)

    @classmethod
    def open(cls, path: Path, *, connectors: ConnectorSource | None = None) -> Tenant:
        """An existing tenant file, migrated forward if it is older than this code."""
        path = Path(path)
        if not path.is_file():
            raise TargetError(f"{path}: no tenant file here", hint="create it with `syncspec init`")
        dbmod.tighten(path)  # an older syncspec created it readable by others
        try:
            db = dbmod.connect(path)
        except sqlite3.DatabaseError as exc:
            raise _not_a_tenant(path, exc) from exc
        try:
            if dbmod.current_version(db) == 0:
                raise TargetError(f"{path}: not a tenant file (no schema version)")
            dbmod.migrate(db, path)
        except sqlite3.DatabaseError as exc:
            db.close()
            raise _not_a_tenant(path, exc) from exc
        except BaseException:
            db.close()
            raise
        return cls(path, db, connectors)

    @classmethod
    def open_or_create(
        cls,
        path: Path,
        *,
        licences: Iterable[str] = DEFAULT_LICENCES,
        connectors: ConnectorSource | None = None,
    ) -> Tenant:
        path = Path(path)
        if path.exists():
            return cls.open(path, connectors=connectors)
        return cls.create(path, licences=licences, connectors=connectors)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Tenant:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- calls ------------------------------------------------------------------------
    @contextmanager
    def call(self, method: str, *, write: bool, licensed: bool = True) -> Iterator[TenantCall]:
        """Run one agent call in one transaction; any exception rolls everything back."""
        with self._lock:
            db = self._db
            db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            session = TenantCall(self, db, method)
            try:
                if licensed:
                    require_erp_sync_licence(session)
                yield session
            except BaseException as exc:
                self._rollback()
                log.debug("%s refused or failed: %s", method, type(exc).__name__)
                if isinstance(exc, sqlite3.DatabaseError) and dbmod.is_corruption(exc):
                    # a damaged page shows only when a call reads it: every command would fail alike
                    raise TargetError(dbmod.corrupt_message(self.path)) from exc
                raise
            db.execute("COMMIT")
            log.debug("%s done", method)

    def _rollback(self) -> None:
        with contextlib.suppress(sqlite3.DatabaseError):  # a corrupt file can refuse even this
            self._db.execute("ROLLBACK")

    def connector_for(self, url: str, method: str) -> ErpConnector:
        """The connector serving `url`, resolved once per open tenant."""
        found = self._connectors.get(url)
        if found is not None:
            return found
        connector = self._resolve(url, method)
        self._connectors[url] = connector
        return connector

    def _resolve(self, url: str, method: str) -> ErpConnector:
        not_found = AgentError(method, f"The sync connector '{url}' was not found")
        if isinstance(self._source, Mapping):
            if url in self._source:
                return self._source[url]
        elif self._source is not None:
            try:
                return self._source(url)
            except TargetError as exc:
                raise not_found from exc
        # Imported on use: most calls never need a connector.
        from syncspec.embedded.connectors.registry import resolve_connector

        try:
            connector: ErpConnector = resolve_connector(url)
        except TargetError as exc:
            raise not_found from exc
        return connector

    def raw(self) -> sqlite3.Connection:
        """The underlying connection, for read-only inspection (`dump`, tests). Do not write through it."""
        return self._db


def _not_a_tenant(path: Path, exc: sqlite3.DatabaseError) -> TargetError:
    if dbmod.is_corruption(exc, damaged_only=True):
        return TargetError(dbmod.corrupt_message(path))
    # "file is not a database": some other file, or a tenant whose first page is damaged
    return TargetError(f"{path}: not a tenant file ({exc})", hint=dbmod.CORRUPT_HINT)
