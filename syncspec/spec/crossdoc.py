"""Cross-document checks on schema-valid documents, read as plain data.

These need no tenant metadata: duplicates, references between documents, directions
without CRM fields, mandatory defaults without a source, empty default values, active
connections that synchronise no actor type, variables, and references outside config values. They run on
the loaded data rather than on the pydantic models, so a pre-commit `validate` never
pays for building models it does not need (see docs/architecture.md, start-up).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from syncspec.model.diagnostics import Diagnostic, Location, Severity
from syncspec.model.source import Origin
from syncspec.spec.loading.documents import LoadedDocument
from syncspec.spec.loading.interpolate import find_references
from syncspec.spec.schema.packaged import KINDS

_PER_ACTOR_CODES = {"FieldMappings": "SS203", "Defaults": "SS204", "Ranking": "SS205"}


@dataclass(frozen=True)
class Variables:
    """What `${env:...}` and `${var:...}` resolve against, and how strict a missing one is."""

    env: Mapping[str, str] = field(default_factory=dict)
    vars: Mapping[str, object] = field(default_factory=dict)
    environment: str = "default"
    missing_env_is_error: bool = False  # validate warns; plan and apply refuse


@dataclass(frozen=True)
class _Doc:
    """A schema-valid document: its kind, its data and where it came from."""

    data: Mapping[str, Any]
    origin: Origin

    @property
    def kind(self) -> str:
        return str(self.data["kind"])

    def text(self, key: str) -> str:
        return str(self.data.get(key, ""))

    def entries(self, key: str) -> Mapping[str, Any]:
        value = self.data.get(key)
        return value if isinstance(value, dict) else {}

    def at(self, *path: str | int) -> Location:
        # Located only when reported: a position costs a re-parse of a fast-loaded file.
        return self.origin.locate(path)


@dataclass
class _Collector:
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def error(self, code: str, message: str, where: Location, hint: str = "", **kw: Any) -> None:
        self.diagnostics.append(Diagnostic(Severity.ERROR, code, message, where, hint=hint, **kw))

    def warn(self, code: str, message: str, where: Location, hint: str = "") -> None:
        self.diagnostics.append(Diagnostic(Severity.WARNING, code, message, where, hint=hint))


@dataclass
class _Index:
    connectors: dict[str, _Doc] = field(default_factory=dict)
    connections: dict[str, _Doc] = field(default_factory=dict)
    priority: _Doc | None = None
    engine: _Doc | None = None
    per_actor: dict[tuple[str, str, str], _Doc] = field(default_factory=dict)
    lists: dict[tuple[str, str, str], _Doc] = field(default_factory=dict)


def check_cross_documents(
    documents: Sequence[LoadedDocument],
    variables: Variables | None = None,
    *,
    unbuilt: Sequence[LoadedDocument] = (),
) -> list[Diagnostic]:
    """Every cross-document problem among `documents` (all schema-valid).

    `unbuilt` are documents left out because their file has errors: the names they
    define still count as defined, so one broken Connection does not also make every
    document that refers to it "unknown".
    """
    variables = variables or Variables()
    out = _Collector()
    pending_connections, pending_connectors = names_defined_by(unbuilt)
    docs = [_Doc(d.data, d.origin) for d in documents]
    index = _index(out, docs)
    for doc in docs:
        _check_references_outside_config(out, doc)

    for connection in index.connections.values():
        _check_connection(out, connection, index.connectors.keys() | pending_connectors, variables)
        _check_active_actors(out, connection)
    for doc in [*index.per_actor.values(), *index.lists.values()]:
        _check_owner(out, doc, index.connections, pending_connections)
    for doc in index.per_actor.values():
        if doc.kind == "FieldMappings":
            _check_mappings(out, doc)
        elif doc.kind == "Defaults":
            _check_defaults(out, doc)
    for list_doc in index.lists.values():
        _check_list_field_mapped(out, list_doc, index.per_actor)
    if index.priority is not None:
        _check_priority(out, index.priority, index.connections, pending_connections)
    return out.diagnostics


def _index(out: _Collector, docs: list[_Doc]) -> _Index:
    index = _Index()
    for doc in docs:
        kind = doc.kind
        name = doc.text("name")
        if kind == "Connector":
            _unique_key(out, index.connectors, name, doc, "SS202", f"connector {name!r}")
        elif kind == "Connection":
            _unique_key(out, index.connections, name, doc, "SS201", f"connection {name!r}")
        elif kind == "SyncPriority":
            if index.priority is not None:
                _twice(out, "SS216", "sync priority", doc, index.priority)
            else:
                index.priority = doc
        elif kind == "SyncEngine":
            # one engine per tenant: two documents would leave its settings to file order
            if index.engine is not None:
                _twice(out, "SS221", "sync engine", doc, index.engine)
            else:
                index.engine = doc
        elif kind in _PER_ACTOR_CODES:
            key = (kind, doc.text("connection"), doc.text("actor"))
            what = f"{kind} for {doc.text('connection')} / {doc.text('actor')}"
            _unique_key(out, index.per_actor, key, doc, _PER_ACTOR_CODES[kind], what)
        elif kind == "ListMappings":
            key = (doc.text("connection"), doc.text("actor"), doc.text("field"))
            what = f"list mappings for {' / '.join(key)}"
            _unique_key(out, index.lists, key, doc, "SS206", what)
        elif kind == "Project":
            out.error(
                "SS218",
                "a Project document belongs in syncspec.yaml, not among the configuration files",
                doc.at("kind"),
                "move it to syncspec.yaml at the project root",
            )
    return index


def _unique_key(out: _Collector, seen: dict[Any, _Doc], key: Any, doc: _Doc, code: str, what: str) -> None:
    if key in seen:
        _twice(out, code, what, doc, seen[key])
    else:
        seen[key] = doc


def _twice(out: _Collector, code: str, what: str, doc: _Doc, first: _Doc) -> None:
    first_at = first.at()
    out.error(
        code,
        f"{what} is defined twice",
        doc.at(),
        f"merge it into the first definition at {first_at}",
        related=(first_at,),
    )


def _suggest(name: str, known: Collection[str]) -> str:
    from syncspec.spec.suggest import did_you_mean  # only when a name is wrong: valid runs never pay

    return did_you_mean(name, known)


def names_defined_by(documents: Sequence[LoadedDocument]) -> tuple[set[str], set[str]]:
    """Connection and connector names that unbuildable documents define (or may: kind unknown)."""
    connections: set[str] = set()
    connectors: set[str] = set()
    for doc in documents:
        data = doc.data
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            continue
        kind = data.get("kind")
        if kind in ("Connection", "Connector"):
            (connections if kind == "Connection" else connectors).add(data["name"])
        elif kind not in KINDS:
            # A misspelt or missing kind hides what the document is; assume it is what is missing.
            connections.add(data["name"])
            connectors.add(data["name"])
    return connections, connectors


def _check_owner(
    out: _Collector, doc: _Doc, connections: Mapping[str, _Doc], pending: Collection[str]
) -> None:
    name, actor = doc.text("connection"), doc.text("actor")
    owner = connections.get(name)
    if owner is None:
        if name not in pending:
            out.error(
                "SS207",
                f"{doc.kind} refers to connection {name!r}, which no Connection document defines",
                doc.at("connection"),
                _suggest(name, connections) or "add a Connection document with that name",
            )
        return
    if actor not in owner.entries("actors"):
        out.warn(
            "SS215",
            f"{doc.kind} for actor {actor} of {name!r}, whose 'actors' does not list it",
            doc.at("actor"),
            f"add '{actor}: {{sync: true}}' under actors in the Connection document",
        )


def _check_connection(out: _Collector, doc: _Doc, connectors: Collection[str], variables: Variables) -> None:
    name, connector = doc.text("name"), doc.text("connector")
    if connector not in connectors:
        out.error(
            "SS208",
            f"connection {name!r} uses connector {connector!r}, which no Connector document defines",
            doc.at("connector"),
            _suggest(connector, connectors) or "add a Connector document with that name",
        )
    for key, value in doc.entries("config").items():
        if not isinstance(value, str):
            continue
        for ref in find_references(value):
            if ref.source == "var" and ref.name not in variables.vars:
                out.error(
                    "SS213",
                    f"${{var:{ref.name}}} is not defined for environment {variables.environment!r}",
                    doc.at("config", key),
                    f"add '{ref.name}' under environments.{variables.environment}.vars in syncspec.yaml",
                )
            elif ref.source == "env" and ref.name not in variables.env:
                message = f"environment variable {ref.name} is not set"
                hint = f"export {ref.name}=... before running syncspec (it is never stored or printed)"
                if variables.missing_env_is_error:
                    out.error("SS214", message, doc.at("config", key), hint)
                else:
                    out.warn("SS214", message, doc.at("config", key), hint)


def _check_references_outside_config(out: _Collector, doc: _Doc) -> None:
    """SS222: a `${env:...}`/`${var:...}` anywhere but in a Connection's config values.

    Only config values are interpolated (the schemas promise references there and nowhere
    else); elsewhere the text would be sent to the tenant as written, `${var:...}` and all.
    """
    if doc.kind == "Project":
        return  # syncspec.yaml's settings are resolved where they are used (target, state)
    for path, value in _strings(doc.data, ()):
        if doc.kind == "Connection" and path[:1] == ("config",):
            continue
        refs = find_references(value)
        if refs:
            where = ".".join(str(p) for p in path)
            out.error(
                "SS222",
                f"{doc.kind} {where}: {refs[0]} is not resolved here, only in a Connection's config values",
                doc.at(*path),
                "write the text itself: this value is sent to the tenant exactly as it is written",
            )


def _strings(value: object, path: tuple[str | int, ...]) -> list[tuple[tuple[str | int, ...], str]]:
    """Every string value under `value` (not mapping keys), with its path."""
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in _strings(item, (*path, str(key)))]
    if isinstance(value, list):
        return [found for index, item in enumerate(value) for found in _strings(item, (*path, index))]
    return []


def _check_mappings(out: _Collector, doc: _Doc) -> None:
    for key, spec in doc.entries("fields").items():
        direction = spec.get("direction", "none") if isinstance(spec, dict) else "none"
        if direction != "none" and not spec.get("crm"):
            out.error(
                "SS211",
                f"{key} has direction {direction!r} but no CRM field",
                doc.at("fields", key, "direction"),
                "add 'crm: <entity.field>' or set direction to none (SuperOffice disables the arrows "
                "until a CRM field is chosen)",
            )


def _check_active_actors(out: _Collector, doc: _Doc) -> None:
    """SS219: an active connection none of whose actor types synchronises.

    SuperOffice documents no such refusal, so this is syncspec's own advice, a warning:
    such a connection is switched on but moves no data.
    """
    if doc.data.get("active") is not True:
        return
    actors = doc.entries("actors")
    if any(isinstance(spec, dict) and spec.get("sync") is True for spec in actors.values()):
        return
    out.warn(
        "SS219",
        f"connection {doc.text('name')!r} is active but synchronises no actor type",
        doc.at("active"),
        "set 'sync: true' for an actor type under actors, or set active: false",
    )


def _check_defaults(out: _Collector, doc: _Doc) -> None:
    for key, spec in doc.entries("fields").items():
        if not isinstance(spec, dict):
            continue
        value = spec.get("value")
        if isinstance(value, str) and not value.strip():
            # 'Set default value' needs a value (admin help); SuperOffice refuses an empty one.
            out.error(
                "SS220",
                f"default for {key} sets an empty value",
                doc.at("fields", key, "value"),
                "give the value to send to the ERP, or remove 'value' (use 'prompt: true' to ask the user)",
            )
        if spec.get("mandatory") and spec.get("value") is None and not spec.get("prompt"):
            out.error(
                "SS212",
                f"default for {key} is mandatory but has neither a value nor prompt",
                doc.at("fields", key, "mandatory"),
                "add 'value: ...' and/or 'prompt: true' (SuperOffice requires one of them)",
            )


def _check_list_field_mapped(
    out: _Collector, doc: _Doc, per_actor: Mapping[tuple[str, str, str], _Doc]
) -> None:
    connection, actor, list_field = doc.text("connection"), doc.text("actor"), doc.text("field")
    mappings = per_actor.get(("FieldMappings", connection, actor))
    if mappings is None:
        return  # without FieldMappings the live mapping decides; the rules layer checks that
    spec = mappings.entries("fields").get(list_field)
    if not isinstance(spec, dict) or not spec.get("crm"):
        out.error(
            "SS217",
            f"list mappings for {list_field}, which the FieldMappings of {connection} / {actor} "
            "do not map to a CRM field",
            doc.at("field"),
            f"map {list_field} to a CRM list field first (a list only appears once its field is mapped)",
            related=(mappings.at("fields"),),
        )


def _check_priority(
    out: _Collector, doc: _Doc, connections: Mapping[str, _Doc], pending: Collection[str]
) -> None:
    order = doc.data.get("order")
    for index, name in enumerate(order if isinstance(order, list) else []):
        if name not in connections and name not in pending:
            out.error(
                "SS210",
                f"sync priority names connection {name!r}, which no Connection document defines",
                doc.at("order", index),
                _suggest(str(name), connections) or "remove it or add the connection",
            )
