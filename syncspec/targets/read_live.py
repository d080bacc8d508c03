"""Build a `LiveState` from counted, cached agent reads (docs/targets.md, reading)."""

from __future__ import annotations

from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor

from syncspec.model.enums import ErpActorType, FieldMetadataType
from syncspec.model.live import (
    LiveAccess,
    LiveActor,
    LiveConnection,
    LiveConnector,
    LiveDefault,
    LiveField,
    LiveState,
)
from syncspec.targets.carriers import MASKED_VALUE, ErpConnection, ErpSyncActorTypeMapping
from syncspec.targets.engine_io import read_sync_engine
from syncspec.targets.lists import ErpFieldRow
from syncspec.targets.reads import AgentReads


def read_connectors(reads: AgentReads) -> dict[str, LiveConnector]:
    connectors: dict[str, LiveConnector] = {}
    for item in sorted(reads.connectors(), key=lambda c: c.id):
        entity = reads.connector_entity(item.id)
        if entity.deleted:
            continue
        connectors[entity.display_name or item.name] = LiveConnector(
            id=item.id, name=entity.display_name or item.name, url=entity.url
        )
    return connectors


def read_live_state(reads: AgentReads, *, connections: Collection[str] | None = None) -> LiveState:
    """The live state; `connections` limits which connections are read in depth (all by default)."""
    connectors = read_connectors(reads)
    connector_names = {c.id: c.name for c in connectors.values()}
    listed = [c for c in reads.connections() if not c.deleted]
    wanted = [c for c in listed if connections is None or c.display_name in connections]

    # A handful of reads per connection; connections are read side by side (the reads are
    # thread-safe and the REST agent bounds the requests in flight).
    def one(conn: ErpConnection) -> LiveConnection:
        return _read_connection(reads, conn.erp_connection_id, connector_names)

    if reads.parallelism > 1 and len(wanted) > 1:
        with ThreadPoolExecutor(max_workers=min(reads.parallelism, len(wanted))) as pool:
            found = list(pool.map(one, wanted))
    else:
        found = [one(conn) for conn in wanted]
    live_connections = {conn.display_name: live for conn, live in zip(wanted, found, strict=True)}
    names_by_id = {c.erp_connection_id: c.display_name for c in listed}
    priority = tuple(names_by_id[cid] for cid in reads.sync_priorities() if cid in names_by_id)
    return LiveState(
        connectors=connectors,
        connections=live_connections,
        sync_priority=priority,
        sync_engine=read_sync_engine(reads),
    )


def _read_connection(
    reads: AgentReads, connection_id: int, connector_names: dict[int, str]
) -> LiveConnection:
    conn = reads.connection(connection_id)
    mappings = reads.actor_mappings(connection_id)
    rows = reads.erp_fields_by_id(connection_id)  # ranks and defaults, one archive query
    lists = _list_mappings(reads, connection_id)
    actors: dict[ErpActorType, LiveActor] = {}
    for actor, mapping in mappings.items():
        fields = _fields(mapping, rows)
        actor_lists = {key: items for (owner, key), items in sorted(lists.items()) if owner == actor}
        actors[actor] = LiveActor(actor=actor, sync=mapping.is_active, fields=fields, lists=actor_lists)
    return LiveConnection(
        id=conn.erp_connection_id,
        guid=conn.connection_id,
        name=conn.display_name,
        connector=connector_names.get(conn.erp_connector_id, f"#{conn.erp_connector_id}"),
        description=conn.display_description,
        active=conn.active,
        access=_access(reads, conn),
        config=dict(sorted(conn.config_fields.items())),
        config_sensitive=_sensitive_keys(reads, conn),
        actors=actors,
    )


def _fields(mapping: ErpSyncActorTypeMapping, rows: dict[int, ErpFieldRow]) -> dict[str, LiveField]:
    ranks = {
        fm.erp_field_id: rows[fm.erp_field_id].rank
        for fm in mapping.field_mappings
        if fm.erp_field_id in rows
    }
    # fields without an archive row (should not happen) sort after the ranked ones, in mapping order
    order = sorted(
        enumerate(mapping.field_mappings),
        key=lambda pair: (ranks.get(pair[1].erp_field_id, len(ranks) + 1 + pair[0]), pair[0]),
    )
    fields: dict[str, LiveField] = {}
    for _, fm in order:
        info = rows.get(fm.erp_field_id)
        default = LiveDefault()
        if info is not None:
            default = LiveDefault(
                has_value=info.has_first_sync_default_value,
                value=info.first_sync_default_value,
                prompt=info.prompt_user,
                mandatory=info.mandatory,
            )
        fields[fm.erp_field_key] = LiveField(
            field_id=fm.erp_field_id,
            key=fm.erp_field_key,
            crm=fm.crm_field_key,
            to_crm=fm.sync_to_crm,
            to_erp=fm.sync_to_erp,
            show_in_search=fm.show_in_search,
            show_in_tab=fm.show_in_gui,
            rank=ranks.get(fm.erp_field_id, 0),
            default=default,
            missing_in_erp=fm.missing_in_erp,
        )
    return fields


def _list_mappings(
    reads: AgentReads, connection_id: int
) -> dict[tuple[ErpActorType, str], dict[str, int | None]]:
    """(actor, ERP field key) -> ERP item key -> CRM item id (None = "(No selection)")."""
    keys_by_id = {
        f.erp_field_id: (actor, f.erp_field_key)
        for actor, m in reads.actor_mappings(connection_id).items()
        for f in m.field_mappings
    }
    result: dict[tuple[ErpActorType, str], dict[str, int | None]] = {}
    for lm in reads.list_mappings(connection_id).erp_list_item_mappings:
        owner = keys_by_id.get(lm.erp_field_id)
        if owner is None:
            continue  # a list of a field the connection no longer has; nothing to configure
        result[owner] = {
            item.erp_list_item_id: item.crm_list_item.id if item.crm_list_item is not None else None
            for item in lm.erp_crm_list_item_mappings
        }
    return result


def _access(reads: AgentReads, conn: ErpConnection) -> LiveAccess:
    if conn.all_access:
        return LiveAccess(everyone=True)
    groups: tuple[str, ...] = ()
    users: tuple[str, ...] = ()
    # only read the user and group lists when a connection actually needs them
    if conn.user_group_access_ids:
        by_id = {g.id: g.name for g in reads.user_groups()}
        groups = tuple(sorted(by_id.get(i, f"#{i}") for i in conn.user_group_access_ids))
    if conn.associate_access_ids:
        by_id = {a.id: a.name for a in reads.associates()}
        users = tuple(sorted(by_id.get(i, f"#{i}") for i in conn.associate_access_ids))
    return LiveAccess(everyone=False, groups=groups, users=users)


def _sensitive_keys(reads: AgentReads, conn: ErpConnection) -> frozenset[str]:
    typed = {
        f.field_key
        for f in reads.configuration_fields(conn.erp_connector_id)
        if f.field_type is FieldMetadataType.PASSWORD
    }
    # a masked value is a secret even if the connector's metadata forgot to say so
    masked = {key for key, value in conn.config_fields.items() if value == MASKED_VALUE}
    return frozenset(typed | masked)
