"""The demo ERP's catalogue: clients, users, config fields, actor types and lists.

The catalogue is data (`catalogue.json` beside this module), read once and checked on load,
so a broken edit of the data file fails loudly in the first test rather than as a strange
answer to the tenant.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import TypeVar

from syncspec.embedded.connectors.base import FieldMetadataInfo
from syncspec.embedded.connectors.encoding import InvalidValue, parse_value
from syncspec.model.enums import (
    AGENT_FIELD_TYPE,
    CRM_ACTOR_FOR_ERP,
    FieldAccess,
    FieldMetadataType,
    FieldMetadataTypeInfo,
)

CATALOGUE_FILE = "catalogue.json"
FORMAT_VERSION = 1

_ACTOR_FIELD_KEY = re.compile(r"\A[A-Z0-9_]+\Z")
_CONFIG_FIELD_KEY = re.compile(r"\A[a-z][a-z0-9_]*\Z")
# SuperOffice's ERP sync only syncs the actor types it maps to a CRM entity (not Employee, Sale).
_SYNCABLE_ACTORS = frozenset(actor.value for actor in CRM_ACTOR_FOR_ERP)


class CatalogueError(ValueError):
    """The catalogue data is inconsistent; the message lists every problem found."""


@dataclass(frozen=True)
class ActorCatalogue:
    """One ERP actor type: its fields in rank order, its key field and its searchable fields."""

    name: str
    id_field: str
    fields: tuple[FieldMetadataInfo, ...]
    searchable: tuple[str, ...]


@dataclass(frozen=True)
class Catalogue:
    """Everything the demo ERP knows about itself."""

    erp_name: str
    clients: Mapping[int, str]
    users: tuple[str, ...]
    config_fields: tuple[FieldMetadataInfo, ...]
    config_lists: frozenset[str]
    actor_types: Mapping[str, ActorCatalogue]
    lists: Mapping[str, Mapping[str, str]]


class _Reader:
    """Reads untyped JSON, collecting problems instead of stopping at the first one."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def obj(self, value: object, where: str) -> dict[str, object]:
        if isinstance(value, dict) and all(isinstance(k, str) for k in value):
            return value
        self.fail(where, "expected an object")
        return {}

    def text(self, value: object, where: str, *, empty_ok: bool = False) -> str:
        if isinstance(value, str) and (empty_ok or value):
            return value
        self.fail(where, "expected a text" if empty_ok else "expected a non-empty text")
        return ""

    def texts(self, value: object, where: str) -> list[str]:
        if isinstance(value, list) and all(isinstance(v, str) and v for v in value):
            return [str(v) for v in value]
        self.fail(where, "expected a list of non-empty texts")
        return []

    def unique(self, keys: list[str], where: str) -> None:
        seen: set[str] = set()
        for key in keys:
            if key in seen:
                self.fail(where, f"duplicate key {key!r}")
            seen.add(key)


def parse_catalogue(data: object) -> Catalogue:
    """Build and check a catalogue from its JSON data. Raises `CatalogueError` listing all problems."""
    reader = _Reader()
    root = reader.obj(data, "catalogue")
    if root.get("format_version") != FORMAT_VERSION:
        reader.fail("format_version", f"expected {FORMAT_VERSION}")
    lists = _read_lists(reader, root.get("lists"))
    config_lists = frozenset(reader.texts(root.get("config_lists", []), "config_lists"))
    for name in sorted(config_lists - lists.keys()):
        reader.fail("config_lists", f"list {name!r} is not in lists")
    config_fields = _read_fields(reader, root.get("config_fields"), "config_fields", lists, config=True)
    actors: dict[str, ActorCatalogue] = {}
    for name, raw in reader.obj(root.get("actor_types"), "actor_types").items():
        actors[name] = _read_actor(reader, name, raw, lists)
    if not actors:
        reader.fail("actor_types", "the ERP must offer at least one actor type")
    clients = _read_clients(reader, root.get("clients"))
    users = tuple(reader.texts(root.get("users"), "users"))
    erp_name = reader.text(root.get("erp_name"), "erp_name")
    if reader.problems:
        raise CatalogueError("invalid demo ERP catalogue:\n  " + "\n  ".join(reader.problems))
    return Catalogue(
        erp_name=erp_name,
        clients=clients,
        users=users,
        config_fields=config_fields,
        config_lists=config_lists,
        actor_types=actors,
        lists=lists,
    )


def _read_lists(reader: _Reader, raw: object) -> dict[str, dict[str, str]]:
    lists: dict[str, dict[str, str]] = {}
    for name, items in reader.obj(raw, "lists").items():
        where = f"lists.{name}"
        entries = reader.obj(items, where)
        if not entries:
            reader.fail(where, "a list needs at least one item")
        lists[name] = {key: reader.text(text, f"{where}.{key}") for key, text in entries.items()}
        for key in entries:
            if not key or key != key.strip():
                reader.fail(where, f"item key {key!r} is empty or has surrounding spaces")
    return lists


def _read_clients(reader: _Reader, raw: object) -> dict[int, str]:
    clients: dict[int, str] = {}
    for number, name in reader.obj(raw, "clients").items():
        if not number.isdigit():
            reader.fail("clients", f"client number {number!r} is not a number")
            continue
        clients[int(number)] = reader.text(name, f"clients.{number}")
    if not clients:
        reader.fail("clients", "the ERP needs at least one client")
    return clients


