"""Live state + metadata -> YAML files in the recommended layout (what `syncspec import` writes).

Pure: returns file texts; the CLI writes them. The documents are chosen so that a plan
against the same tenant shows no changes (see docs/planning.md for what each kind owns):

- every live config value that is not empty; Password-typed ones as `${env:CONN_KEY}`;
- FieldMappings / Defaults / ListMappings documents only for actors, fields and list
  items that carry something: a kind without a document is not managed, and an
  unlisted field or item of a managed kind means "unmapped" / "no default" / "(No
  selection)", which is what the tenant has;
- Ranking: none while the live order is the connector's own; else the shortest prefix
  of the live order holding every `show_in_tab` field. Unlisted fields keep their live
  relative order after the listed ones, so a prefix of the live order plans as no
  change, and the fields the ERP tab shows are pinned;
- SyncPriority: the live order (only on a full import; a partial one would reorder).
- SyncEngine: automatic sync and the interval, on a full import only (the engine is
  the whole tenant's); an interval not of the form [d.]hh:mm:ss is left out, with a note.

Texts are dumped the way `syncspec fmt` dumps, so `fmt --check` passes on them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import SingleQuotedScalarString

from syncspec.model.address import Address
from syncspec.model.enums import Direction, ErpActorType, FieldAccess, FieldMetadataType
from syncspec.model.interval import comparable_interval, is_interval
from syncspec.model.live import LiveActor, LiveConnection, LiveField, LiveState, LiveSyncEngine
from syncspec.model.metadata import ActorMeta, Metadata
from syncspec.spec.formatting.tree import dump_document
from syncspec.spec.schema.packaged import modeline

_NAME_MAX = 63
_NOT_NAME = re.compile(r"[^a-z0-9_-]+")
_NOT_ENV = re.compile(r"[^A-Z0-9_]+")
_CANONICAL_INT = re.compile(r"-?(0|[1-9][0-9]*)")
# PyYAML resolves plain scalars the YAML 1.1 way (`NO` is false, `1:30` a number); a string
# that would change type there is quoted, so other tools read the files as syncspec does.
_YAML11 = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"


@dataclass(frozen=True)
class WriterOptions:
    """What to import and how modelines point at the schemas.

    `connections`: live or imported names to import (None: everything, plus the sync
    priority). `schema_base`: where the schemas are, relative to the config directory
    (e.g. `../schemas`) or a URL; None uses the schemas' published URLs.
    """

    connections: tuple[str, ...] | None = None
    schema_base: str | None = None


@dataclass(frozen=True)
class LayoutFile:
    path: str  # relative to the config directory, `/`-separated
    text: str


@dataclass(frozen=True)
class Layout:
    """The files to write, the environment variables the secrets need, and notes for the user."""

    files: tuple[LayoutFile, ...]
    env_vars: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()  # connections asked for that the tenant does not have
    renamed: Mapping[str, str] = field(default_factory=dict)  # live name -> file name


def valid_name(display: str) -> str:
    """A live display name as a syncspec name: lower-case, runs of other characters as `-`."""
    slug = _NOT_NAME.sub("-", display.strip().lower()).strip("-_")
    return slug[:_NAME_MAX].rstrip("-_") or "unnamed"


def env_var_name(connection: str, key: str) -> str:
    """`demo-norway`, `password` -> `DEMO_NORWAY_PASSWORD` (a valid `${env:...}` name)."""
    name = _NOT_ENV.sub("_", f"{connection}_{key}".upper()).strip("_")
    return f"_{name}" if name[:1].isdigit() else name


def yaml_text(value: str) -> str | SingleQuotedScalarString:
    """The string itself, quoted when YAML 1.1 would read it as something else (`NO`, `on`, `12:30`)."""
    if value and _yaml11_tag(value) != _STR_TAG:
        quoted: SingleQuotedScalarString = SingleQuotedScalarString(value)
        return quoted
    return value


def _yaml11_tag(value: str) -> str:
    tag: str = _YAML11.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
    return tag


def typed_scalar(text: str, field_type: FieldMetadataType | None) -> str | int | bool:
    """A tenant string as the YAML scalar that compares equal to it (`1001`, `true`), else text.

    SuperOffice stores these in CultureDataFormatter form: `[I:1001]` is written as 1001 and a
    checkbox's `[I:1]` as true (the planner encodes them again when it compares).
    """
    if field_type is FieldMetadataType.CHECKBOX and text in ("true", "false", "[I:1]", "[I:0]"):
        return text in ("true", "[I:1]")
    if field_type is FieldMetadataType.INTEGER:
        body = text[3:-1] if text.startswith("[I:") and text.endswith("]") else text
        if _CANONICAL_INT.fullmatch(body):
            return int(body)
    return text


def build_layout(live: LiveState, metadata: Metadata, options: WriterOptions | None = None) -> Layout:
    """Every file of the recommended layout for `live` (or the connections `options` names)."""
    return _Builder(live, metadata, options or WriterOptions()).build()


class _Builder:
    def __init__(self, live: LiveState, metadata: Metadata, options: WriterOptions) -> None:
        self.live = live
        self.metadata = metadata
        self.options = options
        self.connector_names = _unique_names(live.connectors)
        self.connection_names = _unique_names(live.connections)
        self.files: list[LayoutFile] = []
        self.env_vars: list[str] = []
        self.notes: list[str] = []
        self.missing: list[str] = []

    def build(self) -> Layout:
        chosen = self._chosen_connections()
        connectors = sorted(
            {self.live.connections[c].connector for c in chosen}
            if self.options.connections is not None
            else set(self.live.connectors),
            key=lambda n: self.connector_names.get(n, n),
        )
        self._add("connectors.yaml", [self._connector(n) for n in connectors if n in self.live.connectors])
        if self.options.connections is None and self.live.sync_priority:
            order = [self.connection_names[n] for n in self.live.sync_priority]
            self._add("sync-priority.yaml", [_doc("SyncPriority", order=_flow_seq(order))])
        if self.options.connections is None and self.live.sync_engine is not None:
            self._add("sync-engine.yaml", [self._engine(self.live.sync_engine)])
        for name in chosen:
            self._connection(self.live.connections[name])
        renamed = {
            live: slug
            for live, slug in {**self.connector_names, **self.connection_names}.items()
            if live != slug
        }
        for live_name, slug in sorted(renamed.items()):
            self.notes.append(
                f"{live_name!r} is not a valid syncspec name and was written as {slug!r}; "
                f"rename it in SuperOffice to {slug!r} before planning, or the plan creates a new one"
            )
        return Layout(
            files=tuple(self.files),
            env_vars=tuple(dict.fromkeys(self.env_vars)),
            notes=tuple(self.notes),
            missing=tuple(self.missing),
            renamed=renamed,
        )

    def _chosen_connections(self) -> list[str]:
        wanted = self.options.connections
        names = sorted(self.live.connections, key=lambda n: self.connection_names[n])
        if wanted is None:
            return names
        chosen = [n for n in names if n in wanted or self.connection_names[n] in wanted]
        found = set(chosen) | {self.connection_names[n] for n in chosen}
        self.missing.extend(w for w in wanted if w not in found)
        return chosen

    def _engine(self, engine: LiveSyncEngine) -> CommentedMap:
        interval = comparable_interval(engine.interval)
        if is_interval(interval):
            return _doc("SyncEngine", automatic=engine.automatic, interval=interval)
        self.notes.append(
            f"the sync engine's interval {engine.interval!r} is not of the form [d.]hh:mm:ss and was "
            "left out of sync-engine.yaml; syncspec leaves it as it is"
        )
        return _doc("SyncEngine", automatic=engine.automatic)

    def _add(self, path: str, docs: list[CommentedMap], header: str = "") -> None:
        depth = path.count("/")
        texts = [self._text(doc, depth, header) for doc in docs]
        if texts:
            self.files.append(LayoutFile(path, "---\n".join(texts)))

    def _text(self, doc: CommentedMap, depth: int, header: str) -> str:
        base = self.options.schema_base
        if base is not None and "://" not in base:
            base = "../" * depth + base
        lines = [modeline(str(doc["kind"]), base).removeprefix("# ")]
        if header:
            lines.append(header)
        doc.yaml_set_start_comment("\n".join(lines))
        return dump_document(doc)

    # --- documents ----------------------------------------------------------------------
    def _connector(self, name: str) -> CommentedMap:
        return _doc("Connector", name=self.connector_names[name], url=self.live.connectors[name].url)

    def _connection(self, conn: LiveConnection) -> None:
        name = self.connection_names[conn.name]
        doc = _doc(
            "Connection", name=name, connector=self.connector_names.get(conn.connector, conn.connector)
        )
        if conn.description:
            doc["description"] = conn.description
        doc["active"] = conn.active
        if conn.access.everyone:
            doc["access"] = "everyone"
        else:
            access = CommentedMap()
            if conn.access.groups or not conn.access.users:
                access["groups"] = _flow_seq(conn.access.groups)
            if conn.access.users:
                access["users"] = _flow_seq(conn.access.users)
            doc["access"] = access
        config = self._config(conn, name)
        if config:
            doc["config"] = config
        if conn.actors:
            doc["actors"] = CommentedMap(
                (actor.value, _flow_map(sync=conn.actors[actor].sync)) for actor in _actor_order(conn.actors)
            )
        renamed = (
            f"Imported from the SuperOffice connection named {conn.name!r}." if name != conn.name else ""
        )
        self._add(f"{name}/connection.yaml", [doc], renamed)
        meta = self.metadata.connections.get(conn.name)
        for actor in _actor_order(conn.actors):
            actor_meta = meta.actors.get(actor) if meta else None
            erp_lists = meta.erp_lists if meta else {}
            self._actor(name, conn.actors[actor], actor_meta, erp_lists)

    def _config(self, conn: LiveConnection, name: str) -> CommentedMap:
        connector = self.metadata.connectors.get(conn.connector)
        fields = connector.config_fields if connector else {}
        keys = [k for k in fields if k in conn.config] + sorted(k for k in conn.config if k not in fields)
        config = CommentedMap()
        for key in keys:
            text = conn.config[key]
            meta = fields.get(key)
            if not text:
                continue  # a key absent from the document is cleared to "", which it is
            if key in conn.config_sensitive or (meta is not None and meta.sensitive):
                variable = env_var_name(name, key)
                self.env_vars.append(variable)
                config[key] = f"${{env:{variable}}}"
                continue
            value = typed_scalar(text, meta.field_type if meta else None)
            # `${` starts a reference; `$${` is the literal
            config[key] = yaml_text(value.replace("${", "$${")) if isinstance(value, str) else value
        return config

    def _actor(
        self,
        connection: str,
        actor: LiveActor,
        meta: ActorMeta | None,
        erp_lists: Mapping[str, Mapping[str, str]],
    ) -> None:
        keys = _field_order(actor, meta)
        stem = f"{connection}/{actor.actor.value.lower()}"
        ids = {"connection": connection, "actor": actor.actor.value}
        mapped = CommentedMap((k, m) for k in keys if (m := _mapping(actor.fields[k])) is not None)
        if mapped:
            self._add(f"{stem}.mappings.yaml", [_doc("FieldMappings", **ids, fields=mapped)])
        list_docs = []
        for key in [k for k in keys if k in actor.lists]:
            erp_field = meta.fields.get(key) if meta else None
            erp_items = erp_lists.get(erp_field.list_name, {}) if erp_field else {}
            items = self._items(connection, actor, key, erp_items)
            if items is not None:
                list_docs.append(_doc("ListMappings", **ids, field=key, items=items))
        self._add(f"{stem}.lists.yaml", list_docs)
        defaults = CommentedMap((k, d) for k in keys if (d := _default(actor.fields[k], meta)) is not None)
        if defaults:
            self._add(f"{stem}.defaults.yaml", [_doc("Defaults", **ids, fields=defaults)])
        order = _ranking_prefix(actor, meta)
        if order:
            self._add(f"{stem}.ranking.yaml", [_doc("Ranking", **ids, order=_flow_seq(order))])

    def _items(
        self, connection: str, actor: LiveActor, key: str, erp_items: Iterable[str]
    ) -> CommentedMap | None:
        live_field = actor.fields[key]
        items = actor.lists[key]
        if not live_field.crm:
            # SuperOffice shows a list only once its field is mapped; such leftovers cannot be written
            where = Address.connection(connection).of_actor(actor.actor.value).of_list(key)
            self.notes.append(f"{where} is left out: its field has no CRM field")
            return None
        crm_field = self.metadata.crm_fields.get(live_field.crm)
        crm_list = self.metadata.crm_lists.get(crm_field.list_name) if crm_field else None
        written = CommentedMap()
        for item in _item_order(items, erp_items):
            crm_id = items[item]
            if crm_id is None:
                continue  # unlisted items are "(No selection)", which it is
            name = crm_list.items.get(crm_id) if crm_list else None
            unique = crm_list is not None and name and len(crm_list.ids_named(name)) == 1
            written[yaml_text(item)] = yaml_text(name) if unique and name else _flow_map(id=crm_id)
        return written or None


def _unique_names(live: Mapping[str, Any]) -> dict[str, str]:
    """Live name -> a valid, unique syncspec name; valid names are kept as they are."""
    names: dict[str, str] = {}
    taken = {n for n in live if valid_name(n) == n}
    for live_name in sorted(live):
        if valid_name(live_name) == live_name:
            names[live_name] = live_name
            continue
        base = valid_name(live_name)
        candidate, suffix = base, 2
        while candidate in taken:
            candidate = f"{base[: _NAME_MAX - len(str(suffix)) - 1]}-{suffix}"
            suffix += 1
        taken.add(candidate)
        names[live_name] = candidate
    return names


def _actor_order(actors: Mapping[ErpActorType, LiveActor]) -> list[ErpActorType]:
    # the order SuperOffice's Sync tab lists the actor types in
    rank = {a: i for i, a in enumerate(ErpActorType)}
    return sorted(actors, key=lambda a: rank[a])


def _field_order(actor: LiveActor, meta: ActorMeta | None) -> list[str]:
    """The connector's field order (stable, readable), then fields only the tenant knows."""
    known = [k for k in (meta.fields if meta else ()) if k in actor.fields]
    return known + [k for k in actor.fields if k not in known]


