"""The ErpSync agent on the wire: one table shared by `RestAgent` (client) and the emulator (server).

Every method is `POST {base}/api/v1/Agents/ErpSync/<Method>` with a JSON object whose
properties are the method's parameters in PascalCase; the answer is the return value as
JSON, or `204 No Content` for void methods. Carriers use their PascalCase aliases and
enums travel as strings, as SuperOffice's WebApi does.

Errors travel as a JSON object modelled on WebApi's error answer (see docs/rest.md):

    {"Error": <message>, "ErrorType": <kind>, "Message": <message>,
     "Source": "ErpSync.<Method>", "Data": {"Reasons": [...], "ErrorCode": "..."}}

`Data` is where syncspec keeps what `AgentError` carries beyond the message, so a
refusal reads the same in-process and over HTTP.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError

from syncspec.model.enums import ErpActorType, ErpSyncResponseCode
from syncspec.model.errors import AgentError, TargetError
from syncspec.targets.carriers import (
    ConnectorListItem,
    CrmField,
    CrmList,
    ErpConnection,
    ErpConnectionListMappingContainer,
    ErpFieldRank,
    ErpListItem,
    ErpSyncActorTypeMapping,
    ErpSyncConnectorEntity,
    ErpSyncDefaultValue,
    FieldMetadata,
    MDOListItem,
)

AGENT_PATH = "/api/v1/Agents/ErpSync/"

# ErrorType values the emulator sends. A real tenant answers its own exception type
# names (e.g. SoException); anything not listed as transient counts as a refusal.
REFUSAL = "ErpSyncRefusal"
NOT_FOUND = "NotFound"
UNAUTHORIZED = "Unauthorized"
BAD_REQUEST = "BadRequest"
INTERNAL = "InternalServerError"
UNAVAILABLE = "ServiceUnavailable"
TRANSIENT_ERROR_TYPES = frozenset({"", INTERNAL, UNAVAILABLE, "TimeoutException", "SqlException"})


@dataclass(frozen=True)
class Param:
    """One body property: its wire name, the Python parameter name, and how it is (de)serialised."""

    wire: str
    python: str
    adapter: TypeAdapter[Any]


@dataclass(frozen=True)
class WireMethod:
    """One agent method: SuperOffice's name, the `ErpSyncAgent` attribute, parameters and result."""

    name: str
    attribute: str
    params: tuple[Param, ...]
    result: TypeAdapter[Any] | None  # None: void, answered with 204
    write: bool
    extension: bool = False  # a syncspec extension, not part of SuperOffice's ErpSync agent


_INT: TypeAdapter[Any] = TypeAdapter(int)
_BOOL: TypeAdapter[Any] = TypeAdapter(bool)
_STR: TypeAdapter[Any] = TypeAdapter(str)
_ACTOR: TypeAdapter[Any] = TypeAdapter(ErpActorType)
_INTS: TypeAdapter[Any] = TypeAdapter(list[int])
_STRS: TypeAdapter[Any] = TypeAdapter(list[str])
_DICT: TypeAdapter[Any] = TypeAdapter(dict[str, str])


def _p(wire: str, python: str, adapter: TypeAdapter[Any]) -> Param:
    return Param(wire, python, adapter)


def _m(
    name: str,
    attribute: str,
    params: tuple[Param, ...],
    result: Any,
    *,
    write: bool = False,
    extension: bool = False,
) -> WireMethod:
    adapter = None if result is None else TypeAdapter(result)
    return WireMethod(name, attribute, params, adapter, write, extension)


_CONN_ID = _p("ErpConnectionId", "erp_connection_id", _INT)

