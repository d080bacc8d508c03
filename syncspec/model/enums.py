"""SuperOffice's ERP-sync enums, shared by every layer. Values are SuperOffice's API names."""

from __future__ import annotations

import enum


class ErpActorType(enum.StrEnum):
    UNKNOWN = "Unknown"
    CUSTOMER = "Customer"
    SUPPLIER = "Supplier"
    PARTNER = "Partner"
    PERSON = "Person"
    PROJECT = "Project"
    EMPLOYEE = "Employee"  # "not currently supported in Erp Sync"
    SALE = "Sale"  # "not currently supported in Erp Sync"


class CrmActorType(enum.StrEnum):
    UNKNOWN = "Unknown"
    CONTACT = "Contact"  # the company screen
    PERSON = "Person"
    PROJECT = "Project"
    SALE = "Sale"


# SuperOffice fixes the CRM entity each ERP actor type syncs with.
CRM_ACTOR_FOR_ERP: dict[ErpActorType, CrmActorType] = {
    ErpActorType.CUSTOMER: CrmActorType.CONTACT,
    ErpActorType.SUPPLIER: CrmActorType.CONTACT,
    ErpActorType.PARTNER: CrmActorType.CONTACT,
    ErpActorType.PERSON: CrmActorType.PERSON,
    ErpActorType.PROJECT: CrmActorType.PROJECT,
}


class FieldMetadataType(enum.StrEnum):
    """SuperOffice's FieldMetadataType: the agent/WebApi side and the database (`Date` = 6).

    The connector side names the same type `Datetime` (`FieldMetadataTypeInfo`, below);
    `AGENT_FIELD_TYPE` translates, and nothing else may.
    """

    CHECKBOX = "Checkbox"
    TEXT = "Text"
    PASSWORD = "Password"
    INTEGER = "Integer"
    DOUBLE = "Double"
    LIST = "List"
    DATE = "Date"
    DATETIME = "Date"  # the old member name, an alias of DATE for modules that still use it
    LABEL = "Label"


# The integers SuperOffice's database stores for FieldMetadataType.
FIELD_TYPE_DB_VALUE: dict[FieldMetadataType, int] = {
    FieldMetadataType.CHECKBOX: 0,
    FieldMetadataType.TEXT: 1,
    FieldMetadataType.PASSWORD: 2,
    FieldMetadataType.INTEGER: 3,
    FieldMetadataType.DOUBLE: 4,
    FieldMetadataType.LIST: 5,
    FieldMetadataType.DATE: 6,
    FieldMetadataType.LABEL: 99,
}


class FieldMetadataTypeInfo(enum.StrEnum):
    """The connector side's names for field types (IErpConnector's FieldMetadataTypeInfo)."""

    CHECKBOX = "Checkbox"
    TEXT = "Text"
    PASSWORD = "Password"
    INTEGER = "Integer"
    DOUBLE = "Double"
    LIST = "List"
    DATETIME = "Datetime"
    LABEL = "Label"


# Connector-side type -> agent-side type. The names agree except for dates.
AGENT_FIELD_TYPE: dict[FieldMetadataTypeInfo, FieldMetadataType] = {
    FieldMetadataTypeInfo.CHECKBOX: FieldMetadataType.CHECKBOX,
    FieldMetadataTypeInfo.TEXT: FieldMetadataType.TEXT,
    FieldMetadataTypeInfo.PASSWORD: FieldMetadataType.PASSWORD,
    FieldMetadataTypeInfo.INTEGER: FieldMetadataType.INTEGER,
    FieldMetadataTypeInfo.DOUBLE: FieldMetadataType.DOUBLE,
    FieldMetadataTypeInfo.LIST: FieldMetadataType.LIST,
    FieldMetadataTypeInfo.DATETIME: FieldMetadataType.DATE,
    FieldMetadataTypeInfo.LABEL: FieldMetadataType.LABEL,
}


class FieldAccess(enum.StrEnum):
    NORMAL = "Normal"
    MANDATORY = "Mandatory"
    READ_ONLY = "ReadOnly"


FIELD_ACCESS_DB_VALUE: dict[FieldAccess, int] = {
    FieldAccess.NORMAL: 0,
    FieldAccess.MANDATORY: 1,
    FieldAccess.READ_ONLY: 2,
}


class ResponseState(enum.StrEnum):
    OK = "Ok"
    OK_WITH_INFO = "OkWithInfo"
    WARNING = "Warning"
    ERROR = "Error"


class ErpSyncResponseCode(enum.StrEnum):
    NO_ERROR = "NoError"
    ERROR_CONNECTOR_HAS_CONNECTIONS = "ErrorConnectorHasConnections"
    ERROR_NOT_FOUND = "ErrorNotFound"


class Direction(enum.StrEnum):
    """Sync direction of a mapped field: SuperOffice's `>` (to-crm), `<` (to-erp), `<>` (both)."""

    NONE = "none"
    TO_CRM = "to-crm"
    TO_ERP = "to-erp"
    BOTH = "both"

    @property
    def sync_to_crm(self) -> bool:
        return self in (Direction.TO_CRM, Direction.BOTH)

    @property
    def sync_to_erp(self) -> bool:
        return self in (Direction.TO_ERP, Direction.BOTH)

    @classmethod
    def from_flags(cls, to_crm: bool, to_erp: bool) -> Direction:
        """From SuperOffice's `SyncToCrm` / `SyncToErp` pair."""
        if to_crm and to_erp:
            return cls.BOTH
        if to_crm:
            return cls.TO_CRM
        return cls.TO_ERP if to_erp else cls.NONE

    @property
    def flags(self) -> tuple[bool, bool]:
        """SuperOffice's (`SyncToCrm`, `SyncToErp`) pair."""
        return self.sync_to_crm, self.sync_to_erp
