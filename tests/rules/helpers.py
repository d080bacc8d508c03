"""Rule-test inputs: desired state from YAML text (with real positions) and demo-like metadata.

The project's loader is not available to this suite yet, so documents are read with
ruamel's position-keeping parser here and built with the real `build_document`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from syncspec.embedded.connectors.demo.catalogue import load_catalogue as load_demo_catalogue
from syncspec.embedded.connectors.encoding import parse_value
from syncspec.embedded.tenant.crm_catalogue import load_catalogue as load_crm_catalogue
from syncspec.model.desired import (
    ConnectionDesired,
    ConnectionDoc,
    ConnectorDoc,
    DesiredState,
    PerActorDoc,
    SyncPriorityDoc,
    build_document,
)
from syncspec.model.diagnostics import Diagnostic, Severity
from syncspec.model.enums import CRM_ACTOR_FOR_ERP, CrmActorType, ErpActorType, FieldMetadataType
from syncspec.model.live import LiveState
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
from syncspec.model.source import JsonPath, Origin
from syncspec.rules import check_rules

REPO = Path(__file__).resolve().parents[2]

CONNECTOR = """\
kind: Connector
name: demo-erp
url: plugin://demo
"""


def _plain(node: Any, path: JsonPath, index: dict[JsonPath, tuple[int, int]]) -> Any:
    if isinstance(node, CommentedMap):
        out = {}
        for key, value in node.items():
            line, column = node.lc.key(key)
            index[(*path, str(key))] = (line + 1, column + 1)
            out[str(key)] = _plain(value, (*path, str(key)), index)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for i, value in enumerate(node):
            line, column = node.lc.item(i)
            index[(*path, i)] = (line + 1, column + 1)
            items.append(_plain(value, (*path, i), index))
        return items
    for kind in (bool, int, float, str):
        if isinstance(node, kind):
            return kind(node)
    return node


def documents(file: str, text: str) -> list[Any]:
    """Every document of one YAML text, as models whose origin locates keys in `file`."""
    out = []
    for number, node in enumerate(YAML().load_all(text)):
        index: dict[JsonPath, tuple[int, int]] = {(): (node.lc.line + 1, node.lc.col + 1)}
        data = _plain(node, (), index)
        origin = Origin(file=file, document=number, first_line=node.lc.line + 1, _positions=lambda i=index: i)
        out.append(build_document(data, origin))
    return out


def desired_from(files: Mapping[str, str]) -> DesiredState:
    """The desired state of several files (well-formed input: build's own checks are not re-run)."""
    docs = [doc for file, text in files.items() for doc in documents(file, text)]
    connectors = {d.name: d for d in docs if isinstance(d, ConnectorDoc)}
    connections = {d.name: ConnectionDesired(d) for d in docs if isinstance(d, ConnectionDoc)}
    priority = next((d for d in docs if isinstance(d, SyncPriorityDoc)), None)
    for doc in docs:
        if isinstance(doc, PerActorDoc) and doc.connection in connections:
            connections[doc.connection] = connections[doc.connection].with_document(doc)
    return DesiredState(connectors=connectors, connections=connections, sync_priority=priority)


def project_files(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root.parent)): path.read_text("utf-8") for path in sorted(root.rglob("*.yaml"))
    }


def demo_connection_meta(name: str) -> ConnectionMeta:
    catalogue = load_demo_catalogue()
    actors = {}
    for actor_name, actor in catalogue.actor_types.items():
        actor_type = ErpActorType(actor_name)
        fields = {
            f.field_key: ErpFieldMeta(
                f.field_key, f.display_name, f.field_type, f.access, f.list_name, f.max_length
            )
            for f in actor.fields
        }
        actors[actor_type] = ActorMeta(actor_type, CRM_ACTOR_FOR_ERP[actor_type], fields)
    return ConnectionMeta(name=name, connector="demo-erp", actors=actors, erp_lists=catalogue.lists)


def demo_connector_meta() -> ConnectorMeta:
    catalogue = load_demo_catalogue()
    fields = {
        f.field_key: ConfigFieldMeta(
            f.field_key, f.display_name, f.field_type, f.access, f.list_name, f.default_value, f.max_length
        )
        for f in catalogue.config_fields
    }
    lists = {name: catalogue.lists[name] for name in catalogue.config_lists}
    return ConnectorMeta("demo-erp", "plugin://demo", fields, lists)


def demo_metadata(*connections: str, crm_lists: Mapping[str, CrmListMeta] | None = None) -> Metadata:
    """Metadata equivalent to the demo connector's catalogue and the standard CRM catalogue."""
    crm = load_crm_catalogue()
    crm_fields = {}
    for actor_name, entries in crm["fields"].items():
        for entry in entries:
            key, display, type_name = entry[0], entry[1], entry[2]
            flag = entry[3] if len(entry) > 3 else ""
            field_type = FieldMetadataType(type_name)
            crm_fields[key] = CrmFieldMeta(
                key,
                display,
                CrmActorType(actor_name),
                field_type,
                read_only=flag == "ro",
                list_name=flag if field_type is FieldMetadataType.LIST else "",
            )
    lists = {
        name: CrmListMeta(
            name,
            {
                i: (item if isinstance(item, str) else item[0])
                for i, item in enumerate(spec["items"], start=1)
            },
        )
        for name, spec in crm["lists"].items()
    }
    lists.update(crm_lists or {})
    return Metadata(
        connectors={"demo-erp": demo_connector_meta()},
        connections={name: demo_connection_meta(name) for name in connections},
        crm_fields=crm_fields,
        crm_lists=lists,
        users=frozenset(name for name, _ in crm["associates"]),
        groups=frozenset(crm["user_groups"]),
    )


def check(*texts: str, metadata: Metadata | None = None, live: LiveState | None = None) -> list[Diagnostic]:
    """Rules over the connector document plus `texts` (files f1.yaml, f2.yaml, ...)."""
    files = {"connectors.yaml": CONNECTOR, **{f"f{n}.yaml": t for n, t in enumerate(texts, start=1)}}
    meta = metadata if metadata is not None else demo_metadata("main", "other")
    return check_rules(desired_from(files), meta, live=live, parse_value=parse_value)


def found(diagnostics: Sequence[Diagnostic]) -> list[tuple[str, Severity, str, int]]:
    """(code, severity, file, line) of each diagnostic, in output order."""
    return [
        (d.code, d.severity, d.location.file if d.location else "", d.location.line if d.location else 0)
        for d in diagnostics
    ]


def with_erp_field(
    meta: Metadata, connection: str, actor: ErpActorType, key: str, **changes: Any
) -> Metadata:
    """`meta` with one ERP field of one connection's actor changed (e.g. missing_in_erp=True)."""
    conn = meta.connections[connection]
    actor_meta = conn.actors[actor]
    fields = {**actor_meta.fields, key: replace(actor_meta.fields[key], **changes)}
    actors = {**conn.actors, actor: replace(actor_meta, fields=fields)}
    return replace(meta, connections={**meta.connections, connection: replace(conn, actors=actors)})
