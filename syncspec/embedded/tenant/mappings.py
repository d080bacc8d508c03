"""Actor-type mappings: one ERP actor type's IsActive flag and the mapping columns of its ErpField rows.

Saves refuse only what SuperOffice documents (docs/rules.md, tenant rules). syncspec's own
stricter checks (its type matrix, a direction on a field the ERP no longer has) are
`validate` errors (SS304, SS302), not refusals here.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from syncspec.embedded.tenant.records import actor_type_row, connection_row, require_inactive
from syncspec.model.enums import CrmActorType, ErpActorType, FieldAccess, FieldMetadataType
from syncspec.targets.carriers import ErpSyncActorTypeMapping, ErpSyncFieldMapping

if TYPE_CHECKING:
    from syncspec.embedded.tenant.engine import TenantCall

# AlreadyMapped: "Is this ERPField already mapped in some other connection? If so, then it
# cannot be one-way mapped TO SuperOffice here" (ErpSyncFieldMapping). ERP field rows belong
# to one connection each, so what two connections share is the SuperOffice field; "mapped"
# means synchronised in either direction (auto-mapping leaves direction-less rows that move
# no data).
_SYNCED_ELSEWHERE = (
    "SELECT 1 FROM ErpField f JOIN ErpConnectionActorType a "
    "ON a.erpconnectionactortype_id = f.ErpConnectionActorTypeId "
    "JOIN ErpConnection c ON c.erpconnection_id = a.ErpConnectionId "
    "WHERE c.Deleted = 0 AND c.erpconnection_id <> ? AND f.CrmFieldKey = ? "
    "AND (f.SyncToCrm = 1 OR f.SyncToErp = 1) LIMIT 1"
)


def _crm_field(db: sqlite3.Connection, key: str, crm_actor: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = db.execute(
        "SELECT f.*, l.list_reference FROM CrmField f LEFT JOIN CrmList l ON l.name = f.list_name "
        "WHERE f.field_key = ? AND f.crm_actor_type = ?",
        (key, crm_actor),
    ).fetchone()
    return row


def _already_mapped(db: sqlite3.Connection, conn_id: int, crm_key: str) -> bool:
    return bool(crm_key) and db.execute(_SYNCED_ELSEWHERE, (conn_id, crm_key)).fetchone() is not None


def get_actor_type_mapping(
    s: TenantCall, erp_connection_id: int, actor_type: ErpActorType
) -> ErpSyncActorTypeMapping:
    connection_row(s, erp_connection_id)
    actor = actor_type_row(s, erp_connection_id, actor_type)
    crm_actor = str(actor["ActorTypeCrm"] or CrmActorType.UNKNOWN.value)
    mappings: list[ErpSyncFieldMapping] = []
    for f in s.db.execute(
        "SELECT * FROM ErpField WHERE ErpConnectionActorTypeId = ? ORDER BY Rank",
        (actor["erpconnectionactortype_id"],),
    ).fetchall():
        crm_key = str(f["CrmFieldKey"])
        crm = _crm_field(s.db, crm_key, crm_actor) if crm_key else None
        mappings.append(
            ErpSyncFieldMapping(
                erp_field_id=f["erpfield_id"],
                erp_field_key=f["ErpFieldKey"],
                crm_field_key=crm_key,
                sync_to_crm=bool(f["SyncToCrm"]),
                sync_to_erp=bool(f["SyncToErp"]),
                show_in_gui=bool(f["ShowInGui"]),
                show_in_search=bool(f["ShowInSearch"]),
                crm_display_name=str(crm["display_name"]) if crm is not None else "",
                erp_display_name=f["DisplayName"],
                erp_display_tooltip=f["DisplayDescription"],
                field_type=FieldMetadataType(f["FieldType"]),
                access=FieldAccess(f["Access"]),
                list_reference=f["ListReference"],
                already_mapped=_already_mapped(s.db, erp_connection_id, crm_key),
                MissingInERP=bool(f["MissingInERP"]),
                MissingInCRM=bool(crm_key) and crm is None,
            )
        )
    return ErpSyncActorTypeMapping(
        erp_connection_id=erp_connection_id,
        is_active=bool(actor["IsActive"]),
        field_mappings=mappings,
        actor_type_erp=ErpActorType(actor["ActorTypeErp"]),
        actor_type_crm=CrmActorType(crm_actor),
    )


def _problems(
    s: TenantCall, conn_id: int, crm_actor: str, row: sqlite3.Row, m: ErpSyncFieldMapping
) -> tuple[list[str], sqlite3.Row | None]:
    label = f"ERP field '{row['DisplayName'] or row['ErpFieldKey']}' ({row['ErpFieldKey']})"
    crm_key = m.crm_field_key.strip()
    direction = m.sync_to_crm or m.sync_to_erp
    found: list[str] = []
    if direction and not crm_key:
        return [f"{label}: choose a SuperOffice field before choosing a sync direction"], None
    if m.sync_to_erp and row["Access"] == FieldAccess.READ_ONLY.value:
        found.append(f"{label}: the field is read-only in the ERP system and cannot be synchronised to it")
    if not crm_key:
        return found, None
    crm = _crm_field(s.db, crm_key, crm_actor)
    if crm is None:
        found.append(f"{label}: the SuperOffice field '{crm_key}' does not exist for {crm_actor}")
        return found, None
    found += _crm_side_problems(s, conn_id, label, row, crm, m)
    return found, crm


def _crm_side_problems(
    s: TenantCall, conn_id: int, label: str, row: sqlite3.Row, crm: sqlite3.Row, m: ErpSyncFieldMapping
) -> list[str]:
    """What the chosen SuperOffice field forbids in this mapping."""
    crm_key = m.crm_field_key.strip()
    found = []
    if m.sync_to_crm and crm["read_only"]:
        found.append(f"{label}: the SuperOffice field '{crm_key}' is read-only and cannot receive values")
    if m.sync_to_crm and m.sync_to_erp and _checkbox_and_text(row, crm):
        # The one type rule SuperOffice states: "if you have a checkbox field, you can't have
        # bi-directional sync to a text field, since the information would be lost".
        found.append(
            f"{label}: a Checkbox ERP field and a Text CRM field cannot synchronise both ways ('{crm_key}')"
        )
    if m.sync_to_crm and not m.sync_to_erp and _already_mapped(s.db, conn_id, crm_key):
        found.append(
            f"{label}: '{crm_key}' is already mapped in another ERP connection, so it cannot be "
            "one-way mapped to SuperOffice here"
        )
    return found


def _checkbox_and_text(row: sqlite3.Row, crm: sqlite3.Row) -> bool:
    return bool(
        row["FieldType"] == FieldMetadataType.CHECKBOX.value
        and crm["field_type"] == FieldMetadataType.TEXT.value
    )


def _row_for(
    s: TenantCall,
    mapping: ErpSyncActorTypeMapping,
    m: ErpSyncFieldMapping,
    by_key: dict[str, sqlite3.Row],
    by_id: dict[int, sqlite3.Row],
) -> tuple[sqlite3.Row | None, str]:
    """The stored row a field mapping names by its ErpFieldId, or why there is none."""
    if m.erp_field_id:
        row = by_id.get(m.erp_field_id)
        if row is None:
            return (
                None,
                f"ErpFieldId {m.erp_field_id} is not a field of {mapping.actor_type_erp} in this connection",
            )
        if row["ErpFieldKey"] != m.erp_field_key:
            return None, (
                f"ErpFieldId {m.erp_field_id} is the ERP field '{row['ErpFieldKey']}', "
                f"not '{m.erp_field_key}'"
            )
        return row, ""
    # "New mapping rows will be created in the database if needed": an id of 0 asks for a new
    # ErpField row, which UNIQUE(ErpConnectionActorTypeId, ErpFieldKey) forbids for a known key.
    if m.erp_field_key in by_key:
        return None, (
            f"ErpFieldId 0 asks for a new row for the ERP field '{m.erp_field_key}', which "
            f"{mapping.actor_type_erp} already has (id {by_key[m.erp_field_key]['erpfield_id']}): "
            "send the field's ErpFieldId to change its mapping"
        )
    return None, (
        f"Unknown ERP field '{m.erp_field_key}' for {mapping.actor_type_erp}: ERP fields come "
        "from the sync connector and cannot be added"
    )


def save_actor_type_mapping(s: TenantCall, mapping: ErpSyncActorTypeMapping) -> ErpSyncActorTypeMapping:
    """Store the carrier as sent, display names and tooltips excepted ("ignored on Save").

    Rows are found by ErpFieldId; FieldType, Access and the actor's CRM actor type are stored
    as sent, so a carrier built from scratch instead of read first changes them visibly.
    AlreadyMapped, MissingInERP, MissingInCRM and ListReference are the tenant's own findings.
    """
    conn = connection_row(s, mapping.erp_connection_id)
    require_inactive(s, conn)
    actor = actor_type_row(s, mapping.erp_connection_id, mapping.actor_type_erp)
    crm_actor = mapping.actor_type_crm.value
    stored = s.db.execute(
        "SELECT * FROM ErpField WHERE ErpConnectionActorTypeId = ?", (actor["erpconnectionactortype_id"],)
    ).fetchall()
    by_key = {str(r["ErpFieldKey"]): r for r in stored}
    by_id = {int(r["erpfield_id"]): r for r in stored}
    problems: list[str] = []
    planned: list[tuple[sqlite3.Row, ErpSyncFieldMapping, sqlite3.Row | None]] = []
    seen: set[str] = set()
    for m in mapping.field_mappings:
        row, why = _row_for(s, mapping, m, by_key, by_id)
        if row is None:
            problems.append(why)
            continue
        if m.erp_field_key in seen:
            problems.append(f"The ERP field '{m.erp_field_key}' is listed twice")
            continue
        seen.add(m.erp_field_key)
        found, crm = _problems(s, mapping.erp_connection_id, crm_actor, row, m)
        problems.extend(found)
        planned.append((row, m, crm))
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        s.refuse(problems[0] + more, reasons=problems)
    s.db.execute(
        "UPDATE ErpConnectionActorType SET IsActive = ?, ActorTypeCrm = ? "
        "WHERE erpconnectionactortype_id = ?",
        (int(mapping.is_active), crm_actor, actor["erpconnectionactortype_id"]),
    )
    for row, m, crm in planned:
        crm_key = m.crm_field_key.strip()
        reference = str(crm["list_reference"] or "") if crm is not None else ""
        if crm_key != row["CrmFieldKey"]:
            # List item mappings point into the old CRM field's list: they mean nothing now.
            s.db.execute("DELETE FROM ErpListItemMapping WHERE ErpFieldId = ?", (row["erpfield_id"],))
        s.db.execute(
            "UPDATE ErpField SET CrmFieldKey = ?, SyncToCrm = ?, SyncToErp = ?, ShowInGui = ?, "
            "ShowInSearch = ?, ListReference = ?, FieldType = ?, Access = ? WHERE erpfield_id = ?",
            (
                crm_key,
                int(m.sync_to_crm),
                int(m.sync_to_erp),
                int(m.show_in_gui),
                int(m.show_in_search),
                reference,
                m.field_type.value,
                m.access.value,
                row["erpfield_id"],
            ),
        )
    return get_actor_type_mapping(s, mapping.erp_connection_id, mapping.actor_type_erp)
