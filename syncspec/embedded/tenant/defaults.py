"""Sync default values, stored on the ErpField row (SuperOffice's ErpSyncDefaultValue carrier)."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from syncspec.embedded.tenant.lists import erp_list
from syncspec.embedded.tenant.records import connection_row, field_row, require_inactive
from syncspec.embedded.tenant.values import value_problem
from syncspec.model.enums import FieldAccess, FieldMetadataType
from syncspec.targets.carriers import ErpSyncDefaultValue

if TYPE_CHECKING:
    from syncspec.embedded.tenant.engine import TenantCall

MANDATORY_NEEDS_SOURCE = (
    "If Mandatory is selected, you must also choose 'Set default value' and/or 'Ask user for value'"
)


def _carrier(row: sqlite3.Row) -> ErpSyncDefaultValue:
    return ErpSyncDefaultValue(
        erp_field_id=row["erpfield_id"],
        default_value=row["DefaultValue"],
        has_first_sync_default_value=bool(row["HasFirstSyncDefaultValue"]),
        first_sync_default_value=row["FirstSyncDefaultValue"],
        prompt_user=bool(row["PromptUser"]),
        mandatory=bool(row["Mandatory"]),
        erp_field_key=row["ErpFieldKey"],
        field_type=FieldMetadataType(row["FieldType"]),
        list_name=row["ListName"],
        access=FieldAccess(row["Access"]),
    )


def get_default(s: TenantCall, erp_field_id: int) -> ErpSyncDefaultValue:
    return _carrier(field_row(s, erp_field_id))


def save_default(s: TenantCall, value: ErpSyncDefaultValue) -> ErpSyncDefaultValue:
    """Store the carrier as sent: the connector's DefaultValue, FieldType, ListName and Access too.

    SuperOffice documents none of them as ignored on save, so a carrier built from scratch
    (DefaultValue "", FieldType Text) overwrites what the connector reported. The key names
    the field: a key other than the field's own is refused rather than stored.
    """
    row = field_row(s, value.erp_field_id)
    conn = connection_row(s, int(row["ErpConnectionId"]))
    require_inactive(s, conn)
    if value.erp_field_key != row["ErpFieldKey"]:
        s.refuse(
            f"ErpFieldId {value.erp_field_id} is the ERP field '{row['ErpFieldKey']}', "
            f"not '{value.erp_field_key}'"
        )
    label = f"{row['ActorTypeErp']} field '{row['DisplayName'] or row['ErpFieldKey']}' ({row['ErpFieldKey']})"
    # A connector-mandatory field is always mandatory: the GUI shows the checkbox ticked and disabled.
    mandatory = value.mandatory or row["Access"] == FieldAccess.MANDATORY.value
    if mandatory and not (value.has_first_sync_default_value or value.prompt_user):
        s.refuse(f"{label}: {MANDATORY_NEEDS_SOURCE}")
    stored_value = ""
    if value.has_first_sync_default_value:
        stored_value = value.first_sync_default_value
        if not stored_value.strip():
            s.refuse(f"{label}: 'Set default value' needs a value")
        field_type = value.field_type
        problem = value_problem(field_type, stored_value)
        if problem:
            s.refuse(f"{label}: {problem}")
        if row["MaxLength"] and len(stored_value) > int(row["MaxLength"]):
            s.refuse(f"{label}: the value is longer than the field's {row['MaxLength']} characters")
        if field_type is FieldMetadataType.LIST and stored_value not in erp_list(s, conn, value.list_name):
            s.refuse(f"{label}: the default must be the key of an item in the ERP list '{value.list_name}'")
    s.db.execute(
        "UPDATE ErpField SET HasFirstSyncDefaultValue = ?, FirstSyncDefaultValue = ?, PromptUser = ?, "
        "Mandatory = ?, DefaultValue = ?, FieldType = ?, ListName = ?, Access = ? WHERE erpfield_id = ?",
        (
            int(value.has_first_sync_default_value),
            stored_value,
            int(value.prompt_user),
            int(mandatory),
            value.default_value,
            value.field_type.value,
            value.list_name,
            value.access.value,
            row["erpfield_id"],
        ),
    )
    return get_default(s, value.erp_field_id)
