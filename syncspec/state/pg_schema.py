"""The postgres backend's tables, created and upgraded by numbered, idempotent steps.

`syncspec_schema_version` lists the steps applied. `migrate` runs inside one transaction
that first takes a transaction-scoped advisory lock, so two runners starting at once
queue behind each other: the second finds every step recorded and does nothing.
Every step is also written to be harmless when repeated (`IF NOT EXISTS`).
"""

from __future__ import annotations

import hashlib

import psycopg

# A fixed key: every syncspec process upgrading this database serialises on it.
MIGRATION_LOCK_KEY = int.from_bytes(
    hashlib.sha256(b"syncspec schema migration").digest()[:8], "big", signed=True
)

STEPS: tuple[tuple[int, str], ...] = (
    (
        1,
        """
        CREATE TABLE IF NOT EXISTS syncspec_locks (
            project      text NOT NULL,
            environment  text NOT NULL,
            lock_id      text NOT NULL,
            owner        text NOT NULL,
            host         text NOT NULL,
            pid          integer NOT NULL,
            command      text NOT NULL,
            acquired_at  text NOT NULL,
            backend_pid  integer NOT NULL,
            PRIMARY KEY (project, environment)
        );
        CREATE TABLE IF NOT EXISTS syncspec_journal (
            id           bigserial PRIMARY KEY,
            project      text NOT NULL,
            environment  text NOT NULL,
            event        jsonb NOT NULL
        );
        CREATE INDEX IF NOT EXISTS syncspec_journal_env ON syncspec_journal (project, environment, id);
        CREATE TABLE IF NOT EXISTS syncspec_applied (
            project      text NOT NULL,
            environment  text NOT NULL,
            plan_id      text NOT NULL,
            applied_at   text NOT NULL,
            PRIMARY KEY (project, environment)
        );
        CREATE TABLE IF NOT EXISTS syncspec_applied_values (
            project      text NOT NULL,
            environment  text NOT NULL,
            address      text NOT NULL,
            attributes   jsonb NOT NULL,
            PRIMARY KEY (project, environment, address)
        );
        """,
    ),
    (
        2,
        # The lock belongs to the tenant, not to (project, environment): two checkouts of
        # one repository, or two environments naming one tenant, must exclude each other.
        # `syncspec_locks` stays for runners of older versions until every runner is upgraded.
        """
        CREATE TABLE IF NOT EXISTS syncspec_tenant_locks (
            tenant       text PRIMARY KEY,
            project      text NOT NULL,
            environment  text NOT NULL,
            lock_id      text NOT NULL,
            owner        text NOT NULL,
            host         text NOT NULL,
            pid          integer NOT NULL,
            command      text NOT NULL,
            acquired_at  text NOT NULL,
            backend_pid  integer NOT NULL
        );
        """,
    ),
)
LATEST = STEPS[-1][0]


def migrate(connection: psycopg.Connection[tuple[object, ...]]) -> list[int]:
    """Bring the schema up to `LATEST`; returns the step numbers this call applied."""
    applied: list[int] = []
    with connection.transaction():
        connection.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK_KEY,))
        connection.execute(
            "CREATE TABLE IF NOT EXISTS syncspec_schema_version ("
            " version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        row = connection.execute("SELECT coalesce(max(version), 0) FROM syncspec_schema_version").fetchone()
        current = int(str(row[0])) if row is not None else 0
        for version, sql in STEPS:
            if version <= current:
                continue
            connection.execute(sql.encode("utf-8"))
            connection.execute("INSERT INTO syncspec_schema_version (version) VALUES (%s)", (version,))
            applied.append(version)
    return applied


def schema_version(connection: psycopg.Connection[tuple[object, ...]]) -> int:
    """The highest step recorded (0 before the first migration)."""
    exists = connection.execute("SELECT to_regclass('syncspec_schema_version') IS NOT NULL").fetchone()
    if exists is None or not exists[0]:
        return 0
    row = connection.execute("SELECT coalesce(max(version), 0) FROM syncspec_schema_version").fetchone()
    return int(str(row[0])) if row is not None else 0
