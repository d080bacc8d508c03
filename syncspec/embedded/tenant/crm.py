"""What only the embedded tenant knows of the CRM side and the ERP lists (`EmbeddedFacts`).

SuperOffice documents no source for a CRM field's entity, type or read-only flag, nor for
the items of an ERP list outside a list mapping; the embedded tenant has them in its own
tables and connectors, and only the in-process target reads them (docs/tenant.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from syncspec.embedded.tenant.lists import erp_list
from syncspec.embedded.tenant.records import connection_row
from syncspec.model.enums import CrmActorType, FieldMetadataType
from syncspec.model.metadata import CrmFieldMeta
from syncspec.targets.lists import list_name_of_reference

if TYPE_CHECKING:
    from syncspec.embedded.tenant.engine import TenantCall


def crm_field_catalogue(s: TenantCall) -> list[CrmFieldMeta]:
    """Every CRM field; a list field's list is named as its ListReference names it, as over REST."""
    rows = s.db.execute(
        "SELECT f.*, l.list_reference FROM CrmField f LEFT JOIN CrmList l ON l.name = f.list_name "
        "ORDER BY f.crmfield_id"
    )
    return [
        CrmFieldMeta(
            key=r["field_key"],
            display_name=r["display_name"],
            crm_actor=CrmActorType(r["crm_actor_type"]),
            field_type=FieldMetadataType(r["field_type"]),
            read_only=bool(r["read_only"]),
            list_name=list_name_of_reference(r["list_reference"] or ""),
        )
        for r in rows
    ]


def connector_list(s: TenantCall, erp_connection_id: int, list_name: str) -> dict[str, str]:
    """An ERP list as the connection's connector reports it (refusing when it cannot)."""
    return erp_list(s, connection_row(s, erp_connection_id), list_name)
