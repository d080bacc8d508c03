"""The ErpSync agent on the wire: one table shared by `RestAgent` (client) and the emulator (server).

Every method is `POST {base}/api/v1/Agents/ErpSync/<Method>`. Its parameters travel where
SuperOffice's method page puts them:

- `body`: a property of the JSON request object, in PascalCase (`{"ErpConnectionId": 5}`);
- `query`: a query-string parameter, spelled exactly as the page spells it
  (`?erpSyncConnectorEntityId=5`);
- `whole`: the JSON request body *is* the parameter (SaveErpSyncConnectorEntity's entity).

The answer is the return value as JSON, or `204 No Content` for void methods. Carriers
use their PascalCase aliases and enums travel as strings, as SuperOffice's WebApi does.

Errors travel as SuperOffice documents them for the Agents WebAPI: a failed call returns
`null`, and an invalid request gets `200` or `400` with `{"Message", "MessageDetail"}`.
Nothing else is read from an error answer (docs/rest.md, "Errors").
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal, get_type_hints

from pydantic import Field, TypeAdapter, ValidationError

from syncspec.model.enums import CrmActorType, ErpActorType, ErpSyncResponseCode
from syncspec.model.errors import AgentError, TargetError
from syncspec.targets.carriers import (
    WIRE_CONTEXT,
    Carrier,
    ConnectorListItem,
    ErpConnection,
    ErpConnectionListMappingContainer,
    ErpSyncActorTypeMapping,
    ErpSyncConnectionSummary,
    ErpSyncConnectorEntity,
    ErpSyncDefaultValue,
    ErpSyncEngineStatus,
    FieldMetadata,
)

AGENT_PATH = "/api/v1/Agents/ErpSync/"

# How deep a JSON document may nest, either direction. The deepest carrier
# (list mappings -> item mapping -> MDO list item -> child items) needs about eight.
MAX_JSON_DEPTH = 32
INT32 = (-(2**31), 2**31 - 1)  # SuperOffice's ids, ranks and directions are int32

# SuperOffice's own wording for a request it cannot bind (Agents WebAPI page).
INVALID_REQUEST = "The request is invalid."

Place = Literal["body", "query", "whole"]


@dataclass(frozen=True)
class Param:
    """One parameter: its wire name, the Python parameter name, how it is (de)serialised, and where."""

    wire: str
    python: str
    adapter: TypeAdapter[Any]
    place: Place = "body"


@dataclass(frozen=True)
class WireMethod:
    """One agent method: SuperOffice's name, the `ErpSyncAgent` attribute, parameters and result."""

    name: str
    attribute: str
    params: tuple[Param, ...]
    result: TypeAdapter[Any] | None  # None: void, answered with 204
    write: bool


_INT: TypeAdapter[Any] = TypeAdapter(Annotated[int, Field(strict=True, ge=INT32[0], le=INT32[1])])
_BOOL: TypeAdapter[Any] = TypeAdapter(Annotated[bool, Field(strict=True)])
_STR: TypeAdapter[Any] = TypeAdapter(Annotated[str, Field(strict=True)])
_ACTOR: TypeAdapter[Any] = TypeAdapter(ErpActorType)
_INTS: TypeAdapter[Any] = TypeAdapter(list[Annotated[int, Field(strict=True, ge=INT32[0], le=INT32[1])]])
_DICT: TypeAdapter[Any] = TypeAdapter(dict[str, str])


def _p(wire: str, python: str, adapter: TypeAdapter[Any], place: Place = "body") -> Param:
    return Param(wire, python, adapter, place)


def _m(
    name: str,
    attribute: str,
    params: tuple[Param, ...],
    result: Any,
    *,
    write: bool = False,
) -> WireMethod:
    adapter = None if result is None else TypeAdapter(result)
    return WireMethod(name, attribute, params, adapter, write)


_CONN_ID = _p("ErpConnectionId", "erp_connection_id", _INT)

