"""The shape of each step's `data`, checked when a plan file is read.

A plan file is input from outside this process (a CI artifact, an editor): a step whose data
has the wrong type must be refused with the step and the field named, before the applier
converts it into calls against a tenant.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from syncspec.plan.ops import StepKind

Check = Callable[[Any], bool]


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _id(value: Any) -> bool:
    """A live id, or null where the object does not exist yet."""
    return value is None or _int(value)


def _text(value: Any) -> bool:
    return isinstance(value, str)


def _text_or_null(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _flag(value: Any) -> bool:
    return isinstance(value, bool)


def _flag_or_null(value: Any) -> bool:
    return value is None or _flag(value)


def _texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _access(value: Any) -> bool:
    if value is None or value == "everyone":
        return True
    return (
        isinstance(value, dict)
        and set(value) <= {"groups", "users"}
        and all(_texts(v) for v in value.values())
    )


def _config(value: Any) -> bool:
    return isinstance(value, dict) and all(_text_or_null(v) for v in value.values())


_FIELD: dict[str, Check] = {
    "field_id": _id,
    "crm": _text_or_null,
    "direction": _text,
    "show_in_search": _flag,
    "show_in_tab": _flag,
}


def _fields(value: Any) -> bool:
    """key -> field attributes; a field first seen on a new connection carries only those it asks for."""
    return isinstance(value, dict) and all(
        isinstance(v, dict) and all(_FIELD.get(k, _never)(a) for k, a in v.items()) for v in value.values()
    )


def _never(value: Any) -> bool:
    return False


def _lists(value: Any) -> bool:
    """actor -> list field -> ERP item -> CRM item id or null."""
    return isinstance(value, dict) and all(
        isinstance(per_field, dict)
        and all(
            isinstance(items, dict) and all(_id(v) for v in items.values()) for items in per_field.values()
        )
        for per_field in value.values()
    )


def _direction(value: Any) -> bool:
    return value in (-1, 1) and not isinstance(value, bool)


_ID_ONLY: dict[str, Check] = {"id": _id}

SHAPES: dict[StepKind, dict[str, Check]] = {
    StepKind.SAVE_CONNECTOR: {"name": _text, "id": _id, "url": _text},
    StepKind.SAVE_CONNECTION: {
        "id": _id,
        "name": _text,
        "create": _flag,
        "connector": _text,
        "description": _text_or_null,
        "access": _access,
        "config": _config,
        "sensitive_keys": _texts,
    },
    StepKind.REFRESH_FIELDS: _ID_ONLY,
    StepKind.DEACTIVATE: _ID_ONLY,
    StepKind.ACTIVATE: _ID_ONLY,
    StepKind.DELETE_CONNECTION: _ID_ONLY,
    StepKind.SAVE_ACTOR_MAPPING: {"connection_id": _id, "actor": _text, "sync": _flag, "fields": _fields},
    StepKind.SAVE_LIST_MAPPINGS: {"connection_id": _id, "lists": _lists},
    StepKind.SAVE_DEFAULT: {
        "connection_id": _id,
        "actor": _text,
        "field": _text,
        "field_id": _id,
        "value": _text_or_null,
        "prompt": _flag,
        "mandatory": _flag,
    },
    StepKind.MOVE_FIELD: {
        "connection_id": _id,
        "actor": _text,
        "field": _text,
        "field_id": _id,
        "direction": _direction,
    },
    StepKind.DELETE_CONNECTOR: {"name": _text, "id": _int},
    StepKind.SAVE_SYNC_PRIORITY: {"order": _texts},
    StepKind.SAVE_SYNC_ENGINE: {"automatic": _flag_or_null, "interval": _text_or_null},
}


def _mistyped(data: Mapping[str, Any], shape: Mapping[str, Check]) -> str:
    """The first field of `data` that is missing or of the wrong type ("" when none is)."""
    for name, check in shape.items():
        if name not in data or not check(data[name]):
            return name
    return ""


def step_data_problem(kind: StepKind, data: Mapping[str, Any], *, exact: bool = False) -> str:
    """Why `data` cannot be the data of a `kind` step ("" when it can); `exact`: a field the
    step's operation does not have is a problem too."""
    shape = SHAPES[kind]
    bad = _mistyped(data, shape)
    unknown = sorted(set(data) - set(shape)) if exact else []
    if not bad and unknown:
        return f"data.{unknown[0]} is not a field of a {kind.value} step"
    if not bad:
        return ""
    if bad not in data:
        return f"data.{bad} is missing"
    return f"data.{bad} has the wrong type or value ({_short(data[bad])})"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
