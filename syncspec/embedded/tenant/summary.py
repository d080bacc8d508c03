"""GetErpSyncConnectionSummary and GetCrmActorType: which actor types a connection has, and their CRM side."""

from __future__ import annotations

from typing import TYPE_CHECKING

from syncspec.embedded.tenant.records import actor_type_row, connection_row
from syncspec.model.enums import CrmActorType, ErpActorType
from syncspec.targets.carriers import ErpSyncActorSummary, ErpSyncConnectionSummary

if TYPE_CHECKING:
    from syncspec.embedded.tenant.engine import TenantCall


def connection_summary(s: TenantCall, erp_sync_connection_id: int) -> ErpSyncConnectionSummary:
    conn = connection_row(s, erp_sync_connection_id)
    rows = s.db.execute(
        "SELECT a.ActorTypeErp, EXISTS (SELECT 1 FROM ErpField f WHERE f.ErpConnectionActorTypeId = "
        "a.erpconnectionactortype_id AND f.CrmFieldKey <> '') AS HasMappings "
        "FROM ErpConnectionActorType a WHERE a.ErpConnectionId = ? ORDER BY a.erpconnectionactortype_id",
        (erp_sync_connection_id,),
    ).fetchall()
    return ErpSyncConnectionSummary(
        display_name=conn["DisplayName"],
        display_description=conn["DisplayDescription"] or "",
        # the embedded tenant never synchronises: its last sync is the connector's timestamp, if any
        last_sync=conn["MostRecentTimestamp"] or "",
        active=bool(conn["Active"]),
        deleted=bool(conn["Deleted"]),
        actors=[
            ErpSyncActorSummary(
                actor_type=ErpActorType(r["ActorTypeErp"]), has_mappings=bool(r["HasMappings"])
            )
            for r in rows
        ],
    )


def crm_actor_type(s: TenantCall, erp_connection_id: int, erp_actor_type: ErpActorType) -> CrmActorType:
    connection_row(s, erp_connection_id)
    actor = actor_type_row(s, erp_connection_id, erp_actor_type)
    return CrmActorType(actor["ActorTypeCrm"] or CrmActorType.UNKNOWN.value)
