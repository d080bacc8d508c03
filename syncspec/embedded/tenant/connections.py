"""ERP connections: save (create mints the GUID), read (secrets masked), delete (soft), test, refresh.

A save of an existing connection stores the carrier's GUID, sync timestamp, Active and
Deleted as sent: SuperOffice documents no property of ErpConnection as ignored on save.
"""

from __future__ import annotations

import contextlib
import sqlite3
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING

from syncspec.embedded.connectors.base import FieldMetadataInfo
from syncspec.embedded.tenant.activation import activation_problems
from syncspec.embedded.tenant.calls import ask, explain, invoke, require_ok
from syncspec.embedded.tenant.connectors_ops import config_metadata
from syncspec.embedded.tenant.discovery import discover
from syncspec.embedded.tenant.records import connection_row, connector_row, secret_keys, stored_config
from syncspec.model.enums import FieldAccess, FieldMetadataType
from syncspec.model.errors import AgentError
from syncspec.targets.carriers import MASKED_VALUE, ErpConnection

if TYPE_CHECKING:
    from syncspec.embedded.tenant.engine import TenantCall

CONFIG_WHILE_ACTIVE = "The connection is active: deactivate the connection before changing its configuration."


def _access_ids(db: sqlite3.Connection, conn_id: int) -> tuple[list[int], list[int]]:
    rows = db.execute(
        "SELECT AssociateId, UserGroupId FROM ErpConnectionAccess WHERE ErpConnectionId = ? "
        "ORDER BY erpconnectionaccess_id",
        (conn_id,),
    ).fetchall()
    groups = sorted(int(r["UserGroupId"]) for r in rows if r["UserGroupId"] is not None)
    users = sorted(int(r["AssociateId"]) for r in rows if r["AssociateId"] is not None)
    return groups, users


def _carrier(db: sqlite3.Connection, row: sqlite3.Row, *, with_config: bool) -> ErpConnection:
    conn_id = int(row["erpconnection_id"])
    config: dict[str, str] = {}
    if with_config:
        config = stored_config(db, conn_id)
        for key in secret_keys(db, conn_id):
            if config.get(key):
                config[key] = MASKED_VALUE
    groups, users = _access_ids(db, conn_id)
    return ErpConnection(
        erp_connection_id=conn_id,
        erp_connector_id=row["ErpConnectorId"],
        display_name=row["DisplayName"],
        display_description=row["DisplayDescription"],
        active=bool(row["Active"]),
        connection_id=row["ConnectionId"],
        most_recent_timestamp=row["MostRecentTimestamp"],
        config_fields=config,
        deleted=bool(row["Deleted"]),
        all_access=bool(row["AllAccess"]),
        user_group_access_ids=groups,
        associate_access_ids=users,
    )


def get_all_connections(s: TenantCall, include_deleted: bool) -> list[ErpConnection]:
    rows = s.db.execute(
        "SELECT * FROM ErpConnection WHERE Deleted = 0 OR ? ORDER BY erpconnection_id",
        (int(include_deleted),),
    )
    return [_carrier(s.db, r, with_config=False) for r in rows.fetchall()]


def get_connection(s: TenantCall, erp_connection_id: int) -> ErpConnection:
    return _carrier(s.db, connection_row(s, erp_connection_id), with_config=True)


def get_config_fields(s: TenantCall, erp_connection_id: int) -> dict[str, str]:
    return get_connection(s, erp_connection_id).config_fields


def _merge_config(
    s: TenantCall,
    metadata: tuple[FieldMetadataInfo, ...],
    stored: Mapping[str, str],
    incoming: Mapping[str, str],
) -> dict[str, str]:
    """The incoming config as a whole (keys it leaves out are dropped); MASKED_VALUE keeps a stored secret.

    ConfigFields is stored as sent, like every documented property: a client that sends
    part of the config (or the empty one GetAllConnections answers) loses the rest.
    """
    known = {info.field_key: info for info in metadata}
    merged: dict[str, str] = {}
    for key, value in incoming.items():
        info = known.get(key)
        if info is None:
            s.refuse(f"The sync connector has no configuration field '{key}'")
        if info.field_type is FieldMetadataType.PASSWORD:
            if value == MASKED_VALUE:
                if key not in stored:
                    s.refuse(
                        f"The configuration field '{info.display_name or key}' has no stored value to keep"
                    )
                merged[key] = stored[key]
                continue
            s.secrets.add(value)
        merged[key] = value
    for info in metadata:
        if info.access is FieldAccess.MANDATORY and not merged.get(info.field_key, "").strip():
            s.refuse(f"The configuration field '{info.display_name or info.field_key}' is mandatory")
    return merged


