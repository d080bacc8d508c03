"""Desired state -> the comparable keyed view, with each kind's ownership rules applied.

A FieldMappings doc owns every field of its actor (unlisted ones become unmapped), a
Defaults doc every default, a ListMappings doc every item of its field, a Connection
doc its whole config. Kinds without a document are left out of the view: not managed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sized
from dataclasses import dataclass, field
from typing import Protocol

from syncspec.model.address import Address
from syncspec.model.applied import JsonValue
from syncspec.model.culture import wire_form
from syncspec.model.desired import (
    ActorDesired,
    ConnectionDesired,
    ConnectionDoc,
    CrmItemRef,
    DefaultsDoc,
    DesiredState,
    FieldMappingsDoc,
    ListMappingsDoc,
)
from syncspec.model.enums import ErpActorType, FieldMetadataType
from syncspec.model.errors import PlanError
from syncspec.model.live import LiveActor, LiveConnection, LiveState
from syncspec.model.metadata import ConfigFieldMeta, ConnectionMeta, Metadata
from syncspec.model.source import JsonPath, Origin
from syncspec.model.text import scalar_text
from syncspec.plan.engine import ENGINE_ADDRESS, desired_engine
from syncspec.plan.model import SENSITIVE, ChangeKind
from syncspec.plan.view import Obj, View, actor_address, connection_address


class ResolvedValue(Protocol):
    """A config value after interpolation (`syncspec.spec.loading.interpolate.Resolved` has this shape)."""

    @property
    def value(self) -> object: ...
    @property
    def sensitive(self) -> bool: ...
    @property
    def missing(self) -> Sized: ...  # the references left unresolved; empty when none


@dataclass
class Normalized:
    view: View
    new_connections: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    # `connection.X.config.KEY` of values from the environment in fields the tenant does not
    # mask (not Password-typed): secret to syncspec although the tenant shows them in clear
    env_secrets: set[str] = field(default_factory=set)


def value_text(field_type: FieldMetadataType | None, value: object) -> str:
    """A config or default value as SuperOffice stores it: CultureDataFormatter form for its type.

    ``30`` on an Integer field is ``"[I:30]"``, ``true`` on a Checkbox ``"[I:1]"``, so a value
    set in SuperOffice's GUI compares equal to the same value written in YAML. A value whose
    type is unknown, or that does not fit its type (validate reports it), stays as written.
    """
    if isinstance(value, str | int | float | bool):
        encoded = wire_form(field_type, value)
        if encoded is not None:
            return encoded
    return scalar_text(value)


def _at(origin: Origin | None, *path: str | int) -> tuple[Origin, JsonPath] | None:
    return (origin, tuple(path)) if origin is not None else None


def _places(
    origin: Origin | None, pairs: Iterable[tuple[str, JsonPath]]
) -> dict[str, tuple[Origin, JsonPath]]:
    return {} if origin is None else {attr: (origin, path) for attr, path in pairs}


def normalize(
    desired: DesiredState,
    live: LiveState,
    metadata: Metadata,
    resolved_config: Mapping[str, Mapping[str, ResolvedValue]],
    keep: Callable[[str], bool] | None = None,
) -> Normalized:
    """`keep`: given, only the connectors and connections whose address it keeps are normalized
    (the planner's narrowed `--only`); the sync priority and engine are always in the view."""
    out = Normalized(view={})
    for name in sorted(desired.connectors):
        if keep is not None and not keep(str(Address.connector(name))):
            continue
        doc = desired.connectors[name]
        places = _places(doc.origin, [("", ()), ("url", ("url",))])
        out.view[str(Address.connector(name))] = Obj(
            ChangeKind.CONNECTOR, attrs={"url": doc.url}, locations=places
        )
    for name in sorted(desired.connections):
        if keep is not None and not keep(connection_address(name)):
            continue
        _connection(out, desired.connections[name], live, metadata, resolved_config.get(name, {}))
    if desired.sync_priority is not None:
        priority = desired.sync_priority
        places = _places(priority.origin, [("", ()), ("order", ("order",))])
        order = list[JsonValue](priority.order)
        out.view[str(Address.sync_priority())] = Obj(
            ChangeKind.SYNC_PRIORITY, attrs={"order": order}, locations=places
        )
    if desired.sync_engine is not None:
        out.view[ENGINE_ADDRESS] = desired_engine(desired.sync_engine)
    return out


def _connection(
    out: Normalized,
    desired: ConnectionDesired,
    live: LiveState,
    metadata: Metadata,
    resolved: Mapping[str, ResolvedValue],
) -> None:
    doc = desired.connection
    name = doc.name
    address = connection_address(name)
    obj = Obj(
        ChangeKind.CONNECTION,
        name,
        {
            "connector": doc.connector,
            "description": doc.description,
            "access": _access(doc),
            "active": doc.active,
        },
        owned={"config.": ""},
    )
    obj.locations = _places(
        doc.origin, [("", ()), *((a, (a,)) for a in ("connector", "description", "access", "active"))]
    )
    connector_meta = metadata.connectors.get(doc.connector)
    for key in sorted(doc.config):
        field_meta = connector_meta.config_fields.get(key) if connector_meta else None
        _config_value(out, obj, doc, key, resolved.get(key), field_meta)
    out.view[address] = obj
    _connection_actors(out, desired, live, metadata)


def _access(doc: ConnectionDoc) -> JsonValue:
    if doc.access == "everyone":
        return "everyone"
    return {
        "groups": list[JsonValue](sorted(doc.access.groups)),
        "users": list[JsonValue](sorted(doc.access.users)),
    }


def _config_value(
    out: Normalized,
    obj: Obj,
    doc: ConnectionDoc,
    key: str,
    got: ResolvedValue | None,
    field_meta: ConfigFieldMeta | None,
) -> None:
    """One config value of the connection: compared in its stored form, or masked when secret."""
    address = connection_address(doc.name)
    attribute = f"config.{key}"
    if doc.origin is not None:
        obj.locations[attribute] = (doc.origin, ("config", key))
    from_env = got is not None and got.sensitive
    masked = field_meta is not None and field_meta.sensitive
    sensitive = from_env or masked
    if from_env and not masked:
        out.env_secrets.add(f"{address}.{attribute}")
    if got is not None and got.missing:
        obj.skip.add(attribute)
        out.notes.append(f"{address} {attribute} has no value (unset variable) and is not compared")
        obj.attrs[attribute] = SENSITIVE if sensitive else ""
        return
    text = value_text(
        field_meta.field_type if field_meta else None, got.value if got is not None else doc.config[key]
    )
    if sensitive:
        obj.sensitive.add(attribute)
        obj.secrets[attribute] = text
        obj.attrs[attribute] = SENSITIVE
    else:
        obj.attrs[attribute] = text


def _connection_actors(
    out: Normalized, desired: ConnectionDesired, live: LiveState, metadata: Metadata
) -> None:
    """Every actor type the connection offers or the configuration names, and what lies below."""
    doc = desired.connection
    name = doc.name
    existing = live.connections.get(name)
    if existing is None:
        out.new_connections.add(name)
    meta = metadata.for_connection(name, doc.connector)
    offered = set(existing.actors if existing else ()) | set(meta.actors if meta else ())
    for actor in sorted(offered | set(doc.actors)):
        spec = doc.actors.get(actor)
        places = _places(
            doc.origin, [("", ("actors", actor.value)), ("sync", ("actors", actor.value, "sync"))]
        )
        sync = spec.sync if spec is not None else False
        out.view[actor_address(name, actor.value)] = Obj(
            ChangeKind.ACTOR, name, {"sync": sync}, locations=places
        )
        keys = _field_keys(existing, meta, actor)
        _actor(out, name, actor, desired.actor(actor), keys, existing, meta, metadata)


def _field_keys(
    existing: LiveConnection | None, meta: ConnectionMeta | None, actor: ErpActorType
) -> list[str]:
    if existing is not None:
        live_actor = existing.actors.get(actor)
        return list(live_actor.fields) if live_actor else []
    actor_meta = meta.actors.get(actor) if meta else None
    return list(actor_meta.fields) if actor_meta else []


def _actor(
    out: Normalized,
    name: str,
    actor: ErpActorType,
    docs: ActorDesired,
    keys: list[str],
    existing: LiveConnection | None,
    meta: ConnectionMeta | None,
    metadata: Metadata,
) -> None:
    base = Address.connection(name).of_actor(actor.value)
    if docs.mappings is not None:
        _mappings(out, name, base, docs.mappings, keys)
    if docs.defaults is not None:
        actor_meta = meta.actors.get(actor) if meta else None
        mandatory = {k for k, f in actor_meta.fields.items() if f.mandatory} if actor_meta else set()
        types = {k: f.field_type for k, f in actor_meta.fields.items()} if actor_meta else {}
        _defaults(out, name, base, docs.defaults, keys, mandatory, types)
    for list_field in sorted(docs.lists):
        _list(out, name, base, actor, docs, docs.lists[list_field], existing, meta, metadata)
    if docs.ranking is not None:
        doc = docs.ranking
        places = _places(doc.origin, [("", ()), ("order", ("order",))])
        out.view[str(base.of_ranking())] = Obj(
            ChangeKind.RANKING, name, {"order": list[JsonValue](doc.order)}, locations=places
        )


def _mappings(out: Normalized, name: str, base: Address, doc: FieldMappingsDoc, keys: list[str]) -> None:
    for key in [*keys, *(k for k in doc.fields if k not in keys)]:
        spec = doc.fields.get(key)
        attrs: dict[str, JsonValue] = {
            "crm": (spec.crm or "") if spec else "",
            "direction": spec.direction.value if spec and spec.direction else "none",
            "show_in_search": bool(spec.show_in_search) if spec else False,
            "show_in_tab": bool(spec.show_in_tab) if spec else False,
        }
        if spec is None:
            places = _places(doc.origin, [("", ("fields",))])  # unlisted: the doc's field list owns it
        else:
            places = _places(doc.origin, [("", ("fields", key)), *((a, ("fields", key, a)) for a in attrs)])
        out.view[str(base.of_field(key))] = Obj(ChangeKind.FIELD, name, attrs, locations=places)


def _defaults(
    out: Normalized,
    name: str,
    base: Address,
    doc: DefaultsDoc,
    keys: list[str],
    mandatory: set[str],
    types: Mapping[str, FieldMetadataType],
) -> None:
    for key in [*keys, *(k for k in doc.fields if k not in keys)]:
        spec = doc.fields.get(key)
        if spec is None and key in mandatory:
            # A connector-Mandatory field stays mandatory whatever is saved, and SuperOffice
            # refuses a mandatory default without a value or a prompt: the document cannot
            # clear it, so a field it does not list is left as the tenant holds it rather
            # than given a default the user never wrote.
            continue
        attrs: dict[str, JsonValue] = {
            "value": value_text(types.get(key), spec.value) if spec and spec.value is not None else None,
            "prompt": bool(spec.prompt) if spec else False,
            # the connector declares these mandatory; the tenant always keeps them so
            "mandatory": (bool(spec.mandatory) if spec else False) or key in mandatory,
        }
        if spec is None:
            places = _places(doc.origin, [("", ("fields",))])
        else:
            places = _places(doc.origin, [("", ("fields", key)), *((a, ("fields", key, a)) for a in attrs)])
        out.view[str(base.of_default(key))] = Obj(ChangeKind.DEFAULT, name, attrs, locations=places)


def _list(
    out: Normalized,
    name: str,
    base: Address,
    actor: ErpActorType,
    docs: ActorDesired,
    doc: ListMappingsDoc,
    existing: LiveConnection | None,
    meta: ConnectionMeta | None,
    metadata: Metadata,
) -> None:
    live_actor = existing.actors.get(actor) if existing else None
    live_field = live_actor.fields.get(doc.field) if live_actor else None
    crm = _crm_field_of(doc.field, docs, live_field.crm if live_field else "")
    if existing is None and _named_items_wait(metadata, crm, doc):
        # A real tenant names a CRM field's list only once the field is mapped (ListReference):
        # the follow-up plan after the connection is created resolves these item names.
        out.notes.append(f"{base.of_list(doc.field)} is planned after the connection is created")
        return
    attrs: dict[str, JsonValue] = {}
    places = _places(doc.origin, [("", ("items",))])
    for item in sorted(_list_items(actor, doc, live_actor, meta)):
        ref = doc.items.get(item)
        if ref is not None and doc.origin is not None:
            places[f"item.{item}"] = (doc.origin, ("items", item))
        attrs[f"item.{item}"] = _resolve_item(ref, crm, metadata, doc, item) if ref is not None else None
    out.view[str(base.of_list(doc.field))] = Obj(
        ChangeKind.LIST,
        name,
        attrs,
        locations=places,
        owned={"item.": None},
        labels=_crm_item_labels(metadata, crm),
    )


def _named_items_wait(metadata: Metadata, crm: str, doc: ListMappingsDoc) -> bool:
    """Items named by CRM item name whose CRM list the tenant cannot say yet."""
    return _list_unknown(metadata, crm) and any(r.name is not None for r in doc.items.values())


def _list_items(
    actor: ErpActorType, doc: ListMappingsDoc, live_actor: LiveActor | None, meta: ConnectionMeta | None
) -> list[str]:
    """The ERP items of a list field: the connector's, those mapped live, those configured."""
    actor_meta = meta.actors.get(actor) if meta else None
    erp_field = actor_meta.fields.get(doc.field) if actor_meta else None
    universe = list(meta.erp_lists.get(erp_field.list_name, {})) if meta and erp_field else []
    if live_actor is not None:
        universe += [k for k in live_actor.lists.get(doc.field, {}) if k not in universe]
    return universe + [k for k in doc.items if k not in universe]


def _crm_item_labels(metadata: Metadata, crm: str) -> dict[str, str]:
    """CRM item id -> name of the list CRM field `crm` uses, so a plan can name the ids."""
    crm_field = metadata.crm_fields.get(crm)
    crm_list = metadata.crm_lists.get(crm_field.list_name) if crm_field and crm_field.list_name else None
    return {str(item_id): item_name for item_id, item_name in crm_list.items.items()} if crm_list else {}


def _list_unknown(metadata: Metadata, crm: str) -> bool:
    """The tenant has not said which CRM list `crm` uses (and not that it has none)."""
    crm_field = metadata.crm_fields.get(crm)
    return crm_field is not None and not crm_field.list_name and crm_field.field_type is None


def _crm_field_of(erp_field: str, docs: ActorDesired, live_crm: str) -> str:
    if docs.mappings is not None:
        spec = docs.mappings.fields.get(erp_field)
        return (spec.crm or "") if spec else ""
    return live_crm


def _resolve_item(
    ref: CrmItemRef, crm: str, metadata: Metadata, doc: ListMappingsDoc, item: str
) -> int | None:
    if ref.id is not None:
        return ref.id
    if ref.name is None:
        return None
    where = doc.origin.locate(("items", item)) if doc.origin is not None else None
    crm_field = metadata.crm_fields.get(crm)
    crm_list = metadata.crm_lists.get(crm_field.list_name) if crm_field and crm_field.list_name else None
    if crm_list is None and _list_unknown(metadata, crm):
        raise PlanError(
            f"{where}: the tenant does not say yet which CRM list {crm!r} uses, so {ref.name!r} "
            "cannot be found",
            hint="apply the field mapping first (then the tenant names its list), or give items as {id: N}",
        )
    if crm_list is None:
        raise PlanError(
            f"{where}: {doc.field} is not mapped to a CRM list field, so {ref.name!r} cannot be found"
        )
    ids = crm_list.ids_named(ref.name)
    if len(ids) != 1:
        problem = "no item" if not ids else f"{len(ids)} items"
        raise PlanError(
            f"{where}: CRM list {crm_list.name!r} has {problem} named {ref.name!r}",
            hint="name an existing item, or give it as {id: N}",
        )
    return ids[0]