METHODS: tuple[WireMethod, ...] = (
    # sync connectors
    _m("GetAllConnectors", "get_all_connectors", (), list[ConnectorListItem]),
    _m(
        "GetErpSyncConnectorEntity",
        "get_erp_sync_connector_entity",
        (_p("erpSyncConnectorEntityId", "erp_sync_connector_entity_id", _INT, "query"),),
        ErpSyncConnectorEntity,
    ),
    _m(
        "SaveErpSyncConnectorEntity",
        "save_erp_sync_connector_entity",
        (_p("entity", "entity", TypeAdapter(ErpSyncConnectorEntity), "whole"),),
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
        (_p("ErpSyncConnectorEntityId", "erp_sync_connector_entity_id", _INT, "query"),),
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
    # the sync engine
    _m("GetEngineStatus", "get_engine_status", (), ErpSyncEngineStatus),
    _m(
        "ChangeEngineStatus",
        "change_engine_status",
        (_p("Run", "run", _BOOL),),
        ErpSyncEngineStatus,
        write=True,
    ),
    _m(
        "ChangeEngineInterval",
        "change_engine_interval",
        (_p("Interval", "interval", _STR),),
        None,
        write=True,
    ),
    # which actor types a connection has, and the CRM side of each (docs/domain.md)
    _m(
        "GetErpSyncConnectionSummary",
        "get_erp_sync_connection_summary",
        (_p("ErpSyncConnectionId", "erp_sync_connection_id", _INT),),
        ErpSyncConnectionSummary,
    ),
    _m(
        "GetCrmActorType",
        "get_crm_actor_type",
        (_CONN_ID, _p("ErpActorType", "erp_actor_type", _ACTOR)),
        CrmActorType,
    ),
)


BY_NAME: dict[str, WireMethod] = {m.name: m for m in METHODS}
BY_ATTRIBUTE: dict[str, WireMethod] = {m.attribute: m for m in METHODS}
# The `ErpSyncAgent` methods that change the tenant (or may), by attribute: what test doubles
# fail or slow down, and what an applier must never repeat blindly.
WRITE_ATTRIBUTES: frozenset[str] = frozenset(m.attribute for m in METHODS if m.write)


def install_agent_methods(
    cls: type, carry_out: Callable[[Any, WireMethod, dict[str, Any]], Any], typed_as: type
) -> None:
    """Give `cls` one method per agent method of the table that `cls` does not write out
    itself. Each binds its arguments (`bind_arguments`) and hands them to
    `carry_out(self, method, arguments)`; it shows the signature, type hints and docstring of
    the same method of `typed_as` (the `ErpSyncAgent` protocol). Being real methods,
    subclasses may override them and call `super()`. A class that does this declares
    `__getattr__` for type checkers only.
    """
    for method in METHODS:
        if method.attribute not in vars(cls):
            typed = getattr(typed_as, method.attribute)
            setattr(cls, method.attribute, _agent_method(method, carry_out, typed))


def _agent_method(
    method: WireMethod, carry_out: Callable[[Any, WireMethod, dict[str, Any]], Any], typed: Any
) -> Callable[..., Any]:
    def agent_method(self: Any, *args: Any, **kwargs: Any) -> Any:
        return carry_out(self, method, bind_arguments(method, args, kwargs))

    agent_method.__name__ = agent_method.__qualname__ = method.attribute
    agent_method.__doc__ = typed.__doc__ or f"SuperOffice's ErpSync {method.name}."
    agent_method.__signature__ = inspect.signature(typed)  # type: ignore[attr-defined]
    agent_method.__annotations__ = get_type_hints(typed)
    return agent_method


def bind_arguments(method: WireMethod, args: Sequence[Any], kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """A call's arguments by Python parameter name, taken as the `ErpSyncAgent` method takes
    them (positionally in the table's order, or by name); a wrong call is a TypeError."""
    names = [p.python for p in method.params]
    if len(args) > len(names):
        raise TypeError(f"{method.attribute}() takes {len(names)} arguments, got {len(args)}")
    bound = dict(zip(names, args, strict=False))
    for name, value in kwargs.items():
        if name not in names or name in bound:
            raise TypeError(f"{method.attribute}() got an unexpected or repeated argument {name!r}")
        bound[name] = value
    missing = [name for name in names if name not in bound]
    if missing:
        raise TypeError(f"{method.attribute}() is missing {', '.join(missing)}")
    return bound


# --- requests ---------------------------------------------------------------------------
@dataclass(frozen=True)
class WireRequest:
    """One call as it travels: query-string parameters, the JSON body (None: no body), and
    `subject`, the object the call is about, for messages (ids and enums only, never values)."""

    query: dict[str, str]
    body: Any
    subject: str


class BadRequest(ValueError):
    """A request the emulator cannot bind. `missing`: a required parameter is absent, which
    SuperOffice answers 200 with an error object; anything else is malformed, answered 400."""

    def __init__(self, detail: str, *, missing: bool) -> None:
        super().__init__(detail)
        self.detail = detail
        self.missing = missing


def encode_value(adapter: TypeAdapter[Any], value: Any) -> Any:
    return adapter.dump_python(value, mode="json", by_alias=True)


def encode_request(method: WireMethod, args: Mapping[str, Any]) -> WireRequest:
    """The request for a call with Python arguments `args` (by parameter name)."""
    query: dict[str, str] = {}
    body: Any = None
    for p in method.params:
        value = encode_value(p.adapter, args[p.python])
        if p.place == "query":
            query[p.wire] = json.dumps(value) if not isinstance(value, str) else value
        elif p.place == "whole":
            body = value
        else:
            body = {} if body is None else body
            body[p.wire] = value
    return WireRequest(query, body, subject(method, args))


def subject(method: WireMethod, args: Mapping[str, Any]) -> str:
    """`Name=value` for the scalar parameters and the identifying properties of carrier ones."""
    parts: list[str] = []
    for p in method.params:
        value = args.get(p.python)
        if isinstance(value, Carrier):
            dumped = value.model_dump(mode="json", by_alias=True)
            parts.extend(f"{key}={dumped.get(key)}" for key in type(value).IDENTITY)
        elif isinstance(value, bool | int):
            parts.append(f"{p.wire}={json.dumps(value)}")
        elif isinstance(value, ErpActorType):
            parts.append(f"{p.wire}={value.value}")
    return ", ".join(parts)


def decode_request(method: WireMethod, query: Mapping[str, str], raw_body: bytes) -> dict[str, Any]:
    """Python arguments from a request, read as strictly as SuperOffice's pages allow.

    Query parameters must be spelled as documented; body properties must be the
    documented ones (an unknown property is refused rather than ignored, so a request in
    the wrong form cannot pass); carriers need their identifying properties.
    """
    body: Any = load_json(raw_body, bound_ints=True) if raw_body.strip() else None
    args = _query_args(method, query)
    whole = next((p for p in method.params if p.place == "whole"), None)
    if whole is not None:
        if body is None:
            raise BadRequest(f"The request body ({whole.wire}) is missing", missing=True)
        args[whole.python] = _validate(whole, body, where="the request body")
        return args
    body_params = [p for p in method.params if p.place == "body"]
    if body_params:
        args.update(_body_args(body_params, body))
    elif body not in (None, {}):
        raise BadRequest(f"{method.name} takes no request body", missing=False)
    return args


def _null_entry(p: Param) -> BadRequest:
    return BadRequest(
        f"The parameters dictionary contains a null entry for parameter '{p.wire}'", missing=True
    )


def _query_args(method: WireMethod, query: Mapping[str, str]) -> dict[str, Any]:
    args: dict[str, Any] = {}
    for p in method.params:
        if p.place != "query":
            continue
        if p.wire not in query:
            raise _null_entry(p)
        args[p.python] = _query_value(p, query[p.wire])
    return args


def _body_args(body_params: list[Param], body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise BadRequest("The request body must be a JSON object", missing=body is None)
    unknown = sorted(set(body) - {p.wire for p in body_params})
    if unknown:
        raise BadRequest(f"Unknown parameter '{unknown[0][:64]}'", missing=False)
    args: dict[str, Any] = {}
    for p in body_params:
        if body.get(p.wire) is None:
            raise _null_entry(p)
        args[p.python] = _validate(p, body[p.wire], where=f"parameter '{p.wire}'")
    return args


def _query_value(p: Param, text: str) -> Any:
    value: Any = text
    if p.adapter is _INT or p.adapter is _BOOL:
        try:
            value = json.loads(text)
        except ValueError:
            raise BadRequest(f"The value '{text[:32]}' is not valid for {p.wire}", missing=False) from None
    return _validate(p, value, where=f"parameter '{p.wire}'")


def _validate(p: Param, value: Any, *, where: str) -> Any:
    try:
        return p.adapter.validate_python(value, context=WIRE_CONTEXT)
    except ValidationError as exc:
        missing = all(e.get("type") in ("missing", "missing_identity") for e in exc.errors())
        raise BadRequest(f"{where} is not valid: {first_error(exc)}", missing=missing) from None


# --- answers ----------------------------------------------------------------------------
def encode_result(method: WireMethod, value: Any) -> Any:
    if method.result is None:
        return None
    return encode_value(method.result, value)


_ERROR_KEYS = frozenset({"Message", "MessageDetail", "ExceptionMessage", "ExceptionType", "StackTrace"})


def error_object(data: Any) -> tuple[str, str] | None:
    """(Message, MessageDetail) when `data` is SuperOffice's error object, else None.

    The shape is an object with `Message` and nothing beyond ASP.NET's error properties.
    A config-field dictionary holding exactly a key `Message` would read as an error too:
    stopping there is safer than taking an error for data.
    """
    if not isinstance(data, dict) or "Message" not in data or not set(data) <= _ERROR_KEYS:
        return None
    message, detail = data.get("Message"), data.get("MessageDetail")
    return (str(message) if message is not None else "", str(detail) if detail is not None else "")


def error_body(message: str, detail: str = "") -> dict[str, str]:
    """The error object, as SuperOffice documents it for the Agents WebAPI."""
    return {"Message": message, "MessageDetail": detail}


def agent_error_body(exc: AgentError) -> dict[str, str]:
    """A tenant refusal as an error object: the reasons, one a line, are the detail."""
    return error_body(exc.reason_text, exc.detail or "\n".join(exc.reasons))


def decode_result(method: WireMethod, data: Any, *, subject: str = "") -> Any:
    """The Python return value from a 200 answer's JSON.

    `null` (SuperOffice's answer for a failed call, or for nothing to return) and the
    error object are refusals (AgentError); any other shape that is not the method's
    result is a TargetError.
    """
    error = error_object(data)
    if error is not None:
        message, detail = error
        raise AgentError(
            method.name, message or "the tenant answered with an error", detail=detail, subject=subject
        )
    if method.result is None:
        return None
    if data is None:
        raise AgentError(
            method.name,
            "the tenant answered null: the call failed, or there was nothing to return",
            subject=subject,
            hint="check that the object exists and that the app may use the ErpSync agent",
        )
    try:
        return method.result.validate_python(data, context=WIRE_CONTEXT)
    except ValidationError as exc:
        called = f"{method.name}({subject})" if subject else method.name
        raise TargetError(
            f"{called}: the tenant answered with an unexpected shape ({first_error(exc)})",
            hint="is the URL a SuperOffice tenant (or the syncspec emulator)?",
        ) from None


def first_error(exc: ValidationError) -> str:
    # Only the location and the kind of problem: the input value could be a secret.
    err = exc.errors(include_input=False, include_url=False)[0]
    where = ".".join(str(x) for x in err.get("loc", ())) or "value"
    return f"{where}: {err.get('msg', 'invalid')}"


# --- JSON from a peer ---------------------------------------------------------------------
class BadJson(ValueError):
    """JSON a peer sent that syncspec will not use: not JSON, too deep, or (server side) a
    number out of int32's range."""


def load_json(raw: bytes, *, bound_ints: bool = False, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse a peer's JSON; too deep, not JSON, or (`bound_ints`) a number outside int32 is BadJson.

    json.loads raises RecursionError on deep input (CPython's decoder guards its
    recursion), and validating deep data would recurse again: both end here instead.
    """
    try:
        value = json.loads(raw)
    except RecursionError:
        raise BadJson(f"the JSON nests deeper than {max_depth} levels") from None
    except (ValueError, UnicodeDecodeError) as exc:
        # e.g. an integer longer than Python's 4300-digit limit; the text itself may be a secret
        raise BadJson(f"not JSON ({type(exc).__name__})") from None
    _check_shape(value, max_depth=max_depth, bound_ints=bound_ints)
    return value


def _check_shape(value: Any, *, max_depth: int, bound_ints: bool) -> None:
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth >= max_depth:
                raise BadJson(f"the JSON nests deeper than {max_depth} levels")
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
        elif bound_ints and type(item) is int and not INT32[0] <= item <= INT32[1]:
            raise BadJson("a number is out of range (int32)")
