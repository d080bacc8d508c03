"""The ErpSyncAgent protocol: SuperOffice's ErpSync agent, method for method.

Names are the snake_case of SuperOffice's (`SaveConnection` -> `save_connection`) and
parameters are the REST body's names in snake_case, so `RestAgent` can map a call to
`POST {base}/api/v1/Agents/ErpSync/<Method>` mechanically. Every method either fully
happens or not at all; a refusal raises `syncspec.model.errors.AgentError` carrying
SuperOffice's kind of message.

Every method is documented by SuperOffice (REST ErpSync agent pages). Reads the agent
lacks (ranks, defaults in bulk, sync priority, CRM fields and lists, users, groups) come
from the `ErpField` archive and MDO lists: `syncspec.targets.lists.TenantLists`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from syncspec.model.enums import CrmActorType, ErpActorType, ErpSyncResponseCode
from syncspec.targets.carriers import (
    ConnectorListItem,
    ErpConnection,
    ErpConnectionListMappingContainer,
    ErpSyncActorTypeMapping,
    ErpSyncConnectionSummary,
    ErpSyncConnectorEntity,
    ErpSyncDefaultValue,
    ErpSyncEngineStatus,
    FieldMetadata,
)
from syncspec.targets.lists import TenantLists


class ErpSyncAgent(Protocol):
    """SuperOffice's ErpSync agent, as far as configuration needs it."""

    # --- sync connectors -------------------------------------------------------------
    def get_all_connectors(self) -> list[ConnectorListItem]: ...
    def get_erp_sync_connector_entity(self, erp_sync_connector_entity_id: int) -> ErpSyncConnectorEntity: ...
    def save_erp_sync_connector_entity(self, entity: ErpSyncConnectorEntity) -> ErpSyncConnectorEntity: ...
    def can_delete_erp_sync_connector_entity(self, erp_sync_connector_id: int) -> ErpSyncResponseCode: ...
    def delete_erp_sync_connector_entity(self, erp_sync_connector_entity_id: int) -> None: ...
    def get_configuration_fields(self, erp_connector_id: int) -> list[FieldMetadata]: ...
    def create_default_erp_sync_connector_entity(self) -> ErpSyncConnectorEntity:
        """A new, unsaved entity with NetServer's defaults: the start of every connector create."""
        ...

    def test_connector_url(self, url: str) -> ErpSyncResponseCode:
        """Does a connector answer at `url`? NoError, or what is wrong."""
        ...

    # --- connections ------------------------------------------------------------------
    def get_all_connections(self, include_deleted: bool) -> list[ErpConnection]:
        """All connections, *without* config field data (as SuperOffice's REST agent)."""
        ...

    def get_connection(self, erp_connection_id: int) -> ErpConnection:
        """One connection with its config; Password-typed values come back as MASKED_VALUE."""
        ...

    def get_erp_connection_config_fields(self, erp_connection_id: int) -> dict[str, str]: ...
    def save_connection(self, connection: ErpConnection) -> ErpConnection:
        """Create (id 0) or update. Refused unless the connector accepts the config."""
        ...

    def delete_connection(self, erp_connection_id: int) -> None: ...
    def test_connection_by_config(self, erp_connection_id: int, config_fields: Mapping[str, str]) -> bool: ...
    def test_connection_by_id(self, erp_connection_id: int) -> bool: ...
    def toggle_erp_connection_active(self, erp_connection_id: int) -> list[str]:
        """Flip Active. Returns the reasons it refused; empty means it flipped."""
        ...

    def update_connection_fields(self, erp_connection_id: int) -> bool:
        """Re-discover actor types and fields from the connector."""
        ...

    # --- mappings -------------------------------------------------------------------
    def get_actor_type_mapping(
        self, erp_connection_id: int, actor_type: ErpActorType
    ) -> ErpSyncActorTypeMapping: ...
    def save_actor_type_mapping(self, mapping: ErpSyncActorTypeMapping) -> ErpSyncActorTypeMapping: ...
    def get_connection_list_mappings(self, erp_connection_id: int) -> ErpConnectionListMappingContainer: ...
    def save_connection_list_mappings(
        self, list_mapping: ErpConnectionListMappingContainer
    ) -> ErpConnectionListMappingContainer: ...
    def get_default_value_info(self, erp_field_id: int) -> ErpSyncDefaultValue: ...
    def save_default_value_info(self, erp_sync_default_value: ErpSyncDefaultValue) -> ErpSyncDefaultValue: ...
    def move_erp_field_item(
        self, erp_field_id: int, direction: int, erp_connection_id: int, erp_actor_type: ErpActorType
    ) -> None:
        """Move a field one step: direction > 0 raises its rank number, < 0 lowers it."""
        ...

    def save_erp_connection_sync_priorities(self, erp_connection_ids: Sequence[int]) -> bool: ...

    # --- what a connection has --------------------------------------------------------
    def get_erp_sync_connection_summary(self, erp_sync_connection_id: int) -> ErpSyncConnectionSummary:
        """The connection's actor types (`Actors[].ActorType`): the ones to read mappings for."""
        ...

    def get_crm_actor_type(self, erp_connection_id: int, erp_actor_type: ErpActorType) -> CrmActorType:
        """The CRM entity an ERP actor type of this connection syncs with."""
        ...

    # --- the sync engine (Sync tab: automatic sync and its interval) ------------------
    def get_engine_status(self) -> ErpSyncEngineStatus: ...
    def change_engine_status(self, run: bool) -> ErpSyncEngineStatus:
        """Switch automatic sync on (`run`) or off; answers the status after the request."""
        ...

    def change_engine_interval(self, interval: str) -> None:
        """Set the time between engine runs (a TimeSpan as text, e.g. 00:05:00)."""
        ...


class TenantApi(ErpSyncAgent, TenantLists, Protocol):
    """What a target reads and writes a tenant through: the agent plus the archive and MDO lists."""
