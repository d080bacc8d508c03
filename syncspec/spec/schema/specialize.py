"""JSON Schemas specialised to one tenant's metadata, so editors complete real names.

Pure: the packaged schemas plus a `Metadata` in, new schema dicts out (the inputs are
never mutated). Specialisation only *adds* constraints and suggestions on top of the
packaged schema: enumerations of the ERP field keys, CRM fields, list items, config
fields and actor types the tenant reports. Per-actor facts go into `allOf` of
`if {actor: const} then {...}` blocks, because one schema serves every document of a
kind. Names that may legitimately be new (connections, connectors) are offered as an
`anyOf` of the known names and the general pattern, so editors suggest without
refusing a connection that does not exist yet.

ERP fields are reported per connection; documents are per actor, so an actor's facts
are the union over the connections that offer it (in connection-name order, so live
and snapshot metadata give the same schema). Nothing time-dependent is written: a new
export against an unchanged tenant gives identical files.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from syncspec.model.enums import CrmActorType, ErpActorType, FieldAccess, FieldMetadataType
from syncspec.model.metadata import ActorMeta, ConfigFieldMeta, ConnectionMeta, ErpFieldMeta, Metadata

Schema = dict[str, Any]

NAME_REF = "#/definitions/name"
# A value that is still a reference is checked after interpolation, so it must stay allowed.
REFERENCE_PATTERN = r"\$\{(?:env|var):[A-Za-z_][A-Za-z0-9_]*\}"
# Directions an ERP field marked ReadOnly may have (SS305).
READ_ONLY_DIRECTIONS = ("none", "to-crm")
ACCESS_WORDS = {
    FieldAccess.NORMAL: "",
    FieldAccess.MANDATORY: "mandatory",
    FieldAccess.READ_ONLY: "read-only",
}


@dataclass
class ActorFacts:
    """What the tenant reports about one ERP actor type, merged over its connections."""

    crm_actor: CrmActorType
    fields: dict[str, ErpFieldMeta] = field(default_factory=dict)  # connector order
    list_items: dict[str, dict[str, str]] = field(default_factory=dict)  # list field -> key -> text


@dataclass(frozen=True)
class Facts:
    """The names the schemas enumerate, drawn from one `Metadata`."""

    actors: Mapping[ErpActorType, ActorFacts]
    crm_fields: Mapping[CrmActorType, tuple[str, ...]]
    connections: tuple[str, ...]
    connectors: tuple[str, ...]
    connector_actors: Mapping[str, tuple[ErpActorType, ...]]
    config_fields: Mapping[str, tuple[ConfigFieldMeta, ...]]
    config_lists: Mapping[str, Mapping[str, Mapping[str, str]]]


def facts_of(metadata: Metadata) -> Facts:
    """Collect, in a stable order, every name the specialised schemas offer."""
    actors: dict[ErpActorType, ActorFacts] = {}
    offered: dict[str, set[ErpActorType]] = {}
    for name in sorted(metadata.connections):
        connection = metadata.connections[name]
        offered.setdefault(connection.connector, set()).update(connection.actors)
        for actor_type, actor in connection.actors.items():
            _add_actor(actors.setdefault(actor_type, ActorFacts(actor.crm_actor)), actor, connection)
    order = list(ErpActorType)
    return Facts(
        actors={a: actors[a] for a in sorted(actors, key=order.index)},
        crm_fields=_crm_fields(metadata),
        connections=tuple(sorted(metadata.connections)),
        connectors=tuple(sorted(metadata.connectors)),
        connector_actors={c: tuple(sorted(a, key=order.index)) for c, a in sorted(offered.items())},
        config_fields={n: tuple(c.config_fields.values()) for n, c in sorted(metadata.connectors.items())},
        config_lists={n: c.config_lists for n, c in sorted(metadata.connectors.items())},
    )


def _add_actor(facts: ActorFacts, actor: ActorMeta, connection: ConnectionMeta) -> None:
    """One connection's fields of an actor, merged into what earlier connections offered."""
    for key, meta in actor.fields.items():
        facts.fields.setdefault(key, meta)
        if meta.field_type is FieldMetadataType.LIST and meta.list_name:
            items = connection.erp_lists.get(meta.list_name, {})
            merged = facts.list_items.setdefault(key, {})
            for item_key in sorted(items):
                merged.setdefault(item_key, items[item_key])


def _crm_fields(metadata: Metadata) -> dict[CrmActorType, tuple[str, ...]]:
    crm: dict[CrmActorType, list[str]] = {}
    any_entity = [e for e in CrmActorType if e is not CrmActorType.UNKNOWN]
    for key in sorted(metadata.crm_fields):
        entity = metadata.crm_fields[key].crm_actor
        # a field of unknown entity (a real tenant's `crmfields` list) may serve any entity
        for each in [entity] if entity is not None else any_entity:
            crm.setdefault(each, []).append(key)
    return {entity: tuple(keys) for entity, keys in crm.items()}