def _check_access(s: TenantCall, connection: ErpConnection) -> None:
    if connection.all_access:
        return
    if not connection.user_group_access_ids and not connection.associate_access_ids:
        s.refuse("Choose who may use the connection: everyone, or at least one user or user group")
    for group_id in connection.user_group_access_ids:
        if (
            s.db.execute(
                "SELECT 1 FROM UserGroup WHERE usergroup_id = ? AND deleted = 0", (group_id,)
            ).fetchone()
            is None
        ):
            s.refuse(f"The user group {group_id} does not exist")
    for associate_id in connection.associate_access_ids:
        if (
            s.db.execute(
                "SELECT 1 FROM Associate WHERE associate_id = ? AND deleted = 0", (associate_id,)
            ).fetchone()
            is None
        ):
            s.refuse(f"The user {associate_id} does not exist")


def _write_access(s: TenantCall, conn_id: int, connection: ErpConnection) -> None:
    s.db.execute("DELETE FROM ErpConnectionAccess WHERE ErpConnectionId = ?", (conn_id,))
    if connection.all_access:
        return
    s.db.executemany(
        "INSERT INTO ErpConnectionAccess (ErpConnectionId, UserGroupId) VALUES (?, ?)",
        [(conn_id, g) for g in sorted(set(connection.user_group_access_ids))],
    )
    s.db.executemany(
        "INSERT INTO ErpConnectionAccess (ErpConnectionId, AssociateId) VALUES (?, ?)",
        [(conn_id, a) for a in sorted(set(connection.associate_access_ids))],
    )


def _write_config(
    s: TenantCall, conn_id: int, config: Mapping[str, str], metadata: tuple[FieldMetadataInfo, ...]
) -> None:
    types = {info.field_key: info.field_type.value for info in metadata}
    s.db.execute("DELETE FROM ConnectionConfigField WHERE ErpConnectionId = ?", (conn_id,))
    s.db.executemany(
        "INSERT INTO ConnectionConfigField (ErpConnectionId, FieldKey, FieldValue, FieldType) "
        "VALUES (?, ?, ?, ?)",
        [(conn_id, k, v, types.get(k, FieldMetadataType.TEXT.value)) for k, v in sorted(config.items())],
    )


def save_connection(s: TenantCall, connection: ErpConnection) -> ErpConnection:
    name = connection.display_name.strip()
    if not name:
        s.refuse("An ERP connection needs a name")
    creating = connection.erp_connection_id == 0
    if creating:
        connector_id = connection.erp_connector_id
        existing: sqlite3.Row | None = None
        stored: dict[str, str] = {}
    else:
        existing = connection_row(s, connection.erp_connection_id)
        connector_id = int(existing["ErpConnectorId"])
        if connection.erp_connector_id not in (0, connector_id):
            s.refuse("The sync connector of an existing ERP connection cannot be changed")
        stored = stored_config(s.db, connection.erp_connection_id)
        s.secrets.update(stored[k] for k in secret_keys(s.db, connection.erp_connection_id) if stored.get(k))
    connector = connector_row(s, connector_id)
    metadata = config_metadata(s, connector_id)
    merged = _merge_config(s, metadata, stored, connection.config_fields)
    config_changed = creating or merged != stored
    if existing is not None and existing["Active"] and config_changed:
        s.refuse(CONFIG_WHILE_ACTIVE)
    _check_access(s, connection)
    if config_changed:
        plugin = s.connector(str(connector["URL"]))
        tested = invoke(s, lambda: plugin.test_config_data(merged))
        if not tested.is_ok:
            s.refuse(f"Test ERP connection failed: {explain(s, tested)}", error_code=tested.error_code)
    if existing is None:
        conn_id = _insert_row(s, connection, connector_id, name)
    else:
        conn_id = int(existing["erpconnection_id"])
        _update_row(s, existing, connection, name)
    _write_access(s, conn_id, connection)
    if config_changed:
        _write_config(s, conn_id, merged, metadata)
        row = connection_row(s, conn_id)
        plugin = s.connector(str(row["ConnectorURL"]))
        sent = invoke(s, lambda: plugin.save_connection(str(row["ConnectionId"]), merged))
        require_ok(s, sent, "The sync connector could not save the connection")
        discover(s, row)
    return get_connection(s, conn_id)


