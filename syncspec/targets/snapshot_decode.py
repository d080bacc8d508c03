"""Decode a snapshot's JSON content into `Metadata`, strictly: any surprise is a located TargetError."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from syncspec.model.enums import CrmActorType, ErpActorType, FieldAccess, FieldMetadataType
from syncspec.model.errors import TargetError
from syncspec.model.metadata import (
    ActorMeta,
    ConfigFieldMeta,
    ConnectionMeta,
    ConnectorMeta,
    CrmFieldMeta,
    CrmListMeta,
    ErpFieldMeta,
    Metadata,
)

E = TypeVar("E", bound=enum.Enum)
T = TypeVar("T")
HINT = "run `syncspec metadata pull` to take a new snapshot"


class _Corrupt(Exception):
    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")


def decode_content(content: Mapping[str, Any], *, source: str, taken_at: str) -> Metadata:
    try:
        return _metadata(content, source=source, taken_at=taken_at)
    except _Corrupt as exc:
        raise TargetError(f"metadata snapshot {source} is corrupt at {exc}", hint=HINT) from None


def _metadata(doc: Mapping[str, Any], *, source: str, taken_at: str) -> Metadata:
    connectors = _obj(doc, "connectors", "$")
    connections = _obj(doc, "connections", "$")
    crm_fields = _obj(doc, "crm_fields", "$")
    crm_lists = _obj(doc, "crm_lists", "$")
    return Metadata(
        connectors={name: _connector(name, v, f"$.connectors.{name}") for name, v in connectors.items()},
        connections={name: _connection(name, v, f"$.connections.{name}") for name, v in connections.items()},
        crm_fields={key: _crm_field(key, v, f"$.crm_fields.{key}") for key, v in crm_fields.items()},
        crm_lists={name: _crm_list(name, v, f"$.crm_lists.{name}") for name, v in crm_lists.items()},
        users=frozenset(_str_list(doc, "users", "$")),
        groups=frozenset(_str_list(doc, "groups", "$")),
        taken_at=taken_at,
        source=source,
    )


def _connector(name: str, value: Any, where: str) -> ConnectorMeta:
    doc = _as_obj(value, where)
    fields: dict[str, ConfigFieldMeta] = {}
    for i, item in enumerate(_list(doc, "config_fields", where)):
        at = f"{where}.config_fields[{i}]"
        f = _as_obj(item, at)
        key = _str(f, "key", at)
        fields[key] = ConfigFieldMeta(
            key=key,
            display_name=_str(f, "display_name", at),
            field_type=_enum(FieldMetadataType, f, "field_type", at),
            access=_enum(FieldAccess, f, "access", at),
            list_name=_str(f, "list_name", at),
            default_value=_str(f, "default_value", at),
            max_length=_int(f, "max_length", at),
        )
    return ConnectorMeta(
        name=name,
        url=_str(doc, "url", where),
        config_fields=fields,
        config_lists=_lists(doc, "config_lists", where),
    )


def _connection(name: str, value: Any, where: str) -> ConnectionMeta:
    doc = _as_obj(value, where)
    actors: dict[ErpActorType, ActorMeta] = {}
    for actor_name, actor_value in _obj(doc, "actors", where).items():
        at = f"{where}.actors.{actor_name}"
        actor = _enum_value(ErpActorType, actor_name, at)
        actor_doc = _as_obj(actor_value, at)
        fields: dict[str, ErpFieldMeta] = {}
        for i, item in enumerate(_list(actor_doc, "fields", at)):
            fat = f"{at}.fields[{i}]"
            f = _as_obj(item, fat)
            key = _str(f, "key", fat)
            fields[key] = ErpFieldMeta(
                key=key,
                display_name=_str(f, "display_name", fat),
                field_type=_enum(FieldMetadataType, f, "field_type", fat),
                access=_enum(FieldAccess, f, "access", fat),
                list_name=_str(f, "list_name", fat),
                max_length=_int(f, "max_length", fat),
                missing_in_erp=_bool(f, "missing_in_erp", fat),
            )
        actors[actor] = ActorMeta(
            actor=actor, crm_actor=_enum(CrmActorType, actor_doc, "crm_actor", at), fields=fields
        )
    return ConnectionMeta(
        name=name,
        connector=_str(doc, "connector", where),
        actors=actors,
        erp_lists=_lists(doc, "erp_lists", where),
        borrowed_from=_str(doc, "borrowed_from", where),
    )


def _crm_field(key: str, value: Any, where: str) -> CrmFieldMeta:
    doc = _as_obj(value, where)
    return CrmFieldMeta(
        key=key,
        display_name=_str(doc, "display_name", where),
        crm_actor=_optional(doc, "crm_actor", where, lambda: _enum(CrmActorType, doc, "crm_actor", where)),
        field_type=_optional(
            doc, "field_type", where, lambda: _enum(FieldMetadataType, doc, "field_type", where)
        ),
        read_only=_optional(doc, "read_only", where, lambda: _bool(doc, "read_only", where)),
        list_name=_str(doc, "list_name", where),
    )


def _optional(doc: Mapping[str, Any], key: str, where: str, read: Callable[[], T]) -> T | None:
    """A fact the snapshot may mark unknown with null (the key itself must be there)."""
    return None if _get(doc, key, where) is None else read()


def _crm_list(name: str, value: Any, where: str) -> CrmListMeta:
    if not isinstance(value, list):
        raise _Corrupt(where, "expected a list of items")
    items: dict[int, str] = {}
    for i, item in enumerate(value):
        at = f"{where}[{i}]"
        doc = _as_obj(item, at)
        items[_int(doc, "id", at)] = _str(doc, "name", at)
    return CrmListMeta(name=name, items=items)


# --- typed accessors ----------------------------------------------------------------------


def _as_obj(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise _Corrupt(where, "expected an object")
    return value


def _get(doc: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in doc:
        raise _Corrupt(where, f"missing {key!r}")
    return doc[key]


def _obj(doc: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    return _as_obj(_get(doc, key, where), f"{where}.{key}")


def _list(doc: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = _get(doc, key, where)
    if not isinstance(value, list):
        raise _Corrupt(f"{where}.{key}", "expected a list")
    return value


def _str(doc: Mapping[str, Any], key: str, where: str) -> str:
    value = _get(doc, key, where)
    if not isinstance(value, str):
        raise _Corrupt(f"{where}.{key}", "expected a string")
    return value


def _int(doc: Mapping[str, Any], key: str, where: str) -> int:
    value = _get(doc, key, where)
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Corrupt(f"{where}.{key}", "expected an integer")
    return value


def _bool(doc: Mapping[str, Any], key: str, where: str) -> bool:
    value = _get(doc, key, where)
    if not isinstance(value, bool):
        raise _Corrupt(f"{where}.{key}", "expected true or false")
    return value


def _str_list(doc: Mapping[str, Any], key: str, where: str) -> list[str]:
    values = _list(doc, key, where)
    if not all(isinstance(v, str) for v in values):
        raise _Corrupt(f"{where}.{key}", "expected a list of strings")
    return values


def _lists(doc: Mapping[str, Any], key: str, where: str) -> dict[str, dict[str, str]]:
    result: dict[str, dict[str, str]] = {}
    for name, items in _obj(doc, key, where).items():
        at = f"{where}.{key}.{name}"
        obj = _as_obj(items, at)
        if not all(isinstance(v, str) for v in obj.values()):
            raise _Corrupt(at, "expected item texts as strings")
        result[name] = dict(obj)
    return result


def _enum(cls: type[E], doc: Mapping[str, Any], key: str, where: str) -> E:
    return _enum_value(cls, _str(doc, key, where), f"{where}.{key}")


def _enum_value(cls: type[E], value: str, where: str) -> E:
    try:
        return cls(value)
    except ValueError:
        known = ", ".join(str(m.value) for m in cls)
        raise _Corrupt(where, f"unknown value {value!r} (expected one of {known})") from None
