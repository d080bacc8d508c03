"""Row look-ups shared by the agent methods, each refusing the way SuperOffice does when a row is missing."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from syncspec.model.enums import ErpActorType, ErpSyncResponseCode, FieldMetadataType

if TYPE_CHECKING:
    from syncspec.embedded.tenant.engine import TenantCall

ACTIVE_REFUSAL = "The connection is active. Deactivate it before changing its configuration."
NOT_FOUND = ErpSyncResponseCode.ERROR_NOT_FOUND.value

_CONNECTION_SQL = (
    "SELECT c.*, k.URL AS ConnectorURL, k.DisplayName AS ConnectorName FROM ErpConnection c "
    "JOIN ErpConnector k ON k.erpconnector_id = c.ErpConnectorId WHERE c.erpconnection_id = ?"
)


def connection_row(s: TenantCall, erp_connection_id: int) -> sqlite3.Row:
    """A non-deleted connection (with its connector's URL as `ConnectorURL`)."""
    row: sqlite3.Row | None = s.db.execute(_CONNECTION_SQL, (erp_connection_id,)).fetchone()
    if row is None or row["Deleted"]:
        s.refuse(f"The ERP connection {erp_connection_id} does not exist", error_code=NOT_FOUND)
    return row


def connector_row(s: TenantCall, erp_connector_id: int, *, allow_deleted: bool = False) -> sqlite3.Row:
    row: sqlite3.Row | None = s.db.execute(
        "SELECT * FROM ErpConnector WHERE erpconnector_id = ?", (erp_connector_id,)
    ).fetchone()
    if row is None or (row["Deleted"] and not allow_deleted):
        s.refuse(f"The sync connector {erp_connector_id} does not exist", error_code=NOT_FOUND)
    return row


def require_inactive(s: TenantCall, connection: sqlite3.Row) -> None:
    if connection["Active"]:
        s.refuse(ACTIVE_REFUSAL)


def actor_type_row(s: TenantCall, erp_connection_id: int, actor_type: ErpActorType) -> sqlite3.Row:
    row: sqlite3.Row | None = s.db.execute(
        "SELECT * FROM ErpConnectionActorType WHERE ErpConnectionId = ? AND ActorTypeErp = ?",
        (erp_connection_id, ErpActorType(actor_type).value),
    ).fetchone()
    if row is None:
        s.refuse(
            f"The connection's sync connector does not offer the actor type {actor_type}",
            error_code=NOT_FOUND,
        )
    return row


def field_row(s: TenantCall, erp_field_id: int) -> sqlite3.Row:
    """An ERP field of a non-deleted connection, with `ErpConnectionId`, `ActorTypeErp`, `ActorTypeCrm`."""
    row: sqlite3.Row | None = s.db.execute(
        "SELECT f.*, a.ErpConnectionId, a.ActorTypeErp, a.ActorTypeCrm, c.Active, c.Deleted AS ConnDeleted "
        "FROM ErpField f JOIN ErpConnectionActorType a "
        "ON a.erpconnectionactortype_id = f.ErpConnectionActorTypeId "
        "JOIN ErpConnection c ON c.erpconnection_id = a.ErpConnectionId WHERE f.erpfield_id = ?",
        (erp_field_id,),
    ).fetchone()
    if row is None or row["ConnDeleted"]:
        s.refuse(f"The ERP field {erp_field_id} does not exist", error_code=NOT_FOUND)
    return row


def stored_config(db: sqlite3.Connection, erp_connection_id: int) -> dict[str, str]:
    rows = db.execute(
        "SELECT FieldKey, FieldValue FROM ConnectionConfigField WHERE ErpConnectionId = ? ORDER BY FieldKey",
        (erp_connection_id,),
    )
    return {str(r[0]): str(r[1]) for r in rows}


def secret_keys(db: sqlite3.Connection, erp_connection_id: int) -> set[str]:
    rows = db.execute(
        "SELECT FieldKey FROM ConnectionConfigField WHERE ErpConnectionId = ? AND FieldType = ?",
        (erp_connection_id, FieldMetadataType.PASSWORD.value),
    )
    return {str(r[0]) for r in rows}


def remember_secrets(s: TenantCall, erp_connection_id: int) -> None:
    config = stored_config(s.db, erp_connection_id)
    s.secrets.update(config[k] for k in secret_keys(s.db, erp_connection_id) if config.get(k))
