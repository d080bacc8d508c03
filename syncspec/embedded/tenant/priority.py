"""Sync priority between connections: an order over all non-deleted connections, saved as a whole list.

Connections the saved list leaves out keep their relative order after the listed ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from syncspec.embedded.tenant.engine import TenantCall


def get_priorities(s: TenantCall) -> list[int]:
    rows = s.db.execute(
        "SELECT erpconnection_id FROM ErpConnection WHERE Deleted = 0 ORDER BY SyncPriority, erpconnection_id"
    )
    return [int(r[0]) for r in rows]


def save_priorities(s: TenantCall, erp_connection_ids: Sequence[int]) -> bool:
    current = get_priorities(s)
    known = set(current)
    seen: set[int] = set()
    for conn_id in erp_connection_ids:
        if conn_id not in known:
            s.refuse(f"The ERP connection {conn_id} does not exist")
        if conn_id in seen:
            s.refuse(f"The ERP connection {conn_id} is listed twice")
        seen.add(conn_id)
    order = [*erp_connection_ids, *(c for c in current if c not in seen)]
    s.db.executemany(
        "UPDATE ErpConnection SET SyncPriority = ? WHERE erpconnection_id = ?",
        [(rank, conn_id) for rank, conn_id in enumerate(order, start=1)],
    )
    return True
