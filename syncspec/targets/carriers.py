"""Carriers of SuperOffice's ErpSync agent, with SuperOffice's names.

Python attributes are snake_case; `model_dump(by_alias=True)` gives the PascalCase
JSON the REST WebApi uses (enums as strings), and `model_validate` reads it back.
Fields SuperOffice marks read-only or computed are still carried, so a target can
show them; the tenant ignores them on save, as SuperOffice does.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator
from pydantic.alias_generators import to_pascal
from pydantic_core import PydanticCustomError

from syncspec.model.enums import (
    CrmActorType,
    ErpActorType,
    FieldAccess,
    FieldMetadataType,
)

# Pass as `context` when validating JSON that came over the wire (either direction):
# a carrier then needs its identifying properties, so an error object or an empty `{}`
# cannot pass as one.
WIRE_CONTEXT: dict[str, bool] = {"wire": True}


class Carrier(BaseModel):
    """Base of every carrier.

    JSON `null` is accepted for every property and means "not given": the property
    takes its default. SuperOffice's database marks most ErpSync columns nullable,
    `$select` nulls out what was not selected, and GetAllConnections leaves the config
    out. `IDENTITY` lists the wire names a carrier read from the wire must carry
    (non-null); a required Python field without a default is required anyway.
    """

    IDENTITY: ClassVar[tuple[str, ...]] = ()

    model_config = ConfigDict(
        alias_generator=to_pascal,
        populate_by_name=True,
        use_enum_values=False,
        extra="ignore",  # SuperOffice adds TableRight / FieldProperties; we do not need them
    )

    @model_validator(mode="before")
    @classmethod
    def _nulls_and_identity(cls, data: Any, info: ValidationInfo) -> Any:
        if not isinstance(data, dict):
            return data
        if info.context and info.context.get("wire"):
            for key in cls.IDENTITY:
                if data.get(key) is None:
                    raise PydanticCustomError(
                        "missing_identity", "{carrier} needs {key}", {"carrier": cls.__name__, "key": key}
                    )
        return {k: v for k, v in data.items() if v is not None}


class ConnectorListItem(Carrier):
    """One row of GetAllConnectors."""

    IDENTITY = ("Id",)

    id: int
    name: str
    tool_tip: str = ""


class ErpSyncConnectorEntity(Carrier):
    IDENTITY = ("ErpConnectorId",)

    erp_connector_id: int = 0
    display_name: str = ""
    url: str = Field(default="", alias="URL")
    deleted: bool = False


class FieldMetadata(Carrier):
    IDENTITY = ("FieldKey",)

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
    IDENTITY = ("ErpConnectionId",)

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
    IDENTITY = ("ErpFieldId", "ErpFieldKey")

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
    IDENTITY = ("ErpConnectionId", "ActorTypeErp")

    erp_connection_id: int
    is_active: bool = False
    field_mappings: list[ErpSyncFieldMapping] = Field(default_factory=list)
    actor_type_erp: ErpActorType
    actor_type_crm: CrmActorType = CrmActorType.UNKNOWN


class MDOListItem(Carrier):
    IDENTITY = ("Id",)

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
    IDENTITY = ("ErpListItemId",)

    erp_list_item_id: str  # the ERP item key
    erp_list_item_name: str = ""
    crm_list_item: MDOListItem | None = None  # None = "(No selection)"


class ErpConnectionListMapping(Carrier):
    IDENTITY = ("ErpFieldId",)

    erp_field_id: int
    erp_actor_type_name: str = ""
    erp_list_name: str = ""
    crm_list: MDOListItem | None = None
    erp_crm_list_item_mappings: list[ErpCrmListItemMapping] = Field(default_factory=list)


class ErpConnectionListMappingContainer(Carrier):
    IDENTITY = ("ErpConnectionId",)

    erp_connection_id: int
    erp_connection_name: str = ""
    erp_list_item_mappings: list[ErpConnectionListMapping] = Field(default_factory=list)


class ErpSyncDefaultValue(Carrier):
    IDENTITY = ("ErpFieldId",)

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
    """One entry of `ErpSyncConnectionSummary.Actors`.

    Defaults and Mappings are documented as strings without saying what they hold; they are
    carried as they come and never interpreted.
    """

    actor_type: ErpActorType
    has_mappings: bool = False
    defaults: str = ""
    mappings: str = ""


class ErpSyncConnectionSummary(Carrier):
    """GetErpSyncConnectionSummary's answer: the documented list of a connection's actor types."""

    display_name: str = ""
    display_description: str = ""
    active: bool = False
    deleted: bool = False
    last_sync: str = ""  # a date-time as text; "" when the connection never synchronised
    actors: list[ErpSyncActorSummary] = Field(default_factory=list)


class ErpSyncEngineStatus(Carrier):
    """The sync engine's state (GetEngineStatus, ChangeEngineStatus): the Sync tab's
    automatic sync switch and the interval between runs. `Interval` is a .NET TimeSpan
    sent as a string; syncspec keeps it as text (docs/rest.md, "Where SuperOffice's docs
    are silent")."""

    IDENTITY = ("IsRunning",)

    is_running: bool
    status_message: str = ""
    interval: str = ""


# What the tenant answers in place of a Password-typed config value. Sending it back
# in SaveConnection keeps the stored value, so a read-modify-write never loses a secret.
MASKED_VALUE = "********"