def specialize(kind: str | None, schema: Mapping[str, Any], metadata: Metadata, *, label: str = "") -> Schema:
    """`schema` (the packaged schema of `kind`, None = the umbrella) specialised to `metadata`.

    `label` names where the metadata came from (e.g. the environment); it goes into the
    `$id` and the description so a specialised copy is never mistaken for the published one.
    """
    out: Schema = copy.deepcopy(dict(schema))
    facts = facts_of(metadata)
    definitions: Schema = out.setdefault("definitions", {})
    if kind is None:
        for name, body in list(definitions.items()):
            if name in SPECIALIZERS:
                SPECIALIZERS[name](body, facts, definitions)
    elif kind in SPECIALIZERS:
        SPECIALIZERS[kind](out, facts, definitions)
    if not definitions:
        del out["definitions"]
    if label:
        _mark(out, label)
    return out


def specialize_all(
    schemas: Mapping[str | None, Mapping[str, Any]], metadata: Metadata, *, label: str = ""
) -> dict[str | None, Schema]:
    """Every given schema (kind -> packaged schema) specialised to the same metadata."""
    return {kind: specialize(kind, schema, metadata, label=label) for kind, schema in schemas.items()}


def _mark(schema: Schema, label: str) -> None:
    old_id = str(schema.get("$id", ""))
    base, _, filename = old_id.rpartition("/")
    if base:
        schema["$id"] = f"{base}/env/{quote(label, safe='')}/{filename}"
    note = f"Specialised to the metadata of environment {label!r} by `syncspec schema --env`."
    schema["description"] = f"{schema.get('description', '')} {note}".strip()


# --- per kind -----------------------------------------------------------------------------------

Specializer = Callable[[Schema, Facts, Schema], None]


def _connector(body: Schema, facts: Facts, definitions: Schema) -> None:
    _suggest_names(body["properties"], "name", facts.connectors)


def _connection(body: Schema, facts: Facts, definitions: Schema) -> None:
    props = body["properties"]
    _suggest_names(props, "name", facts.connections)
    _suggest_names(props, "connector", facts.connectors)
    blocks = []
    for connector in sorted({*facts.config_fields, *facts.connector_actors}):
        then: Schema = {}
        config = _config_keys(facts.config_fields.get(connector, ()), facts.config_lists.get(connector, {}))
        if config:
            then["config"] = config
        actors = facts.connector_actors.get(connector, ())
        if actors:
            then["actors"] = {"propertyNames": {"enum": [str(a) for a in actors]}}
        if then:
            blocks.append(_when({"connector": connector}, {"properties": then}))
    _add_all_of(body, blocks)


def _config_keys(fields: Iterable[ConfigFieldMeta], lists: Mapping[str, Mapping[str, str]]) -> Schema:
    # Label fields only show text in the admin client; they never take a value (SS317).
    settable = [f for f in fields if f.field_type is not FieldMetadataType.LABEL]
    if not settable:
        return {}
    properties: Schema = {}
    for meta in settable:
        hint: Schema = {"title": meta.display_name or meta.key, "description": _config_description(meta)}
        items = lists.get(meta.list_name, {}) if meta.field_type is FieldMetadataType.LIST else {}
        if items:
            hint["anyOf"] = [
                {"enum": _enum_values(sorted(items))},
                {"type": "string", "pattern": REFERENCE_PATTERN},
            ]
        properties[meta.key] = hint
    return {"propertyNames": {"enum": [f.key for f in settable]}, "properties": properties}


def _config_description(meta: ConfigFieldMeta) -> str:
    parts = [str(meta.field_type), "mandatory" if meta.access is FieldAccess.MANDATORY else "optional"]
    if meta.default_value:
        parts.append(f"default {meta.default_value}")
    text = ", ".join(parts)
    if meta.sensitive:
        text += "; a secret: give it as ${env:NAME}"
    return text


def _field_mappings(body: Schema, facts: Facts, definitions: Schema) -> None:
    _suggest_names(body["properties"], "connection", facts.connections)
    blocks = []
    for actor, actor_facts in facts.actors.items():
        if not actor_facts.fields:
            continue
        crm_ref = _crm_definition(actor_facts.crm_actor, facts, definitions)
        properties: Schema = {}
        for key, meta in actor_facts.fields.items():
            hint = _field_hint(meta)
            mapping: Schema = {}
            if crm_ref:
                mapping["crm"] = {"$ref": crm_ref}
            if meta.read_only:
                mapping["direction"] = {"enum": list(READ_ONLY_DIRECTIONS)}
            if mapping:
                hint["properties"] = mapping
            properties[key] = hint
        fields = {"propertyNames": {"enum": list(actor_facts.fields)}, "properties": properties}
        blocks.append(_when({"actor": str(actor)}, {"properties": {"fields": fields}}))
    _add_all_of(body, blocks)


