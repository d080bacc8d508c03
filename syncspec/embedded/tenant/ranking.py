"""ERP-tab ranking: ranks are a permutation 1..n per (connection, actor type), changed one step at a time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from syncspec.embedded.tenant.records import NOT_FOUND, actor_type_row, connection_row, require_inactive
from syncspec.model.enums import ErpActorType

if TYPE_CHECKING:
    from syncspec.embedded.tenant.engine import TenantCall


def move(
    s: TenantCall, erp_field_id: int, direction: int, erp_connection_id: int, erp_actor_type: ErpActorType
) -> None:
    conn = connection_row(s, erp_connection_id)
    require_inactive(s, conn)
    actor = actor_type_row(s, erp_connection_id, erp_actor_type)
    actor_id = actor["erpconnectionactortype_id"]
    row = s.db.execute(
        "SELECT ErpFieldKey, Rank FROM ErpField WHERE erpfield_id = ? AND ErpConnectionActorTypeId = ?",
        (erp_field_id, actor_id),
    ).fetchone()
    if row is None:
        s.refuse(
            f"The ERP field {erp_field_id} is not a field of {erp_actor_type} in this connection",
            error_code=NOT_FOUND,
        )
    if direction == 0:
        s.refuse("A move needs a direction: a positive or a negative number")
    # One step per call whatever the magnitude, as the rank dialog's up/down buttons do.
    target = int(row["Rank"]) + (1 if direction > 0 else -1)
    neighbour = s.db.execute(
        "SELECT erpfield_id FROM ErpField WHERE ErpConnectionActorTypeId = ? AND Rank = ?", (actor_id, target)
    ).fetchone()
    if neighbour is None:
        end = "last" if direction > 0 else "first"
        s.refuse(f"The ERP field '{row['ErpFieldKey']}' is already {end} and cannot move further")
    s.db.execute("UPDATE ErpField SET Rank = ? WHERE erpfield_id = ?", (row["Rank"], neighbour[0]))
    s.db.execute("UPDATE ErpField SET Rank = ? WHERE erpfield_id = ?", (target, erp_field_id))
