"""List mappings: ERP list item key -> CRM list item id, for List ERP fields mapped to a CRM list field.

ERP items come live from the connector (GetList). Reads fall back to the stored rows
when the connector cannot answer, so a read never fails on a connector hiccup; saves
refuse, because item keys cannot be checked without the connector.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Container, Mapping
from typing import TYPE_CHECKING

from syncspec.embedded.tenant.calls import ask, require_ok
from syncspec.embedded.tenant.records import connection_row, require_inactive
from syncspec.model.errors import AgentError
from syncspec.targets.carriers import (
    ErpConnectionListMapping,
    ErpConnectionListMappingContainer,
    ErpCrmListItemMapping,
    MDOListItem,
)

if TYPE_CHECKING:
    from syncspec.embedded.tenant.engine import TenantCall

_LIST_FIELDS = (
    "SELECT f.*, a.ActorTypeErp, l.crmlist_id, l.name AS CrmListName FROM ErpField f "
    "JOIN ErpConnectionActorType a ON a.erpconnectionactortype_id = f.ErpConnectionActorTypeId "
    "JOIN CrmField cf ON cf.field_key = f.CrmFieldKey AND cf.crm_actor_type = a.ActorTypeCrm "
    "JOIN CrmList l ON l.name = cf.list_name "
    "WHERE a.ErpConnectionId = ? AND f.FieldType = 'List' AND cf.field_type = 'List' "
    "ORDER BY a.erpconnectionactortype_id, f.Rank"
)


def erp_list(s: TenantCall, connection: sqlite3.Row, list_name: str) -> dict[str, str]:
    """An ERP list, key -> display text, as the connector reports it (refusing when it cannot)."""
    result = require_ok(
        s,
        ask(s, connection, lambda c, g: c.get_list(g, list_name)),
        f"The sync connector could not read the list '{list_name}'",
    )
    return dict(result.list_items)


def _crm_items(db: sqlite3.Connection, crmlist_id: int) -> dict[int, sqlite3.Row]:
    rows = db.execute("SELECT * FROM CrmListItem WHERE crmlist_id = ? AND deleted = 0", (crmlist_id,))
    return {int(r["item_id"]): r for r in rows}


def _mdo(row: sqlite3.Row) -> MDOListItem:
    return MDOListItem(id=row["item_id"], name=row["name"], rank=row["rank"], extra_info=row["extra_info"])


def get_list_mappings(s: TenantCall, erp_connection_id: int) -> ErpConnectionListMappingContainer:
    conn = connection_row(s, erp_connection_id)
    mappings: list[ErpConnectionListMapping] = []
    for f in s.db.execute(_LIST_FIELDS, (erp_connection_id,)).fetchall():
        stored = {
            str(r["ErpItemKey"]): r["CrmItemKey"]
            for r in s.db.execute(
                "SELECT * FROM ErpListItemMapping WHERE ErpFieldId = ?", (f["erpfield_id"],)
            )
        }
        try:
            erp_items = erp_list(s, conn, str(f["ListName"]))
        except AgentError:
            erp_items = {}
        crm_items = _crm_items(s.db, int(f["crmlist_id"]))
        keys = list(erp_items) + sorted(k for k in stored if k not in erp_items)
        items = []
        for key in keys:
            crm_id = stored.get(key)
            crm_row = crm_items.get(int(crm_id)) if crm_id is not None else None
            items.append(
                ErpCrmListItemMapping(
                    erp_list_item_id=key,
                    erp_list_item_name=erp_items.get(key, ""),
                    crm_list_item=_mdo(crm_row) if crm_row is not None else None,
                )
            )
        mappings.append(
            ErpConnectionListMapping(
                erp_field_id=f["erpfield_id"],
                erp_actor_type_name=f["ActorTypeErp"],
                erp_list_name=f["ListName"],
                crm_list=MDOListItem(id=f["crmlist_id"], name=f["CrmListName"]),
                erp_crm_list_item_mappings=items,
            )
        )
    return ErpConnectionListMappingContainer(
        erp_connection_id=erp_connection_id,
        erp_connection_name=conn["DisplayName"],
        erp_list_item_mappings=mappings,
    )


def _item_rows(
    mapping: ErpConnectionListMapping,
    field: sqlite3.Row,
    label: str,
    erp_items: Container[str],
    crm_items: Mapping[int, sqlite3.Row],
    problems: list[str],
) -> list[tuple[str, int | None]]:
    """The (ERP item, CRM item id) rows of one list field's mapping; what is wrong goes to `problems`."""
    rows: list[tuple[str, int | None]] = []
    used: dict[int, str] = {}
    keys: set[str] = set()
    for item in mapping.erp_crm_list_item_mappings:
        key = item.erp_list_item_id
        if key not in erp_items:
            problems.append(f"{label}: the ERP list '{field['ListName']}' has no item '{key}'")
            continue
        if key in keys:
            problems.append(f"{label}: the ERP item '{key}' is mapped twice")
            continue
        keys.add(key)
        crm_id = item.crm_list_item.id if item.crm_list_item is not None else None
        if crm_id is not None and crm_id not in crm_items:
            problems.append(f"{label}: the SuperOffice list '{field['CrmListName']}' has no item {crm_id}")
            continue
        if crm_id is not None and crm_id in used:
            # The admin help: mapping is one-to-one, "you cannot map to the same CRM item
            # twice", whatever the field's direction.
            problems.append(
                f"{label}: the SuperOffice item '{crm_items[crm_id]['name']}' is mapped to both "
                f"'{used[crm_id]}' and '{key}'; you cannot map to the same CRM item twice"
            )
            continue
        if crm_id is not None:
            used.setdefault(crm_id, key)
        rows.append((key, crm_id))
    return rows


def save_list_mappings(
    s: TenantCall, container: ErpConnectionListMappingContainer
) -> ErpConnectionListMappingContainer:
    conn = connection_row(s, container.erp_connection_id)
    require_inactive(s, conn)
    fields = {
        int(f["erpfield_id"]): f
        for f in s.db.execute(_LIST_FIELDS, (container.erp_connection_id,)).fetchall()
    }
    problems: list[str] = []
    writes: list[tuple[int, list[tuple[str, int | None]]]] = []
    seen_fields: set[int] = set()
    for mapping in container.erp_list_item_mappings:
        field = fields.get(mapping.erp_field_id)
        if field is None:
            problems.append(
                f"The ERP field {mapping.erp_field_id} is not a list field mapped to a SuperOffice list "
                "in this connection; map the field first"
            )
            continue
        label = f"{field['ActorTypeErp']} list field '{field['ErpFieldKey']}'"
        if mapping.erp_field_id in seen_fields:
            problems.append(f"The {label} is listed twice")
            continue
        seen_fields.add(mapping.erp_field_id)
        erp_items = erp_list(s, conn, str(field["ListName"]))
        crm_items = _crm_items(s.db, int(field["crmlist_id"]))
        rows = _item_rows(mapping, field, label, erp_items, crm_items, problems)
        writes.append((mapping.erp_field_id, rows))
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        s.refuse(problems[0] + more, reasons=problems)
    for field_id, rows in writes:
        s.db.execute("DELETE FROM ErpListItemMapping WHERE ErpFieldId = ?", (field_id,))
        s.db.executemany(
            "INSERT INTO ErpListItemMapping (ErpFieldId, ErpItemKey, CrmItemKey) VALUES (?, ?, ?)",
            [(field_id, key, crm_id) for key, crm_id in rows if crm_id is not None],
        )
    return get_list_mappings(s, container.erp_connection_id)