def _crm_definition(entity: CrmActorType, facts: Facts, definitions: Schema) -> str:
    keys = facts.crm_fields.get(entity, ())
    if not keys:
        return ""
    name = f"crmField{entity.value}"
    definitions[name] = {
        "title": f"SuperOffice {entity.value} field",
        "description": f"A CRM field of the {entity.value} entity, as the tenant reports it.",
        "type": "string",
        "enum": list(keys),
    }
    return f"#/definitions/{name}"


def _defaults(body: Schema, facts: Facts, definitions: Schema) -> None:
    _suggest_names(body["properties"], "connection", facts.connections)
    blocks = []
    for actor, actor_facts in facts.actors.items():
        if not actor_facts.fields:
            continue
        properties: Schema = {}
        for key, meta in actor_facts.fields.items():
            hint = _field_hint(meta)
            items = actor_facts.list_items.get(key)
            if items:
                # a list field's default is an ERP item key (SS312)
                hint["properties"] = {"value": {"enum": _enum_values(items)}}
            properties[key] = hint
        fields = {"propertyNames": {"enum": list(actor_facts.fields)}, "properties": properties}
        blocks.append(_when({"actor": str(actor)}, {"properties": {"fields": fields}}))
    _add_all_of(body, blocks)


def _ranking(body: Schema, facts: Facts, definitions: Schema) -> None:
    _suggest_names(body["properties"], "connection", facts.connections)
    blocks = [
        _when({"actor": str(actor)}, {"properties": {"order": {"items": {"enum": list(af.fields)}}}})
        for actor, af in facts.actors.items()
        if af.fields
    ]
    _add_all_of(body, blocks)


def _list_mappings(body: Schema, facts: Facts, definitions: Schema) -> None:
    _suggest_names(body["properties"], "connection", facts.connections)
    blocks = []
    for actor, actor_facts in facts.actors.items():
        list_fields = [
            key for key, meta in actor_facts.fields.items() if meta.field_type is FieldMetadataType.LIST
        ]
        if not list_fields:
            continue
        per_field = []
        for key in list_fields:
            items = actor_facts.list_items.get(key)
            if items:
                item_keys = {
                    "propertyNames": {"enum": list(items)},
                    "properties": {k: {"title": text or k} for k, text in items.items()},
                }
                per_field.append(_when({"field": key}, {"properties": {"items": item_keys}}))
        then: Schema = {"properties": {"field": {"enum": list_fields}}}
        if per_field:
            then["allOf"] = per_field
        blocks.append(_when({"actor": str(actor)}, then))
    _add_all_of(body, blocks)


def _sync_priority(body: Schema, facts: Facts, definitions: Schema) -> None:
    order = body["properties"]["order"]
    if facts.connections:
        order["items"] = {"anyOf": [{"enum": list(facts.connections)}, {"$ref": NAME_REF}]}


SPECIALIZERS: dict[str, Specializer] = {
    "Connector": _connector,
    "Connection": _connection,
    "FieldMappings": _field_mappings,
    "ListMappings": _list_mappings,
    "Defaults": _defaults,
    "Ranking": _ranking,
    "SyncPriority": _sync_priority,
}


# --- helpers ------------------------------------------------------------------------------------


def _when(consts: Mapping[str, str], then: Schema) -> Schema:
    return {
        "if": {
            "properties": {key: {"const": value} for key, value in consts.items()},
            "required": list(consts),
        },
        "then": then,
    }


def _add_all_of(body: Schema, blocks: list[Schema]) -> None:
    if blocks:
        body["allOf"] = [*body.get("allOf", []), *blocks]


def _suggest_names(properties: Schema, key: str, names: tuple[str, ...]) -> None:
    """Offer the known names for a name-typed property while still accepting any valid new name."""
    if not names or key not in properties:
        return
    old = properties[key]
    properties[key] = {
        **{k: v for k, v in old.items() if k in ("title", "description")},
        "anyOf": [{"enum": list(names)}, {"$ref": NAME_REF}],
    }


def _field_hint(meta: ErpFieldMeta) -> Schema:
    details = [str(meta.field_type)]
    if meta.list_name:
        details.append(f"list {meta.list_name}")
    if meta.access is not FieldAccess.NORMAL:
        details.append(ACCESS_WORDS[meta.access])
    if meta.max_length:
        details.append(f"at most {meta.max_length} characters")
    return {"title": meta.display_name or meta.key, "description": ", ".join(details)}


def _enum_values(keys: Iterable[str]) -> list[str | int]:
    # YAML reads an unquoted 30 as a number: accept it where the item key is "30".
    values: list[str | int] = []
    for key in keys:
        values.append(key)
        if key.isdigit() and str(int(key)) == key:
            values.append(int(key))
    return values
