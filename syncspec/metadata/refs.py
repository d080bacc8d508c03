"""Where the configuration names what a metadata change changed, and the fix for each place.

`refs_of` walks the desired state for the field, list item, config key, CRM field or user a
change is about, and locates each use by file, line and column through the documents'
origins (positions are read only when asked for). Pure: no I/O, no rules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from syncspec.metadata.changes import ChangeKind as K
from syncspec.metadata.changes import MetadataChange
from syncspec.model.address import Address
from syncspec.model.desired import (
    ActorDesired,
    ConnectionDesired,
    ConnectionDoc,
    DesiredState,
    Direction,
    PerActorDoc,
)
from syncspec.model.diagnostics import Location
from syncspec.model.enums import ErpActorType
from syncspec.model.metadata import Metadata


@dataclass(frozen=True)
class ConfigRef:
    """One place of the configuration that names what changed, and what to do about it."""

    what: str  # "field mapping", "default", "list mapping", "list item mapping", "ranking", ...
    location: Location | None
    address: str  # the rules' address of the thing (diagnostics carry the same)
    fix: str


def _at(doc: PerActorDoc | ConnectionDoc | None, *path: str | int) -> Location | None:
    if doc is None or doc.origin is None:
        return None
    return doc.origin.locate(tuple(path))


def _affected(
    desired: DesiredState, name: str, before: Metadata, after: Metadata
) -> Iterator[ConnectionDesired]:
    """Desired connections described by metadata connection `name` (a new one borrows a sibling's)."""
    for conn in (desired.connections[n] for n in sorted(desired.connections)):
        if conn.name == name:
            yield conn
        elif conn.name not in before.connections and conn.name not in after.connections:
            borrowed = before.for_connection(conn.name, conn.connection.connector) or after.for_connection(
                conn.name, conn.connection.connector
            )
            if borrowed is not None and borrowed.borrowed_from == name:
                yield conn


def _actor_type(value: str) -> ErpActorType | None:
    try:
        return ErpActorType(value)
    except ValueError:
        return None


def refs_of(
    change: MetadataChange, desired: DesiredState, before: Metadata, after: Metadata
) -> list[ConfigRef]:
    """Every place in `desired` that names what `change` changed, with the fix for each."""
    finder = _FINDERS.get(change.kind)
    if finder is None:
        return []  # additions and renames the configuration cannot name yet
    return list(finder(change, desired, before, after))


def _erp_field_refs(
    change: MetadataChange, desired: DesiredState, before: Metadata, after: Metadata
) -> Iterator[ConfigRef]:
    actor = _actor_type(change.actor)
    if actor is None:
        return
    for conn in _affected(desired, change.connection, before, after):
        yield from _field_refs(change, conn, actor)


def _connection_refs(
    change: MetadataChange, desired: DesiredState, before: Metadata, after: Metadata
) -> Iterator[ConfigRef]:
    for conn in (desired.connections[n] for n in sorted(desired.connections)):
        if change.kind is K.CONNECTOR_REMOVED and conn.connection.connector == change.subject:
            yield ConfigRef(
                "connection",
                _at(conn.connection, "connector"),
                str(Address.connection(conn.name)),
                f"connector {change.subject} is gone from the tenant: point the connection at another one",
            )
        elif change.kind is not K.CONNECTOR_REMOVED and conn.name == change.subject:
            yield ConfigRef(
                "connection",
                _at(conn.connection),
                str(Address.connection(conn.name)),
                _CONNECTION_FIX[change.kind],
            )


_CONNECTION_FIX = {
    K.CONNECTION_REMOVED: "the tenant no longer has this connection: the next apply creates it anew",
    K.CONNECTION_CONNECTOR_CHANGED: "the tenant's connection now uses another connector: check `connector:`",
}


def _field_refs(change: MetadataChange, conn: ConnectionDesired, actor: ErpActorType) -> Iterator[ConfigRef]:
    key, docs = change.subject, conn.actor(actor)
    base = Address.connection(conn.name).of_actor(actor.value)
    field = base.of_field(key)
    kind = change.kind
    if kind is K.ACTOR_WITHDRAWN:
        yield from _withdrawn_refs(conn, actor, docs, base)
    elif kind in (K.ERP_FIELD_MADE_MANDATORY, K.ERP_FIELD_ADDED):
        if "Mandatory" in change.after:
            yield from _mandatory_refs(conn, actor, docs, key, field)
    else:
        yield from _mapping_ref(change, docs, field)
        yield from _default_ref(change, docs, field)
        yield from _list_mappings_ref(change, docs, base)
        yield from _ranking_ref(change, docs, base)


def _mapping_ref(change: MetadataChange, docs: ActorDesired, field: Address) -> Iterator[ConfigRef]:
    mapping = docs.mappings.fields.get(change.subject) if docs.mappings is not None else None
    if mapping is None:
        return
    fix = _mapping_fix(change.kind, change.subject, mapping.direction)
    if fix:
        yield ConfigRef("field mapping", _at(docs.mappings, "fields", change.subject), str(field), fix)


def _default_ref(change: MetadataChange, docs: ActorDesired, field: Address) -> Iterator[ConfigRef]:
    key = change.subject
    if docs.defaults is None or key not in docs.defaults.fields:
        return
    fix = {
        K.ERP_FIELD_REMOVED: f"remove the default of {key}",
        K.ERP_FIELD_RETYPED: f"check that the default of {key} fits type {change.after}",
        K.ERP_FIELD_LIST_CHANGED: f"give {key} an item key of the ERP list {change.after}",
        K.ERP_FIELD_CHANGED: f"check that the default of {key} still fits ({change.after})",
    }.get(change.kind, "")
    if fix:
        yield ConfigRef("default", _at(docs.defaults, "fields", key), str(field.of_default(field.key)), fix)


def _list_mappings_ref(change: MetadataChange, docs: ActorDesired, base: Address) -> Iterator[ConfigRef]:
    lists = docs.lists.get(change.subject)
    if lists is None:
        return
    retyped = (
        "delete this ListMappings document" if change.after != "List" else "map the items of the field's list"
    )
    fix = {
        K.ERP_FIELD_REMOVED: "delete this ListMappings document",
        K.ERP_FIELD_RETYPED: retyped,
        K.ERP_FIELD_LIST_CHANGED: f"map the items of the ERP list {change.after} instead",
    }.get(change.kind, "")
    if fix:
        yield ConfigRef("list mappings", _at(lists, "field"), str(base.of_list(change.subject)), fix)


def _ranking_ref(change: MetadataChange, docs: ActorDesired, base: Address) -> Iterator[ConfigRef]:
    key = change.subject
    if change.kind is K.ERP_FIELD_REMOVED and docs.ranking is not None and key in docs.ranking.order:
        index = docs.ranking.order.index(key)
        yield ConfigRef(
            "ranking", _at(docs.ranking, "order", index), str(base.of_ranking()), f"remove {key} from order"
        )


def _mapping_fix(kind: K, key: str, direction: Direction | None) -> str:
    syncs = direction is not None and direction is not Direction.NONE
    if kind is K.ERP_FIELD_REMOVED:
        return f"unmap {key}: remove it from fields"
    if kind is K.ERP_FIELD_RETYPED:
        return f"check that the CRM field of {key} still fits its new type" if syncs else ""
    if kind is K.ERP_FIELD_MADE_READ_ONLY:
        if direction is not None and direction.sync_to_erp:
            return "set direction to-crm (or none): the ERP no longer accepts writes to it"
        return ""
    if kind is K.ERP_FIELD_LIST_CHANGED:
        return f"check the list mapping of {key}"
    return ""


def _mandatory_refs(
    conn: ConnectionDesired, actor: ErpActorType, docs: ActorDesired, key: str, field: Address
) -> Iterator[ConfigRef]:
    mappings = docs.mappings
    spec = mappings.fields.get(key) if mappings is not None else None
    if mappings is None:
        yield ConfigRef(
            "actor",
            _at(conn.connection, "actors", actor.value),
            str(field),
            f"map {key} with a CRM field and a direction (a FieldMappings document for {actor.value})",
        )
    elif spec is None:
        yield ConfigRef(
            "field mappings",
            _at(mappings, "fields"),
            str(field),
            f"map {key} with a CRM field and a direction",
        )
    elif spec.direction in (None, Direction.NONE):
        yield ConfigRef(
            "field mapping",
            _at(mappings, "fields", key),
            str(field),
            f"give {key} a direction (to-crm, to-erp or both)",
        )
    defaults = docs.defaults
    if defaults is not None:
        default = defaults.fields.get(key)
        if default is None:
            yield ConfigRef(
                "defaults",
                _at(defaults, "fields"),
                str(field.of_default(key)),
                f"{key} now needs a default source: add it with a value or prompt: true",
            )
        elif default.value is None and not default.prompt:
            yield ConfigRef(
                "default",
                _at(defaults, "fields", key),
                str(field.of_default(key)),
                f"give the default of {key} a value or prompt: true",
            )


def _withdrawn_refs(
    conn: ConnectionDesired, actor: ErpActorType, docs: ActorDesired, base: Address
) -> Iterator[ConfigRef]:
    if actor in conn.connection.actors:
        yield ConfigRef(
            "actor",
            _at(conn.connection, "actors", actor.value),
            str(base),
            f"remove {actor.value} from actors",
        )
    documents: list[PerActorDoc] = [d for d in (docs.mappings, docs.defaults, docs.ranking) if d is not None]
    documents.extend(docs.lists[k] for k in sorted(docs.lists))
    for doc in documents:
        yield ConfigRef(doc.kind, _at(doc, "actor"), str(base), f"delete this {doc.kind} document")


def _fields_on_list(meta: Metadata, connection: str, list_name: str) -> Iterator[tuple[ErpActorType, str]]:
    conn = meta.connections.get(connection)
    if conn is None:
        return
    for actor, actor_meta in conn.actors.items():
        for key, f in actor_meta.fields.items():
            if f.list_name == list_name:
                yield actor, key


def _erp_item_refs(
    change: MetadataChange, desired: DesiredState, before: Metadata, after: Metadata
) -> Iterator[ConfigRef]:
    item = change.subject
    fields = dict.fromkeys(
        [
            *_fields_on_list(before, change.connection, change.owner),
            *_fields_on_list(after, change.connection, change.owner),
        ]
    )
    for conn in _affected(desired, change.connection, before, after):
        for actor, key in fields:
            docs = conn.actor(actor)
            base = Address.connection(conn.name).of_actor(actor.value)
            lists = docs.lists.get(key)
            if change.kind is K.ERP_LIST_REMOVED:
                if lists is not None:
                    yield ConfigRef(
                        "list mappings",
                        _at(lists, "field"),
                        str(base.of_list(key)),
                        f"the items of {change.owner} are no longer published, so they cannot be checked: "
                        "check that the field is still mapped to a CRM list",
                    )
            elif change.kind is K.ERP_LIST_ITEM_REMOVED:
                if lists is not None and item in lists.items:
                    yield ConfigRef(
                        "list item mapping",
                        _at(lists, "items", item),
                        f"{base.of_list(key)}.item.{item}",
                        f"remove item {item} from items",
                    )
                default = docs.defaults.fields.get(key) if docs.defaults is not None else None
                if default is not None and default.value is not None and str(default.value) == item:
                    yield ConfigRef(
                        "default",
                        _at(docs.defaults, "fields", key, "value"),
                        str(base.of_default(key)),
                        f"choose another item key of {change.owner} for the default of {key}",
                    )
            elif lists is not None and item not in lists.items:
                yield ConfigRef(
                    "list mappings",
                    _at(lists, "items"),
                    str(base.of_list(key)),
                    f"add a list item mapping for {item} ({change.after}) under items, or leave it unmapped",
                )


def _config_refs(change: MetadataChange, desired: DesiredState, after: Metadata) -> Iterator[ConfigRef]:
    key = change.subject
    for conn in (desired.connections[n] for n in sorted(desired.connections)):
        doc = conn.connection
        if doc.connector != change.owner:
            continue
        address = str(Address.connection(doc.name))
        if change.kind is K.CONFIG_FIELD_REMOVED and key in doc.config:
            yield ConfigRef("config value", _at(doc, "config", key), address, f"remove {key} from config")
        elif change.kind is K.CONFIG_FIELD_CHANGED and key in doc.config:
            yield ConfigRef(
                "config value", _at(doc, "config", key), address, f"check the value of {key} ({change.after})"
            )
        elif change.kind is K.CONFIG_FIELD_ADDED and "Mandatory" in change.after and key not in doc.config:
            where = _at(doc, "config") if doc.config else _at(doc)
            yield ConfigRef("config", where, address, f"add {key} to config (the connector now requires it)")


def _config_item_refs(change: MetadataChange, desired: DesiredState, before: Metadata) -> Iterator[ConfigRef]:
    for conn in (desired.connections[n] for n in sorted(desired.connections)):
        doc = conn.connection
        connector = before.connectors.get(doc.connector)
        if connector is None:
            continue
        for key, value in doc.config.items():
            meta = connector.config_fields.get(key)
            if meta is not None and meta.list_name == change.owner and str(value) == change.subject:
                yield ConfigRef(
                    "config value",
                    _at(doc, "config", key),
                    str(Address.connection(doc.name)),
                    f"choose another item of {change.owner} for {key}",
                )


def _mappings(desired: DesiredState) -> Iterator[tuple[ConnectionDesired, ErpActorType, ActorDesired]]:
    for name in sorted(desired.connections):
        conn = desired.connections[name]
        for actor in sorted(conn.actors):
            yield conn, actor, conn.actors[actor]


def _crm_field_refs(change: MetadataChange, desired: DesiredState) -> Iterator[ConfigRef]:
    fix = (
        "map the field to another CRM field, or unmap it"
        if change.kind is K.CRM_FIELD_REMOVED
        else f"check the mapping still fits ({change.after})"
    )
    for conn, actor, docs in _mappings(desired):
        if docs.mappings is None:
            continue
        for key, spec in docs.mappings.fields.items():
            if spec.crm == change.subject:
                yield ConfigRef(
                    "field mapping",
                    _at(docs.mappings, "fields", key, "crm"),
                    str(Address.connection(conn.name).of_actor(actor.value).of_field(key)),
                    f"{key}: {fix}",
                )


def _crm_item_refs(change: MetadataChange, desired: DesiredState, before: Metadata) -> Iterator[ConfigRef]:
    item_id, name = int(change.subject), change.before
    for conn, actor, docs in _mappings(desired):
        for field_key in sorted(docs.lists):
            lists = docs.lists[field_key]
            crm_key = (
                docs.mappings.fields[field_key].crm
                if docs.mappings and field_key in docs.mappings.fields
                else None
            )
            crm = before.crm_fields.get(crm_key or "")
            if crm is not None and crm.list_name and crm.list_name != change.owner:
                continue
            for erp_key, ref in lists.items.items():
                if ref.id == item_id or (ref.name is not None and ref.name == name):
                    yield ConfigRef(
                        "list item mapping",
                        _at(lists, "items", erp_key),
                        f"{Address.connection(conn.name).of_actor(actor.value).of_list(field_key)}.item.{erp_key}",
                        f"map {erp_key} to another item of the CRM list {change.owner}"
                        if change.kind is K.CRM_LIST_ITEM_REMOVED
                        else f"rename the CRM item to {change.after!r} (or map it by id)",
                    )


def _access_refs(change: MetadataChange, desired: DesiredState) -> Iterator[ConfigRef]:
    part = "users" if change.kind is K.USER_REMOVED else "groups"
    for name in sorted(desired.connections):
        doc = desired.connections[name].connection
        if doc.all_access or isinstance(doc.access, str):
            continue
        names: Iterable[str] = getattr(doc.access, part)
        for index, who in enumerate(names):
            if who == change.subject:
                yield ConfigRef(
                    "access",
                    _at(doc, "access", part, index),
                    str(Address.connection(doc.name)),
                    f"remove {who} from access {part}",
                )


Finder = Callable[[MetadataChange, DesiredState, Metadata, Metadata], Iterable[ConfigRef]]

_FINDERS: dict[K, Finder] = {
    **{k: _erp_field_refs for k in K if k.value.startswith("erp-field")},
    K.ACTOR_WITHDRAWN: _erp_field_refs,
    K.ERP_LIST_ITEM_REMOVED: _erp_item_refs,
    K.ERP_LIST_ITEM_ADDED: _erp_item_refs,
    K.ERP_LIST_REMOVED: _erp_item_refs,
    K.CONFIG_FIELD_REMOVED: lambda c, d, b, a: _config_refs(c, d, a),
    K.CONFIG_FIELD_ADDED: lambda c, d, b, a: _config_refs(c, d, a),
    K.CONFIG_FIELD_CHANGED: lambda c, d, b, a: _config_refs(c, d, a),
    K.CONFIG_LIST_ITEM_REMOVED: lambda c, d, b, a: _config_item_refs(c, d, b),
    K.CRM_FIELD_REMOVED: lambda c, d, b, a: _crm_field_refs(c, d),
    K.CRM_FIELD_CHANGED: lambda c, d, b, a: _crm_field_refs(c, d),
    K.CRM_LIST_ITEM_REMOVED: lambda c, d, b, a: _crm_item_refs(c, d, b),
    K.CRM_LIST_ITEM_RENAMED: lambda c, d, b, a: _crm_item_refs(c, d, b),
    K.USER_REMOVED: lambda c, d, b, a: _access_refs(c, d),
    K.GROUP_REMOVED: lambda c, d, b, a: _access_refs(c, d),
    K.CONNECTION_REMOVED: _connection_refs,
    K.CONNECTION_CONNECTOR_CHANGED: _connection_refs,
    K.CONNECTOR_REMOVED: _connection_refs,
}
