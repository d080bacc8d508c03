"""Build `Metadata` from the same counted, cached agent reads the live state uses."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime

from syncspec.model.enums import CrmActorType, ErpActorType, FieldMetadataType
from syncspec.model.errors import TargetError
from syncspec.model.live import LiveConnector
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
from syncspec.targets.carriers import ErpConnection, ErpSyncActorTypeMapping
from syncspec.targets.lists import EmbeddedFacts, ErpFieldRow, list_name_of_reference, mdo_request
from syncspec.targets.read_live import read_connectors
from syncspec.targets.reads import AgentReads


def read_metadata(
    reads: AgentReads,
    *,
    facts: EmbeddedFacts | None = None,
    now: datetime | None = None,
    connections: Collection[str] | None = None,
) -> Metadata:
    """The tenant's metadata from documented reads; `facts` adds what only the embedded tenant knows.

    Without `facts` (a real tenant), CRM fields carry only key and name, CRM lists only those
    a mapping's ListReference names, and ERP lists only those of mapped list fields (from
    GetConnectionListMappings): the rest is unknown, and validation says what it could not check.
    `connections` limits the connections described (all by default), as `read_live` does.
    """
    taken_at = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    connectors = read_connectors(reads)
    connector_names = {c.id: c.name for c in connectors.values()}
    live = sorted((c for c in reads.connections() if not c.deleted), key=lambda c: c.erp_connection_id)
    connector_meta = _connector_metas(reads, connectors, live, facts)
    described = [c for c in live if connections is None or c.display_name in connections]
    connection_meta, list_references = _connection_metas(reads, described, connector_names, facts)
    crm_fields = _crm_fields(reads, facts, list_references)
    return Metadata(
        connectors=connector_meta,
        connections=connection_meta,
        crm_fields=crm_fields,
        crm_lists=_crm_lists(reads, {f.list_name for f in crm_fields.values() if f.list_name}),
        users=frozenset(a.name for a in reads.associates() if not a.deleted),
        groups=frozenset(g.name for g in reads.user_groups() if not g.deleted),
        taken_at=taken_at,
        source="live",
    )


def _connector_metas(
    reads: AgentReads,
    connectors: Mapping[str, LiveConnector],
    live: Sequence[ErpConnection],
    facts: EmbeddedFacts | None,
) -> dict[str, ConnectorMeta]:
    """Each connector's metadata, by name; its config fields are read through the first of
    its connections (a connector without one is described without them)."""
    some_connection: dict[int, int] = {}  # connector id -> the first of its connections
    for conn in live:
        some_connection.setdefault(conn.erp_connector_id, conn.erp_connection_id)
    return {
        name: _connector_meta(reads, c.id, name, c.url, some_connection.get(c.id), facts)
        for name, c in sorted(connectors.items())
    }


def _connection_metas(
    reads: AgentReads,
    described: Sequence[ErpConnection],
    connector_names: Mapping[int, str],
    facts: EmbeddedFacts | None,
) -> tuple[dict[str, ConnectionMeta], dict[str, str]]:
    """Each described connection's metadata, by name, and the CRM lists its mappings name
    (CRM field key -> CRM list name)."""
    connection_meta: dict[str, ConnectionMeta] = {}
    list_references: dict[str, str] = {}
    for conn in sorted(described, key=lambda c: c.display_name):
        connector = connector_names.get(conn.erp_connector_id, f"#{conn.erp_connector_id}")
        connection_meta[conn.display_name] = _connection_meta(
            reads, conn.erp_connection_id, conn.display_name, connector, facts
        )
        _add_list_references(reads, conn.erp_connection_id, list_references)
    return connection_meta, list_references


def _add_list_references(reads: AgentReads, connection_id: int, into: dict[str, str]) -> None:
    """CRM field key -> CRM list name, as the connection's mappings name them (first one wins)."""
    for mapping in reads.actor_mappings(connection_id).values():
        for fm in mapping.field_mappings:
            list_name = list_name_of_reference(fm.list_reference)
            if fm.crm_field_key and list_name:
                into.setdefault(fm.crm_field_key, list_name)


def _crm_fields(
    reads: AgentReads, facts: EmbeddedFacts | None, list_references: dict[str, str]
) -> dict[str, CrmFieldMeta]:
    if facts is not None:
        catalogue = facts.crm_field_catalogue()
        return {f.key: f for f in sorted(catalogue, key=lambda f: f.key)}
    # The `crmfields` MDO list documents only Id and Name; Name is the CrmFieldKey (docs/rest.md).
    # Entity, type and read-only flag are unknown; a mapped list field's list is known.
    names = sorted({item.name for item in reads.crm_fields() if item.name and not item.deleted})
    return {
        key: CrmFieldMeta(key=key, display_name=key, list_name=list_references.get(key, "")) for key in names
    }


