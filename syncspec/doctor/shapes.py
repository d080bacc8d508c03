"""The documented answer shapes, as far as syncspec depends on them, and a checker for them.

Only the properties syncspec reads are listed; a tenant may send more (every carrier also
has `TableRight` and `FieldProperties`). Strings, lists and objects may be JSON null where
SuperOffice's tables mark the column nullable or the carrier is filled lazily, because a
real tenant sends null there; ints and bools may not. Problems name the property and the
JSON types, never a value: values can be secrets (config fields).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# The FieldMetadataType names on the agent side (WebApi enum and DB enum, E7).
AGENT_FIELD_TYPES = frozenset({"Checkbox", "Text", "Password", "Integer", "Double", "List", "Date", "Label"})
CONNECTOR_ONLY_FIELD_TYPES = frozenset({"Datetime"})  # FieldMetadataTypeInfo, the connector side (E10)

ITEMS_CHECKED = 500  # the first items of a list are checked; the rest are not read


@dataclass(frozen=True)
class Prop:
    """One property: a JSON kind ("int", "str", "bool", "object", "list", "str-map"),
    whether null is allowed, and for lists the shape of their objects (or a scalar kind)."""

    kind: str
    nullable: bool = False
    items: Mapping[str, Prop] | str | None = None


Shape = Mapping[str, Prop]

INT = Prop("int")
BOOL = Prop("bool")
STR = Prop("str", nullable=True)
STR_MAP = Prop("str-map", nullable=True)
INT_LIST = Prop("list", nullable=True, items="int")

MDO_LIST_ITEM: Shape = {"Id": INT, "Name": STR, "Deleted": BOOL, "ExtraInfo": STR}
CONNECTOR_LIST_ITEM: Shape = {"Id": INT, "Name": STR, "ToolTip": STR}
CONNECTOR_ENTITY: Shape = {"ErpConnectorId": INT, "DisplayName": STR, "URL": STR, "Deleted": BOOL}
FIELD_METADATA: Shape = {
    "FieldKey": STR,
    "DisplayName": STR,
    "FieldType": STR,
    "ListName": STR,
    "DefaultValue": STR,
    "Access": STR,
}
CONNECTION: Shape = {
    "ErpConnectionId": INT,
    "ErpConnectorId": INT,
    "DisplayName": STR,
    "DisplayDescription": STR,
    "Active": BOOL,
    "ConnectionId": STR,
    "MostRecentTimestamp": STR,
    "ConfigFields": STR_MAP,
    "Deleted": BOOL,
    "AllAccess": BOOL,
    "UserGroupAccessIds": INT_LIST,
    "AssociateAccessIds": INT_LIST,
}
CONNECTION_SUMMARY: Shape = {
    "DisplayName": STR,
    "Active": BOOL,
    "Actors": Prop("list", nullable=True, items={"ActorType": STR, "HasMappings": BOOL}),
}
FIELD_MAPPING: Shape = {
    "ErpFieldId": INT,
    "ErpFieldKey": STR,
    "CrmFieldKey": STR,
    "SyncToCrm": BOOL,
    "SyncToErp": BOOL,
    "ShowInGui": BOOL,
    "ShowInSearch": BOOL,
    "FieldType": STR,
    "Access": STR,
    "ListReference": STR,
    "AlreadyMapped": BOOL,
    "MissingInERP": BOOL,
    "MissingInCRM": BOOL,
}
ACTOR_TYPE_MAPPING: Shape = {
    "ErpConnectionId": INT,
    "IsActive": BOOL,
    "FieldMappings": Prop("list", nullable=True, items=FIELD_MAPPING),
    "ActorTypeErp": STR,
    "ActorTypeCrm": STR,
}
LIST_ITEM_MAPPING: Shape = {
    "ErpListItemId": STR,
    "ErpListItemName": STR,
    "CrmListItem": Prop("object", nullable=True, items=MDO_LIST_ITEM),
}
LIST_MAPPINGS: Shape = {
    "ErpConnectionId": INT,
    "ErpListItemMappings": Prop(
        "list",
        nullable=True,
        items={
            "ErpFieldId": INT,
            "ErpCrmListItemMappings": Prop("list", nullable=True, items=LIST_ITEM_MAPPING),
        },
    ),
}
DEFAULT_VALUE: Shape = {
    "ErpFieldId": INT,
    "DefaultValue": STR,
    "HasFirstSyncDefaultValue": BOOL,
    "FirstSyncDefaultValue": STR,
    "PromptUser": BOOL,
    "Mandatory": BOOL,
    "ErpFieldKey": STR,
    "FieldType": STR,
}
# The archive's column table types HasFirstSyncDefaultValue as int and PromptUser/Mandatory as
# bool; a tenant may render either as the other, so both are taken.
ARCHIVE_ROW: Shape = {
    "Id": INT,
    "ErpFieldKey": STR,
    "Rank": INT,
    "ConnectionId": INT,
    "ActorTypeErp": STR,
    "ListName": STR,
    "HasFirstSyncDefaultValue": Prop("int-or-bool"),
    "FirstSyncDefaultValue": STR,
    "PromptUser": Prop("int-or-bool"),
    "Mandatory": Prop("int-or-bool"),
}
ARCHIVE_PAGE: Shape = {"value": Prop("list", items=ARCHIVE_ROW)}


def json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a bool"
    if isinstance(value, int):
        return "an int"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


_DOCUMENTED = {
    "int": "an int",
    "bool": "a bool",
    "int-or-bool": "an int or a bool",
    "str": "a string",
    "object": "an object",
    "list": "a list",
    "str-map": "an object of strings",
}


def check_object(value: Any, shape: Shape, where: str = "") -> list[str]:
    """The ways `value` differs from the object `shape` (empty: it fits)."""
    if not isinstance(value, dict):
        return [f"{where or 'the answer'} is {json_kind(value)}, documented as an object"]
    problems: list[str] = []
    for name, prop in shape.items():
        path = f"{where}.{name}" if where else name
        if name not in value:
            problems.append(f"{path} is missing")
        else:
            problems.extend(check_value(value[name], prop, path))
    return problems


def check_list(value: Any, items: Shape, where: str = "") -> list[str]:
    """The ways `value` differs from a list of `items` objects (only the first ITEMS_CHECKED)."""
    if not isinstance(value, list):
        return [f"{where or 'the answer'} is {json_kind(value)}, documented as a list"]
    problems: list[str] = []
    for index, item in enumerate(value[:ITEMS_CHECKED]):
        problems.extend(check_object(item, items, f"{where}[{index}]"))
    return problems


def check_value(value: Any, prop: Prop, where: str) -> list[str]:
    if value is None:
        return [] if prop.nullable else [f"{where} is null, documented as {_DOCUMENTED[prop.kind]}"]
    if not _fits(value, prop.kind):
        return [f"{where} is {json_kind(value)}, documented as {_DOCUMENTED[prop.kind]}"]
    if prop.kind == "list" and isinstance(prop.items, str):
        scalar = Prop(prop.items)
        return [
            p
            for i, item in enumerate(value[:ITEMS_CHECKED])
            for p in check_value(item, scalar, f"{where}[{i}]")
        ]
    if prop.kind == "list" and isinstance(prop.items, Mapping):
        return check_list(value, prop.items, where)
    if prop.kind == "object" and isinstance(prop.items, Mapping):
        return check_object(value, prop.items, where)
    return []


def _fits(value: Any, kind: str) -> bool:
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "int-or-bool":
        return isinstance(value, int)
    if kind == "str":
        return isinstance(value, str)
    if kind == "list":
        return isinstance(value, list)
    if kind == "object":
        return isinstance(value, dict)
    if kind == "str-map":
        return isinstance(value, dict) and all(v is None or isinstance(v, str) for v in value.values())
    raise ValueError(f"unknown kind {kind!r}")


def is_error_object(value: Any) -> bool:
    """The Agents WebAPI's answer to an invalid request: {"Message", "MessageDetail"} (E5)."""
    return isinstance(value, dict) and "Message" in value and set(value) <= {"Message", "MessageDetail"}
