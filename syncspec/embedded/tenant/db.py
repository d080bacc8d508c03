"""The tenant's SQLite schema, its forward migrations, and how a file is opened.

Tables and column names follow SuperOffice's (ErpConnector, ErpConnection, ErpField...);
see docs/tenant.md. Enum columns hold SuperOffice's enum *names* (e.g. 'Customer',
'Mandatory') rather than its integers, so a dump reads without a lookup table.
Migrations are numbered SQL steps applied in order; a file records how far it got in
`schema_version`, so opening an older file brings it forward and a newer one is refused.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from syncspec.model.errors import TargetError

BUSY_TIMEOUT_MS = 15_000

_V1 = """
CREATE TABLE schema_version (version INTEGER NOT NULL);

CREATE TABLE Associate (
    associate_id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE UserGroup (
    usergroup_id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE CrmList (
    crmlist_id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    list_reference TEXT NOT NULL
);
CREATE TABLE CrmListItem (
    crmlistitem_id INTEGER PRIMARY KEY,
    crmlist_id INTEGER NOT NULL REFERENCES CrmList(crmlist_id),
    item_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    rank INTEGER NOT NULL DEFAULT 0,
    extra_info TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0,
    UNIQUE (crmlist_id, item_id)
);
CREATE TABLE CrmField (
    crmfield_id INTEGER PRIMARY KEY,
    field_key TEXT NOT NULL UNIQUE,
    crm_actor_type TEXT NOT NULL,
    display_name TEXT NOT NULL,
    field_type TEXT NOT NULL,
    read_only INTEGER NOT NULL DEFAULT 0,
    list_name TEXT NOT NULL DEFAULT ''
);
CREATE TABLE CrmAutoMap (
    crm_actor_type TEXT NOT NULL,
    erp_field_key TEXT NOT NULL,      -- upper case; matching is case-insensitive
    crm_field_key TEXT NOT NULL,
    PRIMARY KEY (crm_actor_type, erp_field_key)
);

CREATE TABLE ErpConnector (
    erpconnector_id INTEGER PRIMARY KEY AUTOINCREMENT,
    URL TEXT NOT NULL DEFAULT '',
    DisplayName TEXT NOT NULL DEFAULT '',
    Deleted INTEGER NOT NULL DEFAULT 0,
    ConfigXml TEXT NOT NULL DEFAULT ''
);
CREATE TABLE ErpConnection (
    erpconnection_id INTEGER PRIMARY KEY AUTOINCREMENT,
    ErpConnectorId INTEGER NOT NULL REFERENCES ErpConnector(erpconnector_id),
    DisplayName TEXT NOT NULL DEFAULT '',
    DisplayDescription TEXT NOT NULL DEFAULT '',
    Active INTEGER NOT NULL DEFAULT 0,
    ConnectionId TEXT NOT NULL UNIQUE,
    MostRecentTimestamp TEXT NOT NULL DEFAULT '',
    AllAccess INTEGER NOT NULL DEFAULT 1,
    Deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ErpConnection_connector ON ErpConnection (ErpConnectorId);
CREATE TABLE ConnectionConfigField (
    connectionconfigfield_id INTEGER PRIMARY KEY,
    ErpConnectionId INTEGER NOT NULL REFERENCES ErpConnection(erpconnection_id),
    FieldKey TEXT NOT NULL,
    FieldValue TEXT NOT NULL DEFAULT '',
    FieldType TEXT NOT NULL DEFAULT 'Text',  -- not in SuperOffice's table: lets reads mask secrets offline
    UNIQUE (ErpConnectionId, FieldKey)
);
CREATE TABLE ErpConnectionAccess (
    erpconnectionaccess_id INTEGER PRIMARY KEY,
    ErpConnectionId INTEGER NOT NULL REFERENCES ErpConnection(erpconnection_id),
    AssociateId INTEGER REFERENCES Associate(associate_id),
    UserGroupId INTEGER REFERENCES UserGroup(usergroup_id),
    CanConnect INTEGER NOT NULL DEFAULT 1,
    CanCreateERP INTEGER NOT NULL DEFAULT 1,
    CHECK ((AssociateId IS NULL) <> (UserGroupId IS NULL))
);
CREATE TABLE ErpConnectionActorType (
    erpconnectionactortype_id INTEGER PRIMARY KEY,
    ErpConnectionId INTEGER NOT NULL REFERENCES ErpConnection(erpconnection_id),
    ActorTypeErp TEXT NOT NULL,
    ActorTypeCrm TEXT,
    IsActive INTEGER NOT NULL DEFAULT 0,
    UNIQUE (ErpConnectionId, ActorTypeErp)
);
CREATE INDEX ErpConnectionActorType_crm ON ErpConnectionActorType (ErpConnectionId, ActorTypeCrm);
CREATE TABLE ErpField (
    erpfield_id INTEGER PRIMARY KEY,
    ErpConnectionActorTypeId INTEGER NOT NULL
        REFERENCES ErpConnectionActorType(erpconnectionactortype_id),
    ErpFieldKey TEXT NOT NULL,
    DisplayName TEXT NOT NULL DEFAULT '',
    DisplayDescription TEXT NOT NULL DEFAULT '',
    FieldType TEXT NOT NULL,
    ListName TEXT NOT NULL DEFAULT '',
    DefaultValue TEXT NOT NULL DEFAULT '',
    MaxLength INTEGER NOT NULL DEFAULT 0,
    Access TEXT NOT NULL DEFAULT 'Normal',
    HasFirstSyncDefaultValue INTEGER NOT NULL DEFAULT 0,
    FirstSyncDefaultValue TEXT NOT NULL DEFAULT '',
    PromptUser INTEGER NOT NULL DEFAULT 0,
    Mandatory INTEGER NOT NULL DEFAULT 0,
    CrmFieldKey TEXT NOT NULL DEFAULT '',
    SyncToCrm INTEGER NOT NULL DEFAULT 0,
    SyncToErp INTEGER NOT NULL DEFAULT 0,
    ShowInGui INTEGER NOT NULL DEFAULT 0,
    ShowInSearch INTEGER NOT NULL DEFAULT 0,
    Rank INTEGER NOT NULL,
    ListReference TEXT NOT NULL DEFAULT '',
    MissingInERP INTEGER NOT NULL DEFAULT 0,
    UNIQUE (ErpConnectionActorTypeId, ErpFieldKey)
);
CREATE TABLE ErpListItemMapping (
    erplistitemmapping_id INTEGER PRIMARY KEY,
    ErpFieldId INTEGER NOT NULL REFERENCES ErpField(erpfield_id),
    ErpItemKey TEXT NOT NULL,
    CrmItemKey INTEGER,
    UNIQUE (ErpFieldId, ErpItemKey)
);
"""

# Version 2: licences (a version-1 tenant predates them and keeps working: it is granted
# the ERP sync licence), the sync priority order, and searchable flags from discovery.
_V2 = """
CREATE TABLE Licence (name TEXT PRIMARY KEY);
INSERT INTO Licence (name) VALUES ('Development Tools');
ALTER TABLE ErpConnection ADD COLUMN SyncPriority INTEGER NOT NULL DEFAULT 0;
UPDATE ErpConnection SET SyncPriority = erpconnection_id;
ALTER TABLE ErpField ADD COLUMN Searchable INTEGER NOT NULL DEFAULT 0;
"""

# Version 3: the agent side names the date type `Date` (FieldMetadataType = 6); older files
# stored the connector side's `Datetime`.
_V3 = """
UPDATE CrmField SET field_type = 'Date' WHERE field_type = 'Datetime';
UPDATE ConnectionConfigField SET FieldType = 'Date' WHERE FieldType = 'Datetime';
UPDATE ErpField SET FieldType = 'Date' WHERE FieldType = 'Datetime';
"""

# Version 4: the sync engine's settings (Sync tab: automatic sync off, a five-minute interval).
_V4 = """
CREATE TABLE SyncEngine (
    syncengine_id INTEGER PRIMARY KEY CHECK (syncengine_id = 1),
    IsRunning INTEGER NOT NULL DEFAULT 0,
    Interval TEXT NOT NULL DEFAULT '00:05:00'
);
INSERT INTO SyncEngine (syncengine_id, IsRunning, Interval) VALUES (1, 0, '00:05:00');
"""

# Version 5: indexes for the lookups every mapping read makes. AlreadyMapped asks, per field,
# whether another connection syncs the same CRM field (`CrmFieldKey`); without an index that
# scanned every field of every connection, so reading N connections cost O(N^2).
_V5 = """
CREATE INDEX ErpField_crm_key ON ErpField (CrmFieldKey);
CREATE INDEX ErpConnectionAccess_connection ON ErpConnectionAccess (ErpConnectionId);
"""

MIGRATIONS: tuple[str, ...] = (_V1, _V2, _V3, _V4, _V5)
SCHEMA_VERSION = len(MIGRATIONS)


# SQLite's primary result codes for a damaged file.
_SQLITE_CORRUPT = 11  # "database disk image is malformed"
_SQLITE_NOTADB = 26  # "file is not a database"
CORRUPT_HINT = "restore it from a backup, or move it away and run `syncspec init` for a new, empty tenant"


def is_corruption(exc: sqlite3.Error, *, damaged_only: bool = False) -> bool:
    """True for "database disk image is malformed" (and "file is not a database" unless
    `damaged_only`).

    Only these: a constraint failure or a busy database is a DatabaseError subclass too,
    and means something else entirely.
    """
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        codes = (_SQLITE_CORRUPT,) if damaged_only else (_SQLITE_CORRUPT, _SQLITE_NOTADB)
        return code & 0xFF in codes
    return type(exc) is sqlite3.DatabaseError and not damaged_only  # no error codes: the bare class


def corrupt_message(path: Path) -> str:
    return f"{path} is not a valid tenant database (corrupt?): {CORRUPT_HINT}"


def create_private(path: Path) -> None:
    """Create the empty tenant file owner-only (0600) before SQLite opens it.

    It holds the ERP connection's password, as SuperOffice's own database does. SQLite
    gives its -wal and -shm files the database file's permissions.
    """
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def tighten(path: Path) -> None:
    """Drop group and other permissions from an existing tenant file and its companions."""
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            mode = stat.S_IMODE(file.stat().st_mode)
            if mode & 0o077:
                file.chmod(mode & 0o700)
        except OSError:
            continue  # not there (no -wal yet), or not ours to change: SQLite reports real problems


def connect(path: Path) -> sqlite3.Connection:
    """Open a tenant file with the settings every call relies on (autocommit; we BEGIN ourselves)."""
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
    db.row_factory = sqlite3.Row
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    return db


def current_version(db: sqlite3.Connection) -> int:
    has_table = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if has_table is None:
        return 0
    row = db.execute("SELECT version FROM schema_version").fetchone()
    return int(row[0]) if row is not None else 0


def migrate(db: sqlite3.Connection, path: Path, *, upto: int = SCHEMA_VERSION) -> int:
    """Bring the file forward to `upto` in one transaction; returns the version it had before."""
    db.execute("BEGIN IMMEDIATE")
    try:
        before = current_version(db)
        if before > SCHEMA_VERSION:
            raise TargetError(
                f"{path}: the tenant file has schema version {before}, newer than this syncspec "
                f"understands ({SCHEMA_VERSION})",
                hint="upgrade syncspec to open this tenant",
            )
        for version in range(before + 1, upto + 1):
            for statement in _statements(MIGRATIONS[version - 1]):
                db.execute(statement)
            if version == 1:
                db.execute("INSERT INTO schema_version (version) VALUES (1)")
            else:
                db.execute("UPDATE schema_version SET version = ?", (version,))
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return before


def _statements(script: str) -> list[str]:
    # sqlite3's executescript would commit our transaction; split on complete statements instead.
    found: list[str] = []
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            found.append(pending.strip())
            pending = ""
    if pending.strip():
        found.append(pending.strip())
    return found
