"""Reads of the CRM side: fields an ERP field can map to, CRM lists, users and user groups."""

from __future__ import annotations

from typing import TYPE_CHECKING

from syncspec.model.enums import CrmActorType, FieldMetadataType
from syncspec.targets.carriers import CrmField, CrmList, ErpListItem, MDOListItem
from syncspec.tenant.lists import erp_list
from syncspec.tenant.records import connection_row

if TYPE_CHECKING:
    from syncspec.tenant.engine import Session


def get_crm_fields(s: Session) -> list[CrmField]:
    rows = s.db.execute("SELECT * FROM CrmField ORDER BY crmfield_id")
    return [
        CrmField(
            key=r["field_key"],
            display_name=r["display_name"],
            crm_actor_type=CrmActorType(r["crm_actor_type"]),
            field_type=FieldMetadataType(r["field_type"]),
            read_only=bool(r["read_only"]),
            list_name=r["list_name"],
        )
        for r in rows
    ]


def get_crm_lists(s: Session) -> list[CrmList]:
    lists = s.db.execute("SELECT * FROM CrmList ORDER BY crmlist_id").fetchall()
    found = []
    for lst in lists:
        items = s.db.execute(
            "SELECT * FROM CrmListItem WHERE crmlist_id = ? ORDER BY rank, item_id", (lst["crmlist_id"],)
        )
        found.append(
            CrmList(
                name=lst["name"],
                items=[
                    MDOListItem(
                        id=i["item_id"],
                        name=i["name"],
                        rank=i["rank"],
                        extra_info=i["extra_info"],
                        deleted=bool(i["deleted"]),
                    )
                    for i in items
                ],
            )
        )
    return found


def get_associates(s: Session) -> list[MDOListItem]:
    rows = s.db.execute("SELECT * FROM Associate WHERE deleted = 0 ORDER BY associate_id")
    return [MDOListItem(id=r["associate_id"], name=r["name"], full_name=r["full_name"]) for r in rows]


def get_user_groups(s: Session) -> list[MDOListItem]:
    rows = s.db.execute("SELECT * FROM UserGroup WHERE deleted = 0 ORDER BY usergroup_id")
    return [MDOListItem(id=r["usergroup_id"], name=r["name"]) for r in rows]


def get_erp_list_items(s: Session, erp_connection_id: int, list_name: str) -> list[ErpListItem]:
    items = erp_list(s, connection_row(s, erp_connection_id), list_name)
    return [ErpListItem(key=key, name=name) for key, name in items.items()]
