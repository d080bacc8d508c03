"""A full, comparable dump of a tenant's tables (tests compare before/after to prove nothing changed).

Password-typed config values are replaced by a keyed fingerprint: two dumps taken in one
process compare equal exactly when the secret is unchanged, yet the dump never holds it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING, Any

from syncspec.model.enums import FieldMetadataType

if TYPE_CHECKING:
    from syncspec.embedded.tenant.engine import Tenant

_KEY = secrets.token_bytes(32)  # per process: fingerprints cannot be compared across runs or reversed


def fingerprint(value: str) -> str:
    return "secret:" + hmac.new(_KEY, value.encode("utf-8"), hashlib.sha256).hexdigest()[:16]


def dump(tenant: Tenant) -> dict[str, list[dict[str, Any]]]:
    """Every table, every row (ordered by primary key), as plain dicts."""
    db = tenant.raw()
    tables = [
        str(r[0])
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    result: dict[str, list[dict[str, Any]]] = {}
    for table in tables:
        rows = [dict(r) for r in db.execute(f'SELECT * FROM "{table}" ORDER BY rowid')]
        if table == "ConnectionConfigField":
            for row in rows:
                if row["FieldType"] == FieldMetadataType.PASSWORD.value and row["FieldValue"]:
                    row["FieldValue"] = fingerprint(str(row["FieldValue"]))
        result[table] = rows
    return result