METHODS: tuple[WireMethod, ...] = (
    # sync connectors
    _m("GetAllConnectors", "get_all_connectors", (), list[ConnectorListItem]),
    _m(
        "GetErpSyncConnectorEntity",
        "get_erp_sync_connector_entity",
        (_p("ErpSyncConnectorEntityId", "erp_sync_connector_entity_id", _INT),),
        ErpSyncConnectorEntity,
    ),
    _m(
        "SaveErpSyncConnectorEntity",
        "save_erp_sync_connector_entity",
        (_p("Entity", "entity", TypeAdapter(ErpSyncConnectorEntity)),),
        ErpSyncConnectorEntity,
        write=True,
    ),
    _m(
        "CanDeleteErpSyncConnectorEntity",
        "can_delete_erp_sync_connector_entity",
        (_p("ErpSyncConnectorId", "erp_sync_connector_id", _INT),),
        ErpSyncResponseCode,
    ),
    _m(
        "DeleteErpSyncConnectorEntity",
        "delete_erp_sync_connector_entity",
        (_p("ErpSyncConnectorEntityId", "erp_sync_connector_entity_id", _INT),),
        None,
        write=True,
    ),
    _m(
        "GetConfigurationFields",
        "get_configuration_fields",
        (_p("ErpConnectorId", "erp_connector_id", _INT),),
        list[FieldMetadata],
    ),
    _m(
        "CreateDefaultErpSyncConnectorEntity",
        "create_default_erp_sync_connector_entity",
        (),
        ErpSyncConnectorEntity,
    ),
    _m("TestConnectorUrl", "test_connector_url", (_p("Url", "url", _STR),), ErpSyncResponseCode),
    # connections
    _m(
        "GetAllConnections",
        "get_all_connections",
        (_p("IncludeDeleted", "include_deleted", _BOOL),),
        list[ErpConnection],
    ),
    _m("GetConnection", "get_connection", (_CONN_ID,), ErpConnection),
    _m("GetErpConnectionConfigFields", "get_erp_connection_config_fields", (_CONN_ID,), dict[str, str]),
    _m(
        "SaveConnection",
        "save_connection",
        (_p("Connection", "connection", TypeAdapter(ErpConnection)),),
        ErpConnection,
        write=True,
    ),
    _m("DeleteConnection", "delete_connection", (_CONN_ID,), None, write=True),
    _m(
        "TestConnectionByConfig",
        "test_connection_by_config",
        (_CONN_ID, _p("ConfigFields", "config_fields", _DICT)),
        bool,
    ),
    _m("TestConnectionById", "test_connection_by_id", (_CONN_ID,), bool),
    _m("ToggleErpConnectionActive", "toggle_erp_connection_active", (_CONN_ID,), list[str], write=True),
    _m("UpdateConnectionFields", "update_connection_fields", (_CONN_ID,), bool, write=True),
    # mappings
    _m(
        "GetActorTypeMapping",
        "get_actor_type_mapping",
        (_CONN_ID, _p("ActorType", "actor_type", _ACTOR)),
        ErpSyncActorTypeMapping,
    ),
    _m(
        "SaveActorTypeMapping",
        "save_actor_type_mapping",
        (_p("Mapping", "mapping", TypeAdapter(ErpSyncActorTypeMapping)),),
        ErpSyncActorTypeMapping,
        write=True,
    ),
    _m(
        "GetConnectionListMappings",
        "get_connection_list_mappings",
        (_CONN_ID,),
        ErpConnectionListMappingContainer,
    ),
    _m(
        "SaveConnectionListMappings",
        "save_connection_list_mappings",
        (_p("ListMapping", "list_mapping", TypeAdapter(ErpConnectionListMappingContainer)),),
        ErpConnectionListMappingContainer,
        write=True,
    ),
    _m(
        "GetDefaultValueInfo",
        "get_default_value_info",
        (_p("ErpFieldId", "erp_field_id", _INT),),
        ErpSyncDefaultValue,
    ),
    _m(
        "SaveDefaultValueInfo",
        "save_default_value_info",
        (_p("ErpSyncDefaultValue", "erp_sync_default_value", TypeAdapter(ErpSyncDefaultValue)),),
        ErpSyncDefaultValue,
        write=True,
    ),
    _m(
        "MoveErpFieldItem",
        "move_erp_field_item",
        (
            _p("ErpFieldId", "erp_field_id", _INT),
            _p("Direction", "direction", _INT),
            _CONN_ID,
            _p("ErpActorType", "erp_actor_type", _ACTOR),
        ),
        None,
        write=True,
    ),
    _m(
        "SaveErpConnectionSyncPriorities",
        "save_erp_connection_sync_priorities",
        (_p("ErpConnectionIds", "erp_connection_ids", _INTS),),
        bool,
        write=True,
    ),
    # syncspec extensions
    _m(
        "GetErpConnectionSyncPriorities",
        "get_erp_connection_sync_priorities",
        (),
        list[int],
        extension=True,
    ),
    _m(
        "GetErpFieldRanks",
        "get_erp_field_ranks",
        (_CONN_ID, _p("ErpActorType", "erp_actor_type", _ACTOR)),
        list[ErpFieldRank],
        extension=True,
    ),
    _m(
        "GetErpListItems",
        "get_erp_list_items",
        (_CONN_ID, _p("ListName", "list_name", _STR)),
        list[ErpListItem],
        extension=True,
    ),
    _m("GetCrmFields", "get_crm_fields", (), list[CrmField], extension=True),
    _m("GetCrmLists", "get_crm_lists", (), list[CrmList], extension=True),
    _m("GetAssociates", "get_associates", (), list[MDOListItem], extension=True),
    _m("GetUserGroups", "get_user_groups", (), list[MDOListItem], extension=True),
)

