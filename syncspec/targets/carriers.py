"""Carriers of SuperOffice's ErpSync agent, with SuperOffice's names.

Python attributes are snake_case; `model_dump(by_alias=True)` gives the PascalCase
JSON the REST WebApi uses (enums as strings), and `model_validate` reads it back.
Fields SuperOffice marks read-only or computed are still carried, so a target can
show them; the tenant ignores them on save, as SuperOffice does.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_pascal

from syncspec.model.enums import (
    CrmActorType,
    ErpActorType,
    FieldAccess,
    FieldMetadataType,
)


class Carrier(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_pascal,
        populate_by_name=True,
        use_enum_values=False,
        extra="ignore",  # SuperOffice adds TableRight / FieldProperties; we do not need them
    )


class ConnectorListItem(Carrier):
    """One row of GetAllConnectors."""

    id: int
    name: str
    tool_tip: str = ""


class ErpSyncConnectorEntity(Carrier):
    erp_connector_id: int = 0
    display_name: str = ""
    url: str = Field(default="", alias="URL")
    deleted: bool = False


class FieldMetadata(Carrier):
    field_key: str
    rank: int = 0
    display_name: str = ""
    display_description: str = ""
    field_type: FieldMetadataType = FieldMetadataType.TEXT
    list_name: str = ""
    default_value: str = ""
    max_length: int = 0
    access: FieldAccess = FieldAccess.NORMAL
    show_in_search: bool = False


class ErpConnection(Carrier):
    erp_connection_id: int = 0
    erp_connector_id: int = 0
    display_name: str = ""
    display_description: str = ""
    active: bool = False
    connection_id: str = ""  # the GUID the tenant mints; the only id a connector sees
    most_recent_timestamp: str = ""
    config_fields: dict[str, str] = Field(default_factory=dict)
    deleted: bool = False
    all_access: bool = True
    user_group_access_ids: list[int] = Field(default_factory=list)
    associate_access_ids: list[int] = Field(default_factory=list)


class ErpSyncFieldMapping(Carrier):
    erp_field_id: int = 0
    erp_field_key: str
    crm_field_key: str = ""
    sync_to_crm: bool = False
    sync_to_erp: bool = False
    show_in_gui: bool = False
    show_in_search: bool = False
    crm_display_name: str = ""
    crm_display_tooltip: str = ""
    erp_display_name: str = ""
    erp_display_tooltip: str = ""
    field_type: FieldMetadataType = FieldMetadataType.TEXT
    access: FieldAccess = FieldAccess.NORMAL
    list_reference: str = ""
    already_mapped: bool = False
    missing_in_erp: bool = Field(default=False, alias="MissingInERP")
    missing_in_crm: bool = Field(default=False, alias="MissingInCRM")


class ErpSyncActorTypeMapping(Carrier):
    erp_connection_id: int
    is_active: bool = False
    field_mappings: list[ErpSyncFieldMapping] = Field(default_factory=list)
    actor_type_erp: ErpActorType
    actor_type_crm: CrmActorType = CrmActorType.UNKNOWN


class MDOListItem(Carrier):
    id: int
    name: str = ""
    tool_tip: str = ""
    deleted: bool = False
    rank: int = 0
    type: str = ""
    child_items: list[MDOListItem] = Field(default_factory=list)
    icon_hint: str = ""
    color_block: int = 0
    extra_info: str = ""
    style_hint: str = ""
    full_name: str = ""


class ErpCrmListItemMapping(Carrier):
    erp_list_item_id: str  # the ERP item key
    erp_list_item_name: str = ""
    crm_list_item: MDOListItem | None = None  # None = "(No selection)"


class ErpConnectionListMapping(Carrier):
    erp_field_id: int
    erp_actor_type_name: str = ""
    erp_list_name: str = ""
    crm_list: MDOListItem | None = None
    erp_crm_list_item_mappings: list[ErpCrmListItemMapping] = Field(default_factory=list)


class ErpConnectionListMappingContainer(Carrier):
    erp_connection_id: int
    erp_connection_name: str = ""
    erp_list_item_mappings: list[ErpConnectionListMapping] = Field(default_factory=list)


class ErpSyncDefaultValue(Carrier):
    erp_field_id: int
    default_value: str = ""  # the connector's own default (metadata)
    has_first_sync_default_value: bool = False  # GUI: "Set default value"
    first_sync_default_value: str = ""
    prompt_user: bool = False  # GUI: "Ask user for value"
    mandatory: bool = False  # GUI: "Mandatory - user must fill in a value"
    erp_field_key: str = ""
    field_type: FieldMetadataType = FieldMetadataType.TEXT
    list_name: str = ""
    access: FieldAccess = FieldAccess.NORMAL


class ErpSyncActorSummary(Carrier):
    """One entry of `ErpSyncConnectionSummary.Actors` (Defaults/Mappings are not read)."""

    actor_type: ErpActorType
    has_mappings: bool = False


class ErpSyncConnectionSummary(Carrier):
    """GetErpSyncConnectionSummary's answer: the documented list of a connection's actor types."""

    display_name: str = ""
    display_description: str = ""
    active: bool = False
    deleted: bool = False
    actors: list[ErpSyncActorSummary] = Field(default_factory=list)


# What the tenant answers in place of a Password-typed config value. Sending it back
# in SaveConnection keeps the stored value, so a read-modify-write never loses a secret.
MASKED_VALUE = "********"
