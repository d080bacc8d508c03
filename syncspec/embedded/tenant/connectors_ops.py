"""Sync connector entities: list, new-entity defaults, URL test, read, save (id 0 creates),
can-delete, soft delete, config fields."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from syncspec.embedded.connectors.base import FieldMetadataInfo
from syncspec.embedded.tenant.calls import invoke, require_ok
from syncspec.embedded.tenant.records import NOT_FOUND, connector_row
from syncspec.model.enums import ErpSyncResponseCode
from syncspec.targets.carriers import ConnectorListItem, ErpSyncConnectorEntity, FieldMetadata

if TYPE_CHECKING:
    from syncspec.embedded.tenant.engine import TenantCall

HAS_CONNECTIONS = ErpSyncResponseCode.ERROR_CONNECTOR_HAS_CONNECTIONS


def _entity(row: sqlite3.Row) -> ErpSyncConnectorEntity:
    return ErpSyncConnectorEntity(
        erp_connector_id=row["erpconnector_id"],
        display_name=row["DisplayName"],
        URL=row["URL"],
        deleted=bool(row["Deleted"]),
    )


def get_all_connectors(s: TenantCall) -> list[ConnectorListItem]:
    rows = s.db.execute("SELECT * FROM ErpConnector WHERE Deleted = 0 ORDER BY erpconnector_id")
    return [
        ConnectorListItem(id=r["erpconnector_id"], name=r["DisplayName"], tool_tip=r["URL"]) for r in rows
    ]


def get_connector(s: TenantCall, erp_connector_id: int) -> ErpSyncConnectorEntity:
    return _entity(connector_row(s, erp_connector_id, allow_deleted=True))


def _live_connections(db: sqlite3.Connection, erp_connector_id: int) -> int:
    row = db.execute(
        "SELECT COUNT(*) FROM ErpConnection WHERE ErpConnectorId = ? AND Deleted = 0", (erp_connector_id,)
    ).fetchone()
    return int(row[0])


def save_connector(s: TenantCall, entity: ErpSyncConnectorEntity) -> ErpSyncConnectorEntity:
    name, url = entity.display_name.strip(), entity.url.strip()
    if not name:
        s.refuse("A sync connector needs a name")
    if not url:
        s.refuse("A sync connector needs a URL")
    if entity.erp_connector_id == 0:
        cursor = s.db.execute(
            "INSERT INTO ErpConnector (DisplayName, URL, Deleted) VALUES (?, ?, 0)", (name, url)
        )
        new_id = cursor.lastrowid
        assert new_id is not None
        return get_connector(s, new_id)
    row = connector_row(s, entity.erp_connector_id)
    if entity.deleted and _live_connections(s.db, row["erpconnector_id"]):
        s.refuse(
            f"The sync connector '{row['DisplayName']}' still has ERP connections and cannot be deleted",
            error_code=HAS_CONNECTIONS.value,
        )
    s.db.execute(
        "UPDATE ErpConnector SET DisplayName = ?, URL = ?, Deleted = ? WHERE erpconnector_id = ?",
        (name, url, int(entity.deleted), row["erpconnector_id"]),
    )
    return get_connector(s, row["erpconnector_id"])


def default_connector(s: TenantCall) -> ErpSyncConnectorEntity:
    """CreateDefaultErpSyncConnectorEntity: a new, unsaved entity (no id, no name, no URL)."""
    return ErpSyncConnectorEntity()


def test_url(s: TenantCall, url: str) -> ErpSyncResponseCode:
    """TestConnectorUrl: NoError when a connector answers at `url`, ErrorNotFound when none does."""
    try:
        connector = s.connector(url.strip())
        answered = connector.get_config_data()
    except Exception:  # no connector there, or one that fails: either way it does not answer
        return ErpSyncResponseCode.ERROR_NOT_FOUND
    return ErpSyncResponseCode.NO_ERROR if answered.is_ok else ErpSyncResponseCode.ERROR_NOT_FOUND


def can_delete(s: TenantCall, erp_connector_id: int) -> ErpSyncResponseCode:
    row = s.db.execute(
        "SELECT Deleted FROM ErpConnector WHERE erpconnector_id = ?", (erp_connector_id,)
    ).fetchone()
    if row is None or row["Deleted"]:
        return ErpSyncResponseCode.ERROR_NOT_FOUND
    if _live_connections(s.db, erp_connector_id):
        return HAS_CONNECTIONS
    return ErpSyncResponseCode.NO_ERROR


def delete_connector(s: TenantCall, erp_connector_id: int) -> None:
    verdict = can_delete(s, erp_connector_id)
    if verdict is ErpSyncResponseCode.ERROR_NOT_FOUND:
        s.refuse(f"The sync connector {erp_connector_id} does not exist", error_code=NOT_FOUND)
    if verdict is HAS_CONNECTIONS:
        s.refuse(
            "The sync connector still has ERP connections; delete them first",
            error_code=HAS_CONNECTIONS.value,
        )
    s.db.execute("UPDATE ErpConnector SET Deleted = 1 WHERE erpconnector_id = ?", (erp_connector_id,))


def config_metadata(s: TenantCall, erp_connector_id: int) -> tuple[FieldMetadataInfo, ...]:
    """The connector's config fields (its `get_config_data`), refusing when it cannot answer."""
    row = connector_row(s, erp_connector_id)
    connector = s.connector(str(row["URL"]))
    result = require_ok(
        s, invoke(s, connector.get_config_data), "The sync connector could not describe its configuration"
    )
    return result.field_metadata


def to_carrier(info: FieldMetadataInfo) -> FieldMetadata:
    return FieldMetadata(
        field_key=info.field_key,
        rank=info.rank,
        display_name=info.display_name,
        display_description=info.display_description,
        field_type=info.field_type,
        list_name=info.list_name,
        default_value=info.default_value,
        max_length=info.max_length,
        access=info.access,
    )


def get_configuration_fields(s: TenantCall, erp_connector_id: int) -> list[FieldMetadata]:
    return [to_carrier(info) for info in config_metadata(s, erp_connector_id)]
