"""Build `Metadata` from the same counted, cached agent reads the live state uses."""

from __future__ import annotations

from datetime import UTC, datetime

from syncspec.model.enums import ErpActorType, FieldMetadataType
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
from syncspec.targets.carriers import ErpSyncActorTypeMapping, ErpSyncDefaultValue
from syncspec.targets.read_live import read_connectors
from syncspec.targets.reads import AgentReads


def read_metadata(reads: AgentReads, *, now: datetime | None = None) -> Metadata:
    taken_at = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    connectors = read_connectors(reads)
    connector_names = {c.id: c.name for c in connectors.values()}
    # Config lists (e.g. a connector's "language") belong to no connection, but the agent
    # lists ERP lists per connection only: ask through one of the connector's connections.
    some_connection: dict[int, int] = {}
    for conn in sorted(reads.connections(), key=lambda c: c.erp_connection_id):
        if not conn.deleted:
            some_connection.setdefault(conn.erp_connector_id, conn.erp_connection_id)
    connector_meta = {
        name: _connector_meta(reads, c.id, name, c.url, some_connection.get(c.id))
        for name, c in sorted(connectors.items())
    }
    connection_meta: dict[str, ConnectionMeta] = {}
    for conn in sorted(reads.connections(), key=lambda c: c.display_name):
        if conn.deleted:
            continue
        connector = connector_names.get(conn.erp_connector_id, f"#{conn.erp_connector_id}")
        connection_meta[conn.display_name] = _connection_meta(
            reads, conn.erp_connection_id, conn.display_name, connector
        )
    crm_fields = {
        f.key: CrmFieldMeta(
            key=f.key,
            display_name=f.display_name,
            crm_actor=f.crm_actor_type,
            field_type=f.field_type,
            read_only=f.read_only,
            list_name=f.list_name,
        )
        for f in sorted(reads.crm_fields(), key=lambda f: f.key)
    }
    crm_lists = {
        lst.name: CrmListMeta(
            name=lst.name,
            items={i.id: i.name for i in sorted(lst.items, key=lambda i: i.id) if not i.deleted},
        )
        for lst in sorted(reads.crm_lists(), key=lambda lst: lst.name)
    }
    return Metadata(
        connectors=connector_meta,
        connections=connection_meta,
        crm_fields=crm_fields,
        crm_lists=crm_lists,
        users=frozenset(a.name for a in reads.associates() if not a.deleted),
        groups=frozenset(g.name for g in reads.user_groups() if not g.deleted),
        taken_at=taken_at,
        source="live",
    )


def _connector_meta(
    reads: AgentReads, connector_id: int, name: str, url: str, via_connection: int | None
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
    config_lists: dict[str, dict[str, str]] = {}
    list_names = {f.list_name for f in fields if f.field_type is FieldMetadataType.LIST and f.list_name}
    for list_name in sorted(list_names) if via_connection is not None else ():
        assert via_connection is not None
        items = reads.erp_list_items_if_offered(via_connection, list_name)
        if items is not None:  # a tenant that cannot list it leaves the values unchecked offline
            config_lists[list_name] = {i.key: i.name for i in items}
    return ConnectorMeta(name=name, url=url, config_fields=config_fields, config_lists=config_lists)


def _connection_meta(reads: AgentReads, connection_id: int, name: str, connector: str) -> ConnectionMeta:
    mappings = reads.actor_mappings(connection_id)
    defaults = reads.defaults(f.erp_field_id for m in mappings.values() for f in m.field_mappings)
    actors = {actor: _actor_meta(actor, m, defaults) for actor, m in mappings.items()}
    list_names = sorted({f.list_name for a in actors.values() for f in a.fields.values() if f.list_name})
    erp_lists = {
        list_name: {i.key: i.name for i in reads.erp_list_items(connection_id, list_name)}
        for list_name in list_names
    }
    return ConnectionMeta(name=name, connector=connector, actors=actors, erp_lists=erp_lists)


def _actor_meta(
    actor: ErpActorType, mapping: ErpSyncActorTypeMapping, defaults: dict[int, ErpSyncDefaultValue]
) -> ActorMeta:
    fields: dict[str, ErpFieldMeta] = {}
    # The tenant returns fields in rank order; field ids follow discovery, i.e. the connector's order.
    for fm in sorted(mapping.field_mappings, key=lambda f: f.erp_field_id):
        info = defaults.get(fm.erp_field_id)
        # ErpSyncFieldMapping has no ListName; the field's default-value carrier does
        list_name = info.list_name if info is not None else ""
        fields[fm.erp_field_key] = ErpFieldMeta(
            key=fm.erp_field_key,
            display_name=fm.erp_display_name or fm.erp_field_key,
            field_type=fm.field_type,
            access=fm.access,
            list_name=list_name,
            missing_in_erp=fm.missing_in_erp,
        )
    return ActorMeta(actor=actor, crm_actor=mapping.actor_type_crm, fields=fields)