def _insert_row(s: TenantCall, connection: ErpConnection, connector_id: int, name: str) -> int:
    """A new connection starts inactive; its GUID is minted here unless the carrier brings one."""
    guid = connection.connection_id.strip() or str(uuid.uuid4())
    _require_unique_guid(s, guid, 0)
    cursor = s.db.execute(
        "INSERT INTO ErpConnection (ErpConnectorId, DisplayName, DisplayDescription, Active, "
        "ConnectionId, MostRecentTimestamp, AllAccess, Deleted, SyncPriority) "
        "VALUES (?, ?, ?, 0, ?, ?, ?, 0, "
        "(SELECT COALESCE(MAX(SyncPriority), 0) + 1 FROM ErpConnection))",
        (
            connector_id,
            name,
            connection.display_description,
            guid,
            connection.most_recent_timestamp,
            int(connection.all_access),
        ),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def _require_unique_guid(s: TenantCall, guid: str, conn_id: int) -> None:
    other = s.db.execute(
        "SELECT DisplayName FROM ErpConnection WHERE ConnectionId = ? AND erpconnection_id <> ?",
        (guid, conn_id),
    ).fetchone()
    if other is not None:
        s.refuse(f"The connection GUID is already used by the ERP connection '{other['DisplayName']}'")


def _update_row(s: TenantCall, existing: sqlite3.Row, connection: ErpConnection, name: str) -> None:
    """Store what the carrier says, the way SuperOffice documents the properties as saved.

    Nothing is kept from the stored row: a carrier sent with a blank GUID, timestamp or
    Active=false loses them, as a real tenant may (the least forgiving reading of the docs).
    Switching a connection on this way needs what ToggleErpConnectionActive needs.
    """
    conn_id = int(existing["erpconnection_id"])
    _require_unique_guid(s, connection.connection_id, conn_id)
    if connection.active and not existing["Active"]:
        problems = activation_problems(s.db, conn_id)
        if problems:
            s.refuse(f"The connection cannot be activated: {problems[0]}", reasons=problems)
    s.db.execute(
        "UPDATE ErpConnection SET DisplayName = ?, DisplayDescription = ?, AllAccess = ?, Active = ?, "
        "ConnectionId = ?, MostRecentTimestamp = ?, Deleted = ? WHERE erpconnection_id = ?",
        (
            name,
            connection.display_description,
            int(connection.all_access),
            int(connection.active and not connection.deleted),
            connection.connection_id,
            connection.most_recent_timestamp,
            int(connection.deleted),
            conn_id,
        ),
    )


def delete_connection(s: TenantCall, erp_connection_id: int) -> None:
    row = connection_row(s, erp_connection_id)
    s.db.execute(
        "UPDATE ErpConnection SET Deleted = 1, Active = 0 WHERE erpconnection_id = ?", (erp_connection_id,)
    )
    # The connector is only told, "in case it needs to know": its answer cannot undo the delete.
    with contextlib.suppress(AgentError):
        ask(s, row, lambda c, g: c.delete_connection(g))


def test_connection_by_config(
    s: TenantCall, erp_connection_id: int, config_fields: Mapping[str, str]
) -> bool:
    """Test a config without saving it.

    The id is a connection's; failing that, a connector's (for a connection not yet created).
    """
    return not config_refusal(s, erp_connection_id, config_fields)


def config_refusal(s: TenantCall, erp_connection_id: int, config_fields: Mapping[str, str]) -> str:
    """Why the connector refuses this config ("" when it accepts it), secrets scrubbed.

    What TestConnectionByConfig's yes or no rests on; SuperOffice's answer carries only the
    yes or no, the embedded tenant also tells the connector's reason (`InProcessAgent`).
    """
    row = s.db.execute(
        "SELECT * FROM ErpConnection WHERE erpconnection_id = ? AND Deleted = 0", (erp_connection_id,)
    ).fetchone()
    if row is not None:
        connector_id = int(row["ErpConnectorId"])
        stored = stored_config(s.db, erp_connection_id)
        s.secrets.update(stored[k] for k in secret_keys(s.db, erp_connection_id) if stored.get(k))
    else:
        connector_id, stored = erp_connection_id, {}
    connector = connector_row(s, connector_id)
    try:
        merged = _merge_config(s, config_metadata(s, connector_id), stored, config_fields)
    except AgentError as exc:
        return s.scrub(exc.reason_text)  # an incomplete config: a test answers no
    plugin = s.connector(str(connector["URL"]))
    tested = invoke(s, lambda: plugin.test_config_data(merged))
    return "" if tested.is_ok else explain(s, tested)


def test_connection_by_id(s: TenantCall, erp_connection_id: int) -> bool:
    row = connection_row(s, erp_connection_id)
    return ask(s, row, lambda c, g: c.test_connection(g)).is_ok


def update_connection_fields(s: TenantCall, erp_connection_id: int) -> bool:
    discover(s, connection_row(s, erp_connection_id))
    return True
