"""The standard CRM side of a new tenant (fields, lists, users, groups, auto-mapping), from a data file."""

from __future__ import annotations

import json
import sqlite3
from importlib import resources
from typing import Any

from syncspec.model.enums import CrmActorType, FieldMetadataType


def load_catalogue() -> dict[str, Any]:
    text = resources.files("syncspec.embedded.tenant").joinpath("data/crm_catalogue.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def seed_catalogue(db: sqlite3.Connection) -> None:
    """Fill the CRM tables of a freshly created tenant (inside the caller's transaction)."""
    catalogue = load_catalogue()
    for list_id, (name, spec) in enumerate(catalogue["lists"].items(), start=1):
        db.execute(
            "INSERT INTO CrmList (crmlist_id, name, list_reference) VALUES (?, ?, ?)",
            (list_id, name, spec["reference"]),
        )
        for item_id, item in enumerate(spec["items"], start=1):
            item_name, extra = (item, "") if isinstance(item, str) else (item[0], item[1])
            db.execute(
                "INSERT INTO CrmListItem (crmlist_id, item_id, name, rank, extra_info) "
                "VALUES (?, ?, ?, ?, ?)",
                (list_id, item_id, item_name, item_id, extra),
            )
    for actor_name, fields in catalogue["fields"].items():
        actor = CrmActorType(actor_name)
        for entry in fields:
            key, display, type_name = entry[0], entry[1], entry[2]
            flag = entry[3] if len(entry) > 3 else ""
            field_type = FieldMetadataType(type_name)
            list_name = flag if field_type is FieldMetadataType.LIST else ""
            db.execute(
                "INSERT INTO CrmField (field_key, crm_actor_type, display_name, field_type, read_only, "
                "list_name) VALUES (?, ?, ?, ?, ?, ?)",
                (key, actor.value, display, field_type.value, int(flag == "ro"), list_name),
            )
    for actor_name, table in catalogue["automap"].items():
        for erp_key, crm_key in table.items():
            db.execute(
                "INSERT INTO CrmAutoMap (crm_actor_type, erp_field_key, crm_field_key) VALUES (?, ?, ?)",
                (CrmActorType(actor_name).value, erp_key.upper(), crm_key),
            )
    for associate_id, (name, full_name) in enumerate(catalogue["associates"], start=1):
        db.execute(
            "INSERT INTO Associate (associate_id, name, full_name) VALUES (?, ?, ?)",
            (associate_id, name, full_name),
        )
    for group_id, name in enumerate(catalogue["user_groups"], start=1):
        db.execute("INSERT INTO UserGroup (usergroup_id, name) VALUES (?, ?)", (group_id, name))
