"""Connecting to the postgres backend: the DSN from settings or the environment, kept secret.

The DSN may carry a password, so it is never put in a message: every psycopg error is
turned into a `StateError` whose text has the DSN and its password replaced, and is
raised `from None` so no chained exception can show it either.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import psycopg
from psycopg.conninfo import conninfo_to_dict

from syncspec.model.errors import StateError
from syncspec.model.redact import MASK, scrub
from syncspec.spec.loading.interpolate import resolve

DSN_VARIABLE = "SYNCSPEC_PG_DSN"
CONNECT_TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class PgAddress:
    """Where the state lives: a DSN (secret) and the project the rows belong to."""

    dsn: str
    project: str

    def __repr__(self) -> str:  # dataclass repr would print the DSN
        return f"PgAddress(dsn={MASK!r}, project={self.project!r})"

    def secrets(self) -> list[str]:
        """Texts to scrub from messages: the DSN itself and its password."""
        found = [self.dsn]
        try:
            password = conninfo_to_dict(self.dsn).get("password")
        except psycopg.Error:
            password = None
        if isinstance(password, str) and password:
            found.append(password)
        return found

    def scrub(self, text: str) -> str:
        return scrub(text, self.secrets())

    def fail(self, doing: str, exc: BaseException) -> NoReturn:
        detail = self.scrub(str(exc).strip()) or type(exc).__name__
        raise StateError(f"postgres state backend: cannot {doing}: {detail}") from None

    def connect(self) -> psycopg.Connection[tuple[Any, ...]]:
        try:
            conninfo_to_dict(self.dsn)
        except psycopg.Error:
            # libpq's parse errors quote a piece of the string, which may be the password
            raise StateError(
                "postgres state backend: the connection string is malformed (not shown: it may hold secrets)",
                hint="use libpq key=value pairs or a postgresql:// URI, in state.dsn or $SYNCSPEC_PG_DSN",
            ) from None
        try:
            return psycopg.connect(
                self.dsn,
                autocommit=True,
                connect_timeout=CONNECT_TIMEOUT_SECONDS,
                application_name="syncspec",
            )
        except psycopg.Error as exc:
            self.fail("connect", exc)


def address_from_settings(root: Path, settings: Mapping[str, Any], environ: Mapping[str, str]) -> PgAddress:
    """The DSN (`state.dsn`, `${env:...}` resolved, else $SYNCSPEC_PG_DSN) and project name."""
    raw = settings.get("dsn")
    if raw is None:
        dsn = environ.get(DSN_VARIABLE, "")
        if not dsn:
            raise StateError(
                "the postgres state backend needs a connection string",
                hint=f"set state.dsn in syncspec.yaml (e.g. ${{env:{DSN_VARIABLE}}}) or ${DSN_VARIABLE}",
            )
    elif isinstance(raw, str):
        resolved = resolve(raw, env=environ, vars={})
        if resolved.missing:
            names = ", ".join(sorted({str(ref) for ref in resolved.missing}))
            raise StateError(
                f"state.dsn refers to {names}, which is not set",
                hint="set the environment variable before running syncspec",
            )
        dsn = resolved.value
    else:
        raise StateError("state.dsn must be a string", hint="e.g. dsn: ${env:SYNCSPEC_PG_DSN}")
    project = settings.get("project")
    if project is None:
        project = root.name
    if not isinstance(project, str) or not project.strip():
        raise StateError(
            "state.project must name the project",
            hint="a name every runner of this project shares, e.g. project: acme-erp-sync",
        )
    return PgAddress(dsn=dsn, project=project.strip())


def lock_key(schema: str, project: str, environment: str) -> int:
    """A signed 64-bit advisory-lock key for one environment of one project in one schema.

    Hashing all three (with separators that cannot occur inside one field's encoding
    of lengths) keeps two projects, or two schemas of one database, from sharing a lock.
    """
    material = "\0".join(f"{len(part)}:{part}" for part in ("syncspec-lock", schema, project, environment))
    return int.from_bytes(hashlib.sha256(material.encode("utf-8")).digest()[:8], "big", signed=True)


def tenant_lock_key(schema: str, tenant: str) -> int:
    """The advisory-lock key of one tenant (its target identity) in one schema.

    Not derived from the project or environment name: every runner that changes one
    tenant, from whatever folder or environment, queues on the same key.
    """
    material = "\0".join(f"{len(part)}:{part}" for part in ("syncspec-tenant-lock", schema, tenant))
    return int.from_bytes(hashlib.sha256(material.encode("utf-8")).digest()[:8], "big", signed=True)
