"""Build the desired state from schema-valid documents, with the cross-document checks.

These checks need no tenant metadata: duplicates, references between documents,
directions without CRM fields, mandatory defaults without a source, and variables.
Rules that need to know the connector's fields live in `syncspec.rules`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from syncspec.model.desired import (
    AnyDoc,
    ConnectionDesired,
    ConnectionDoc,
    ConnectorDoc,
    DefaultsDoc,
    DesiredState,
    Direction,
    FieldMappingsDoc,
    ListMappingsDoc,
    ProjectDoc,
    RankingDoc,
    SyncPriorityDoc,
    build_document,
)
from syncspec.model.diagnostics import Diagnostic, Location, Severity
from syncspec.model.enums import ErpActorType
from syncspec.model.source import Origin
from syncspec.spec.documents import LoadedDocument
from syncspec.spec.interpolate import find_references
from syncspec.spec.schemas import KINDS


@dataclass(frozen=True)
class Variables:
    """What `${env:...}` and `${var:...}` resolve against, and how strict a missing one is."""

    env: Mapping[str, str] = field(default_factory=dict)
    vars: Mapping[str, object] = field(default_factory=dict)
    environment: str = "default"
    missing_env_is_error: bool = False  # validate warns; plan and apply refuse


@dataclass
class _Collector:
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def error(self, code: str, message: str, where: Location, hint: str = "", **kw: Any) -> None:
        self.diagnostics.append(Diagnostic(Severity.ERROR, code, message, where, hint=hint, **kw))

    def warn(self, code: str, message: str, where: Location, hint: str = "") -> None:
        self.diagnostics.append(Diagnostic(Severity.WARNING, code, message, where, hint=hint))


def _origin(doc: AnyDoc) -> Origin:
    assert doc.origin is not None, "documents built by build_document always carry their origin"
    return doc.origin


def build_desired(
    documents: Sequence[LoadedDocument],
    variables: Variables | None = None,
    *,
    unbuilt: Sequence[LoadedDocument] = (),
) -> tuple[DesiredState, list[Diagnostic]]:
    """Models for every document, grouped per connection, plus cross-document diagnostics.

    `unbuilt` are documents left out because their file has errors: the names they
    define still count as defined, so one broken Connection does not also make every
    document that refers to it "unknown".
    """
    variables = variables or Variables()
    out = _Collector()
    pending_connections, pending_connectors = _names_defined_by(unbuilt)
    docs = [build_document(d.data, d.origin) for d in documents]

    connectors: dict[str, ConnectorDoc] = {}
    connections: dict[str, ConnectionDoc] = {}
    priority: SyncPriorityDoc | None = None
    per_actor: dict[tuple[type, str, ErpActorType], AnyDoc] = {}
    lists: dict[tuple[str, ErpActorType, str], ListMappingsDoc] = {}

    for doc in docs:
        if isinstance(doc, ConnectorDoc):
            _unique(out, connectors, doc.name, doc, "SS202", f"connector {doc.name!r}")
        elif isinstance(doc, ConnectionDoc):
            _unique(out, connections, doc.name, doc, "SS201", f"connection {doc.name!r}")
        elif isinstance(doc, SyncPriorityDoc):
            if priority is not None:
                _twice(out, "SS216", "sync priority", doc, priority)
            else:
                priority = doc
        elif isinstance(doc, FieldMappingsDoc | DefaultsDoc | RankingDoc):
            key = (type(doc), doc.connection, doc.actor)
            code = {FieldMappingsDoc: "SS203", DefaultsDoc: "SS204", RankingDoc: "SS205"}[type(doc)]
            what = f"{doc.kind} for {doc.connection} / {doc.actor}"
            if key in per_actor:
                _twice(out, code, what, doc, per_actor[key])
            else:
                per_actor[key] = doc
        elif isinstance(doc, ListMappingsDoc):
            list_key = (doc.connection, doc.actor, doc.field)
            if list_key in lists:
                what = f"list mappings for {doc.connection} / {doc.actor} / {doc.field}"
                _twice(out, "SS206", what, doc, lists[list_key])
            else:
                lists[list_key] = doc
        elif isinstance(doc, ProjectDoc):
            out.error(
                "SS218",
                "a Project document belongs in syncspec.yaml, not among the configuration files",
                _origin(doc).locate(("kind",)),
                "move it to syncspec.yaml at the project root",
            )

    for connection in connections.values():
        _check_connection(out, connection, connectors.keys() | pending_connectors, variables)

    aggregates = {name: ConnectionDesired(connection=doc) for name, doc in connections.items()}
    for doc in [*per_actor.values(), *lists.values()]:
        assert isinstance(doc, FieldMappingsDoc | DefaultsDoc | RankingDoc | ListMappingsDoc)
        target = aggregates.get(doc.connection)
        if target is None and doc.connection in pending_connections:
            continue
        if target is None:
            out.error(
                "SS207",
                f"{doc.kind} refers to connection {doc.connection!r}, which no Connection document defines",
                _origin(doc).locate(("connection",)),
                _suggest(doc.connection, connections) or "add a Connection document with that name",
            )
            continue
        if doc.actor not in target.connection.actors:
            out.warn(
                "SS215",
                f"{doc.kind} for actor {doc.actor} of {doc.connection!r}, whose 'actors' does not list it",
                _origin(doc).locate(("actor",)),
                f"add '{doc.actor}: {{sync: true}}' under actors in the Connection document",
            )
        aggregates[doc.connection] = target.with_document(doc)

    for doc in per_actor.values():
        if isinstance(doc, FieldMappingsDoc):
            _check_mappings(out, doc)
        elif isinstance(doc, DefaultsDoc):
            _check_defaults(out, doc)
    for list_doc in lists.values():
        _check_list_field_mapped(out, list_doc, per_actor)
    if priority is not None:
        _check_priority(out, priority, connections, pending_connections)

    state = DesiredState(connectors=connectors, connections=aggregates, sync_priority=priority)
    return state, out.diagnostics


def _unique(out: _Collector, seen: dict[str, Any], name: str, doc: AnyDoc, code: str, what: str) -> None:
    if name in seen:
        _twice(out, code, what, doc, seen[name])
    else:
        seen[name] = doc


def _twice(out: _Collector, code: str, what: str, doc: AnyDoc, first: AnyDoc) -> None:
    first_at = _origin(first).locate(())
    out.error(
        code,
        f"{what} is defined twice",
        _origin(doc).locate(()),
        f"merge it into the first definition at {first_at}",
        related=(first_at,),
    )


def _suggest(name: str, known: Collection[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1)
    return f"did you mean {close[0]!r}?" if close else ""


def _names_defined_by(documents: Sequence[LoadedDocument]) -> tuple[set[str], set[str]]:
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


def _check_connection(
    out: _Collector, doc: ConnectionDoc, connectors: Collection[str], variables: Variables
) -> None:
    origin = _origin(doc)
    if doc.connector not in connectors:
        out.error(
            "SS208",
            f"connection {doc.name!r} uses connector {doc.connector!r}, which no Connector document defines",
            origin.locate(("connector",)),
            _suggest(doc.connector, connectors) or "add a Connector document with that name",
        )
    for key, value in doc.config.items():
        if not isinstance(value, str):
            continue
        for ref in find_references(value):
            # Located only when reported: a position costs a re-parse of a fast-loaded file.
            if ref.source == "var" and ref.name not in variables.vars:
                out.error(
                    "SS213",
                    f"${{var:{ref.name}}} is not defined for environment {variables.environment!r}",
                    origin.locate(("config", key)),
                    f"add '{ref.name}' under environments.{variables.environment}.vars in syncspec.yaml",
                )
            elif ref.source == "env" and ref.name not in variables.env:
                message = f"environment variable {ref.name} is not set"
                hint = f"export {ref.name}=... before running syncspec (it is never stored or printed)"
                where = origin.locate(("config", key))
                if variables.missing_env_is_error:
                    out.error("SS214", message, where, hint)
                else:
                    out.warn("SS214", message, where, hint)


def _check_mappings(out: _Collector, doc: FieldMappingsDoc) -> None:
    for key, spec in doc.fields.items():
        if spec.direction is not None and spec.direction is not Direction.NONE and not spec.crm:
            out.error(
                "SS211",
                f"{key} has direction {spec.direction.value!r} but no CRM field",
                _origin(doc).locate(("fields", key, "direction")),
                "add 'crm: <entity.field>' or set direction to none (SuperOffice disables the arrows "
                "until a CRM field is chosen)",
            )


def _check_defaults(out: _Collector, doc: DefaultsDoc) -> None:
    for key, spec in doc.fields.items():
        if spec.mandatory and spec.value is None and not spec.prompt:
            out.error(
                "SS212",
                f"default for {key} is mandatory but has neither a value nor prompt",
                _origin(doc).locate(("fields", key, "mandatory")),
                "add 'value: ...' and/or 'prompt: true' (SuperOffice requires one of them)",
            )


def _check_list_field_mapped(
    out: _Collector, doc: ListMappingsDoc, per_actor: Mapping[tuple[type, str, ErpActorType], AnyDoc]
) -> None:
    mappings = per_actor.get((FieldMappingsDoc, doc.connection, doc.actor))
    if not isinstance(mappings, FieldMappingsDoc):
        return  # without FieldMappings the live mapping decides; the rules layer checks that
    spec = mappings.fields.get(doc.field)
    if spec is None or not spec.crm:
        out.error(
            "SS217",
            f"list mappings for {doc.field}, which the FieldMappings of {doc.connection} / {doc.actor} "
            "do not map to a CRM field",
            _origin(doc).locate(("field",)),
            f"map {doc.field} to a CRM list field first (a list only appears once its field is mapped)",
            related=(_origin(mappings).locate(("fields",)),),
        )


def _check_priority(
    out: _Collector,
    doc: SyncPriorityDoc,
    connections: Mapping[str, ConnectionDoc],
    pending: Collection[str],
) -> None:
    for index, name in enumerate(doc.order):
        if name not in connections and name not in pending:
            out.error(
                "SS210",
                f"sync priority names connection {name!r}, which no Connection document defines",
                _origin(doc).locate(("order", index)),
                _suggest(name, connections) or "remove it or add the connection",
            )
