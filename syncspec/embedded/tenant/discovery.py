"""Discovery: what a connection's connector offers, cached on ErpConnectionActorType and ErpField rows.

New fields are appended after the existing ones (ranks stay 1..n per actor type) and
auto-mapped by name without a direction (docs/domain.md, R-F10). Fields the connector no
longer reports keep their row and mapping but get MissingInERP, so an admin sees what
to unmap; a field that comes back loses the flag.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from syncspec.embedded.connectors.base import FieldMetadataInfo
from syncspec.embedded.tenant.calls import ConnectorCall, ask, require_ok
from syncspec.model.compat import compatibility
from syncspec.model.enums import CRM_ACTOR_FOR_ERP, CrmActorType, ErpActorType, FieldAccess, FieldMetadataType

if TYPE_CHECKING:
    from syncspec.embedded.tenant.engine import TenantCall

# Employee and Sale exist in SuperOffice's enum but are "not currently supported in Erp Sync".
_UNSUPPORTED = {ErpActorType.EMPLOYEE.value, ErpActorType.SALE.value, ErpActorType.UNKNOWN.value}


def discover(s: TenantCall, connection: sqlite3.Row) -> None:
    """Ask the connector for actor types and fields and bring the cached rows up to date."""
    conn_id = int(connection["erpconnection_id"])
    offered = require_ok(
        s,
        ask(s, connection, lambda c, g: c.get_supported_actor_types(g)),
        "The sync connector could not list its actor types",
    ).items
    actor_types: list[ErpActorType] = []
    for name in offered:
        if name in _UNSUPPORTED:
            continue
        try:
            actor = ErpActorType(name)
        except ValueError:
            s.refuse(f"The sync connector reported an unknown actor type '{name}'")
        if actor not in actor_types:
            actor_types.append(actor)
    for actor in actor_types:
        name = actor.value
        fields = require_ok(
            s,
            ask(s, connection, _fields_of(name)),
            f"The sync connector could not list the fields of {name}",
        ).field_metadata
        searchable = require_ok(
            s,
            ask(s, connection, _searchable_of(name)),
            f"The sync connector could not list the searchable fields of {name}",
        ).items
        actor_row_id = _ensure_actor_type(s.db, conn_id, actor)
        _refresh_fields(s, actor_row_id, CRM_ACTOR_FOR_ERP[actor], fields, set(searchable))
    # Actor types the connector stopped offering keep their rows; all their fields are now missing.
    placeholders = ",".join("?" for _ in actor_types) or "''"
    s.db.execute(
        "UPDATE ErpField SET MissingInERP = 1 WHERE ErpConnectionActorTypeId IN ("
        "SELECT erpconnectionactortype_id FROM ErpConnectionActorType WHERE ErpConnectionId = ? "
        f"AND ActorTypeErp NOT IN ({placeholders}))",
        (conn_id, *[a.value for a in actor_types]),
    )


def _fields_of(actor_type: str) -> ConnectorCall:
    return lambda connector, guid: connector.get_supported_actor_type_fields(guid, actor_type)


def _searchable_of(actor_type: str) -> ConnectorCall:
    return lambda connector, guid: connector.get_searchable_fields(guid, actor_type)


def _ensure_actor_type(db: sqlite3.Connection, conn_id: int, actor: ErpActorType) -> int:
    row = db.execute(
        "SELECT erpconnectionactortype_id FROM ErpConnectionActorType WHERE ErpConnectionId = ? "
        "AND ActorTypeErp = ?",
        (conn_id, actor.value),
    ).fetchone()
    if row is not None:
        return int(row[0])
    cursor = db.execute(
        "INSERT INTO ErpConnectionActorType (ErpConnectionId, ActorTypeErp, ActorTypeCrm, IsActive) "
        "VALUES (?, ?, ?, 0)",
        (conn_id, actor.value, CRM_ACTOR_FOR_ERP[actor].value),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def _refresh_fields(
    s: TenantCall,
    actor_row_id: int,
    crm_actor: CrmActorType,
    fields: tuple[FieldMetadataInfo, ...],
    searchable: set[str],
) -> None:
    db = s.db
    existing = {
        str(r["ErpFieldKey"]): r
        for r in db.execute("SELECT * FROM ErpField WHERE ErpConnectionActorTypeId = ?", (actor_row_id,))
    }
    reported: set[str] = set()
    next_rank = 1 + max((int(r["Rank"]) for r in existing.values()), default=0)
    for info in fields:
        if not info.field_key or info.field_key in reported:
            s.refuse(f"The sync connector reported an empty or repeated field key '{info.field_key}'")
        reported.add(info.field_key)
        meta = (
            info.display_name,
            info.display_description,
            info.field_type.value,
            info.list_name,
            info.default_value,
            info.max_length,
            info.access.value,
            int(info.field_key in searchable),
        )
        mandatory = int(info.access is FieldAccess.MANDATORY)
        if info.field_key in existing:
            db.execute(
                "UPDATE ErpField SET DisplayName = ?, DisplayDescription = ?, FieldType = ?, ListName = ?, "
                "DefaultValue = ?, MaxLength = ?, Access = ?, Searchable = ?, MissingInERP = 0, "
                "Mandatory = MAX(Mandatory, ?) WHERE erpfield_id = ?",
                (*meta, mandatory, existing[info.field_key]["erpfield_id"]),
            )
            continue
        crm_key, list_reference = _automap(s, actor_row_id, crm_actor, info)
        db.execute(
            "INSERT INTO ErpField (ErpConnectionActorTypeId, ErpFieldKey, DisplayName, DisplayDescription, "
            "FieldType, ListName, DefaultValue, MaxLength, Access, Searchable, Mandatory, CrmFieldKey, "
            "ListReference, Rank) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (actor_row_id, info.field_key, *meta, mandatory, crm_key, list_reference, next_rank),
        )
        next_rank += 1
    for key, row in existing.items():
        if key not in reported:
            db.execute("UPDATE ErpField SET MissingInERP = 1 WHERE erpfield_id = ?", (row["erpfield_id"],))


def _automap(
    s: TenantCall, actor_row_id: int, crm_actor: CrmActorType, info: FieldMetadataInfo
) -> tuple[str, str]:
    """The CRM field a new ERP field is matched to by name, if any fits (no direction is ever set)."""
    row = s.db.execute(
        "SELECT m.crm_field_key, f.field_type, l.list_reference FROM CrmAutoMap m "
        "JOIN CrmField f ON f.field_key = m.crm_field_key "
        "LEFT JOIN CrmList l ON l.name = f.list_name "
        "WHERE m.crm_actor_type = ? AND m.erp_field_key = ?",
        (crm_actor.value, info.field_key.upper()),
    ).fetchone()
    if row is None or not compatibility(info.field_type, FieldMetadataType(row["field_type"])).any:
        return "", ""
    taken = s.db.execute(
        "SELECT 1 FROM ErpField WHERE ErpConnectionActorTypeId = ? AND CrmFieldKey = ?",
        (actor_row_id, row["crm_field_key"]),
    ).fetchone()
    if taken is not None:
        return "", ""
    return str(row["crm_field_key"]), str(row["list_reference"] or "")
