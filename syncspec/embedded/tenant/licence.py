"""Licences a tenant holds. ERP Sync needs SuperOffice's Development Tools licence (the Sync tab help)."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from syncspec.embedded.tenant.engine import TenantCall

ERP_SYNC_LICENCE = "Development Tools"
DEFAULT_LICENCES: frozenset[str] = frozenset({ERP_SYNC_LICENCE})

REFUSAL = (
    "ERP Sync requires the Development Tools licence. Ask your SuperOffice administrator to "
    "add the licence to this installation."
)


def licences(db: sqlite3.Connection) -> list[str]:
    return [str(row[0]) for row in db.execute("SELECT name FROM Licence ORDER BY name")]


def require_erp_sync_licence(session: TenantCall) -> None:
    row = session.db.execute("SELECT 1 FROM Licence WHERE name = ?", (ERP_SYNC_LICENCE,)).fetchone()
    if row is None:
        session.refuse(REFUSAL, error_code="LicenceMissing")