BY_NAME: dict[str, WireMethod] = {m.name: m for m in METHODS}
BY_ATTRIBUTE: dict[str, WireMethod] = {m.attribute: m for m in METHODS}


# --- bodies ---------------------------------------------------------------------------
def encode_value(adapter: TypeAdapter[Any], value: Any) -> Any:
    return adapter.dump_python(value, mode="json", by_alias=True)


def encode_body(method: WireMethod, args: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON request body for a call with Python arguments `args` (by parameter name)."""
    return {p.wire: encode_value(p.adapter, args[p.python]) for p in method.params}


def decode_body(method: WireMethod, body: Any) -> dict[str, Any]:
    """Python arguments from a request body; raises ValueError naming the bad property."""
    if not isinstance(body, dict):
        raise ValueError("the request body must be a JSON object")
    args: dict[str, Any] = {}
    for p in method.params:
        if p.wire not in body:
            raise ValueError(f"missing parameter '{p.wire}'")
        try:
            args[p.python] = p.adapter.validate_python(body[p.wire])
        except ValidationError as exc:
            raise ValueError(f"parameter '{p.wire}' is not valid: {_first_error(exc)}") from None
    return args


def encode_result(method: WireMethod, value: Any) -> Any:
    if method.result is None:
        return None
    return encode_value(method.result, value)


def decode_result(method: WireMethod, data: Any) -> Any:
    """The Python return value from a response's JSON; a malformed answer is a TargetError."""
    if method.result is None:
        return None
    try:
        return method.result.validate_python(data)
    except ValidationError as exc:
        raise TargetError(
            f"{method.name}: the tenant answered with an unexpected shape ({_first_error(exc)})",
            hint="is the URL a SuperOffice tenant (or the syncspec emulator)?",
        ) from None


def _first_error(exc: ValidationError) -> str:
    # Only the location and the kind of problem: the input value could be a secret.
    err = exc.errors()[0]
    where = ".".join(str(x) for x in err.get("loc", ())) or "value"
    return f"{where}: {err.get('msg', 'invalid')}"


# --- errors ---------------------------------------------------------------------------
def error_body(
    method: str,
    message: str,
    *,
    error_type: str,
    reasons: tuple[str, ...] = (),
    error_code: str = "",
) -> dict[str, Any]:
    """The JSON error object the emulator answers (shape in docs/rest.md)."""
    return {
        "Error": message,
        "ErrorType": error_type,
        "Message": message,
        "Source": f"ErpSync.{method}",
        "Data": {"Reasons": list(reasons), "ErrorCode": error_code},
    }


def agent_error_body(exc: AgentError) -> dict[str, Any]:
    return error_body(
        exc.method, exc.reason_text, error_type=REFUSAL, reasons=exc.reasons, error_code=exc.error_code
    )


@dataclass(frozen=True)
class ErrorInfo:
    """What an error answer says, whatever of it was there."""

    message: str
    error_type: str
    reasons: tuple[str, ...]
    error_code: str
    structured: bool  # the body had SuperOffice's error shape


def read_error(body: Any, fallback: str) -> ErrorInfo:
    """Pick the message, type, reasons and code out of an error body (any JSON, or none)."""
    if not isinstance(body, dict) or not any(k in body for k in ("Error", "Message", "ErrorType")):
        return ErrorInfo(fallback, "", (), "", False)
    message = body.get("Message") or body.get("Error") or fallback
    data = body.get("Data") if isinstance(body.get("Data"), dict) else {}
    assert isinstance(data, dict)
    raw_reasons = data.get("Reasons")
    reasons = tuple(str(r) for r in raw_reasons) if isinstance(raw_reasons, list) else ()
    return ErrorInfo(
        message=str(message),
        error_type=str(body.get("ErrorType") or ""),
        reasons=reasons,
        error_code=str(data.get("ErrorCode") or ""),
        structured=True,
    )


def is_refusal(status: int, info: ErrorInfo) -> bool:
    """A tenant refusal (AgentError, never retried) rather than a server fault (TargetError)."""
    if not info.structured:
        return False
    if 400 <= status < 500:
        return True
    return status == 500 and info.error_type not in TRANSIENT_ERROR_TYPES