def _item_order(items: Mapping[str, int | None], erp_list: Iterable[str]) -> list[str]:
    known = [k for k in erp_list if k in items]
    return known + [k for k in items if k not in known]


def _mapping(live: LiveField) -> CommentedMap | None:
    spec: dict[str, Any] = {}
    if live.crm:
        spec["crm"] = live.crm
    direction = _direction(live)
    if direction != "none":
        spec["direction"] = direction
    if live.show_in_search:
        spec["show_in_search"] = True
    if live.show_in_tab:
        spec["show_in_tab"] = True
    return _flow_map(**spec) if spec else None


def _direction(live: LiveField) -> str:
    return Direction.from_flags(live.to_crm, live.to_erp).value


def _default(live: LiveField, meta: ActorMeta | None) -> CommentedMap | None:
    default = live.default
    erp_field = meta.fields.get(live.key) if meta else None
    spec: dict[str, Any] = {}
    if default.has_value:
        value = typed_scalar(default.value, erp_field.field_type if erp_field else None)
        spec["value"] = yaml_text(value) if isinstance(value, str) else value
    if default.prompt:
        spec["prompt"] = True
    connector_mandatory = erp_field is not None and erp_field.access is FieldAccess.MANDATORY
    # The tenant keeps connector-mandatory fields mandatory and plan assumes it; alone,
    # `mandatory: true` would also fail validation (it needs a value or a prompt).
    if default.mandatory and (spec or not connector_mandatory):
        spec["mandatory"] = True
    return _flow_map(**spec) if spec else None


def _ranking_prefix(actor: LiveActor, meta: ActorMeta | None) -> list[str]:
    order = list(actor.fields)
    if meta is not None and order == _field_order(actor, meta):
        return []  # never ranked: the connector's own order, nothing to keep
    shown = [i for i, k in enumerate(order) if actor.fields[k].show_in_tab]
    return order[: shown[-1] + 1] if shown else []


def _doc(kind: str, **values: Any) -> CommentedMap:
    doc = CommentedMap(kind=kind)
    for key, value in values.items():
        doc[key] = yaml_text(value) if isinstance(value, str) and key != "kind" else value
    return doc


def _flow_map(**values: Any) -> CommentedMap:
    node = CommentedMap((k, yaml_text(v) if isinstance(v, str) else v) for k, v in values.items())
    node.fa.set_flow_style()
    return node


def _flow_seq(values: Iterable[str]) -> CommentedSeq:
    node = CommentedSeq(yaml_text(v) for v in values)
    node.fa.set_flow_style()
    return node