def _crm_lists(reads: AgentReads, names: set[str]) -> dict[str, CrmListMeta]:
    found: dict[str, CrmListMeta] = {}
    for name in sorted(names):
        try:
            items = reads.mdo_list(*mdo_request(name))
        except TargetError:
            continue  # a list the tenant does not serve by that name: unknown (SS310 says so)
        found[name] = CrmListMeta(
            name=name, items={i.id: i.name for i in sorted(items, key=lambda i: i.id) if not i.deleted}
        )
    return found


def _connector_meta(
    reads: AgentReads,
    connector_id: int,
    name: str,
    url: str,
    via_connection: int | None,
    facts: EmbeddedFacts | None,
) -> ConnectorMeta:
    fields = sorted(reads.configuration_fields(connector_id), key=lambda f: f.rank)
    config_fields = {
        f.field_key: ConfigFieldMeta(
            key=f.field_key,
            display_name=f.display_name,
            field_type=f.field_type,
            access=f.access,
            list_name=f.list_name,
            default_value=f.default_value,
            max_length=f.max_length,
        )
        for f in fields
    }
    # No documented read lists a connector's config lists (the GUI asks the connector itself):
    # only the embedded tenant can; elsewhere their values stay unchecked.
    config_lists: dict[str, dict[str, str]] = {}
    list_names = {f.list_name for f in fields if f.field_type is FieldMetadataType.LIST and f.list_name}
    if facts is not None and via_connection is not None:
        for list_name in sorted(list_names):
            items = facts.connector_list(via_connection, list_name)
            if items is not None:
                config_lists[list_name] = dict(items)
    return ConnectorMeta(name=name, url=url, config_fields=config_fields, config_lists=config_lists)


def _connection_meta(
    reads: AgentReads, connection_id: int, name: str, connector: str, facts: EmbeddedFacts | None
) -> ConnectionMeta:
    mappings = reads.actor_mappings(connection_id)
    rows = reads.erp_fields_by_id(connection_id)
    actors = {
        actor: _actor_meta(actor, _crm_actor(reads, connection_id, actor, m), m, rows)
        for actor, m in mappings.items()
    }
    # Every ERP item of a mapped list field travels in GetConnectionListMappings.
    erp_lists: dict[str, dict[str, str]] = {}
    for lm in reads.list_mappings(connection_id).erp_list_item_mappings:
        if lm.erp_list_name:
            # A stored item mapping whose ERP item the connector stopped reporting comes back
            # without a name: it is a leftover to unmap, not an item of the list (docs/metadata.md).
            erp_lists[lm.erp_list_name] = {
                i.erp_list_item_id: i.erp_list_item_name
                for i in lm.erp_crm_list_item_mappings
                if i.erp_list_item_name
            }
    wanted = sorted({f.list_name for a in actors.values() for f in a.fields.values() if f.list_name})
    for list_name in wanted if facts is not None else ():
        if list_name not in erp_lists:
            items = facts.connector_list(connection_id, list_name) if facts is not None else None
            if items is not None:
                erp_lists[list_name] = dict(items)
    return ConnectionMeta(
        name=name, connector=connector, actors=actors, erp_lists=dict(sorted(erp_lists.items()))
    )


def _crm_actor(
    reads: AgentReads, connection_id: int, actor: ErpActorType, mapping: ErpSyncActorTypeMapping
) -> CrmActorType:
    """The mapping's ActorTypeCrm, or GetCrmActorType when the mapping leaves it out (it is nullable)."""
    if mapping.actor_type_crm is not CrmActorType.UNKNOWN:
        return mapping.actor_type_crm
    return reads.crm_actor_type(connection_id, actor)


def _actor_meta(
    actor: ErpActorType,
    crm_actor: CrmActorType,
    mapping: ErpSyncActorTypeMapping,
    rows: dict[int, ErpFieldRow],
) -> ActorMeta:
    fields: dict[str, ErpFieldMeta] = {}
    # The tenant returns fields in rank order; field ids follow discovery, i.e. the connector's order.
    for fm in sorted(mapping.field_mappings, key=lambda f: f.erp_field_id):
        row = rows.get(fm.erp_field_id)
        # ErpSyncFieldMapping has no ListName; the field's ErpField archive row does
        fields[fm.erp_field_key] = ErpFieldMeta(
            key=fm.erp_field_key,
            display_name=fm.erp_display_name or fm.erp_field_key,
            field_type=fm.field_type,
            access=fm.access,
            list_name=row.list_name if row is not None else "",
            missing_in_erp=fm.missing_in_erp,
        )
    return ActorMeta(actor=actor, crm_actor=crm_actor, fields=fields)