def _read_actor(
    reader: _Reader, name: str, raw: object, lists: Mapping[str, Mapping[str, str]]
) -> ActorCatalogue:
    where = f"actor_types.{name}"
    if name not in _SYNCABLE_ACTORS:
        reader.fail(where, f"not an actor type ERP sync supports ({', '.join(sorted(_SYNCABLE_ACTORS))})")
    body = reader.obj(raw, where)
    fields = _read_fields(reader, body.get("fields"), f"{where}.fields", lists, config=False)
    by_key = {f.field_key: f for f in fields}
    id_field = reader.text(body.get("id_field"), f"{where}.id_field")
    if id_field and id_field not in by_key:
        reader.fail(f"{where}.id_field", f"{id_field!r} is not one of its fields")
    elif id_field and by_key[id_field].access is not FieldAccess.READ_ONLY:
        reader.fail(f"{where}.id_field", f"{id_field!r} must be ReadOnly (ID fields cannot sync)")
    searchable = reader.texts(body.get("searchable"), f"{where}.searchable")
    reader.unique(searchable, f"{where}.searchable")
    for key in searchable:
        if key not in by_key:
            reader.fail(f"{where}.searchable", f"{key!r} is not one of its fields")
    return ActorCatalogue(name=name, id_field=id_field, fields=fields, searchable=tuple(searchable))


def _read_fields(
    reader: _Reader, raw: object, where: str, lists: Mapping[str, Mapping[str, str]], *, config: bool
) -> tuple[FieldMetadataInfo, ...]:
    if not isinstance(raw, list) or not raw:
        reader.fail(where, "expected a non-empty list of fields")
        return ()
    fields = [
        _read_field(reader, item, f"{where}[{index}]", index + 1, lists, config=config)
        for index, item in enumerate(raw)
    ]
    reader.unique([f.field_key for f in fields], where)
    return tuple(fields)


def _read_field(
    reader: _Reader,
    raw: object,
    where: str,
    rank: int,
    lists: Mapping[str, Mapping[str, str]],
    *,
    config: bool,
) -> FieldMetadataInfo:
    body = reader.obj(raw, where)
    key = reader.text(body.get("key"), f"{where}.key")
    pattern = _CONFIG_FIELD_KEY if config else _ACTOR_FIELD_KEY
    if key and not pattern.match(key):
        reader.fail(where, f"field key {key!r} does not match {pattern.pattern[2:-2]}")
    where = f"{where} ({key})" if key else where
    # The catalogue speaks the connector side's names (Datetime); the rest of syncspec the agent's (Date).
    field_type = AGENT_FIELD_TYPE[_enum(reader, FieldMetadataTypeInfo, body.get("type"), f"{where}.type")]
    access = _enum(reader, FieldAccess, body.get("access", FieldAccess.NORMAL.value), f"{where}.access")
    if not config and field_type in (FieldMetadataType.LABEL, FieldMetadataType.PASSWORD):
        reader.fail(where, f"{field_type.value} fields belong to the config, not to actor types")
    list_name = _read_list_name(reader, body, where, field_type, lists)
    default = reader.text(body.get("default", ""), f"{where}.default", empty_ok=True)
    if default:
        _check_default(reader, where, field_type, default, lists.get(list_name, {}))
    max_length = _read_max_length(reader, body, where)
    unknown = set(body) - {"key", "name", "type", "access", "list", "default", "max_length", "description"}
    if unknown:
        reader.fail(where, f"unknown properties {', '.join(sorted(unknown))}")
    return FieldMetadataInfo(
        field_key=key,
        display_name=reader.text(body.get("name"), f"{where}.name"),
        field_type=field_type,
        access=access,
        display_description=reader.text(body.get("description", ""), f"{where}.description", empty_ok=True),
        list_name=list_name,
        default_value=default,
        max_length=max_length,
        rank=rank,
    )


def _read_list_name(
    reader: _Reader,
    body: Mapping[str, object],
    where: str,
    field_type: FieldMetadataType,
    lists: Mapping[str, Mapping[str, str]],
) -> str:
    list_name = reader.text(body.get("list", ""), f"{where}.list", empty_ok=True)
    if field_type is FieldMetadataType.LIST and list_name not in lists:
        reader.fail(where, f"List field needs a list from lists, got {list_name!r}")
    if field_type is not FieldMetadataType.LIST and list_name:
        reader.fail(where, "only List fields name a list")
    return list_name


def _read_max_length(reader: _Reader, body: Mapping[str, object], where: str) -> int:
    max_length = body.get("max_length", 0)
    if isinstance(max_length, bool) or not isinstance(max_length, int) or max_length < 0:
        reader.fail(f"{where}.max_length", "expected a whole number >= 0 (0 = unlimited)")
        return 0
    return max_length


def _check_default(
    reader: _Reader, where: str, field_type: FieldMetadataType, default: str, items: Mapping[str, str]
) -> None:
    if field_type is FieldMetadataType.LIST:
        if default not in items:
            reader.fail(f"{where}.default", f"{default!r} is not a key of its list")
        return
    try:
        parse_value(field_type, default)
    except InvalidValue as exc:
        reader.fail(f"{where}.default", str(exc))


_E = TypeVar("_E", FieldMetadataTypeInfo, FieldAccess)


def _enum(reader: _Reader, kind: type[_E], raw: object, where: str) -> _E:
    for member in kind:
        if member.value == raw:
            return member
    reader.fail(where, f"expected one of {', '.join(m.value for m in kind)}")
    return next(iter(kind))


@functools.cache
def load_catalogue() -> Catalogue:
    """The packaged catalogue, read and checked once per process."""
    text = (
        resources.files(__package__ or "syncspec.embedded.connectors.demo")
        .joinpath(CATALOGUE_FILE)
        .read_text(encoding="utf-8")
    )
    return parse_catalogue(json.loads(text))
