"""InProcessAgent: SuperOffice's ErpSync agent served by the embedded tenant, one transaction per call."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from syncspec.model.enums import ErpActorType, ErpSyncResponseCode
from syncspec.targets.carriers import (
    ConnectorListItem,
    CrmField,
    CrmList,
    ErpConnection,
    ErpConnectionListMappingContainer,
    ErpFieldRank,
    ErpListItem,
    ErpSyncActorTypeMapping,
    ErpSyncConnectorEntity,
    ErpSyncDefaultValue,
    ErpSyncEngineStatus,
    FieldMetadata,
    MDOListItem,
)
from syncspec.tenant import (
    activation,
    connections,
    connectors_ops,
    crm,
    defaults,
    lists,
    mappings,
    priority,
    ranking,
    sync_engine,
)
from syncspec.tenant.engine import Tenant


class InProcessAgent:
    """Implements `syncspec.targets.agent.ErpSyncAgent` on a `Tenant`.

    A refusal raises `AgentError` (the method name is SuperOffice's); the tenant is
    then exactly as before the call. Only `toggle_erp_connection_active` returns its
    reasons instead, as SuperOffice does.
    """

    def __init__(self, tenant: Tenant) -> None:
        self.tenant = tenant

    # --- sync connectors -------------------------------------------------------------
    def get_all_connectors(self) -> list[ConnectorListItem]:
        with self.tenant.call("GetAllConnectors", write=False) as s:
            return connectors_ops.get_all_connectors(s)

    def get_erp_sync_connector_entity(self, erp_sync_connector_entity_id: int) -> ErpSyncConnectorEntity:
        with self.tenant.call("GetErpSyncConnectorEntity", write=False) as s:
            return connectors_ops.get_connector(s, erp_sync_connector_entity_id)

    def save_erp_sync_connector_entity(self, entity: ErpSyncConnectorEntity) -> ErpSyncConnectorEntity:
        with self.tenant.call("SaveErpSyncConnectorEntity", write=True) as s:
            return connectors_ops.save_connector(s, entity)

    def can_delete_erp_sync_connector_entity(self, erp_sync_connector_id: int) -> ErpSyncResponseCode:
        with self.tenant.call("CanDeleteErpSyncConnectorEntity", write=False) as s:
            return connectors_ops.can_delete(s, erp_sync_connector_id)

    def delete_erp_sync_connector_entity(self, erp_sync_connector_entity_id: int) -> None:
        with self.tenant.call("DeleteErpSyncConnectorEntity", write=True) as s:
            connectors_ops.delete_connector(s, erp_sync_connector_entity_id)

    def get_configuration_fields(self, erp_connector_id: int) -> list[FieldMetadata]:
        with self.tenant.call("GetConfigurationFields", write=False) as s:
            return connectors_ops.get_configuration_fields(s, erp_connector_id)

    # --- connections ------------------------------------------------------------------
    def get_all_connections(self, include_deleted: bool) -> list[ErpConnection]:
        with self.tenant.call("GetAllConnections", write=False) as s:
            return connections.get_all_connections(s, include_deleted)

    def get_connection(self, erp_connection_id: int) -> ErpConnection:
        with self.tenant.call("GetConnection", write=False) as s:
            return connections.get_connection(s, erp_connection_id)

    def get_erp_connection_config_fields(self, erp_connection_id: int) -> dict[str, str]:
        with self.tenant.call("GetErpConnectionConfigFields", write=False) as s:
            return connections.get_config_fields(s, erp_connection_id)

    def save_connection(self, connection: ErpConnection) -> ErpConnection:
        with self.tenant.call("SaveConnection", write=True) as s:
            return connections.save_connection(s, connection)

    def delete_connection(self, erp_connection_id: int) -> None:
        with self.tenant.call("DeleteConnection", write=True) as s:
            connections.delete_connection(s, erp_connection_id)

    def test_connection_by_config(self, erp_connection_id: int, config_fields: Mapping[str, str]) -> bool:
        with self.tenant.call("TestConnectionByConfig", write=False) as s:
            return connections.test_connection_by_config(s, erp_connection_id, config_fields)

    def test_connection_by_id(self, erp_connection_id: int) -> bool:
        with self.tenant.call("TestConnectionById", write=False) as s:
            return connections.test_connection_by_id(s, erp_connection_id)

    def toggle_erp_connection_active(self, erp_connection_id: int) -> list[str]:
        with self.tenant.call("ToggleErpConnectionActive", write=True) as s:
            return activation.toggle(s, erp_connection_id)

    def update_connection_fields(self, erp_connection_id: int) -> bool:
        with self.tenant.call("UpdateConnectionFields", write=True) as s:
            return connections.update_connection_fields(s, erp_connection_id)

    # --- mappings -------------------------------------------------------------------
    def get_actor_type_mapping(
        self, erp_connection_id: int, actor_type: ErpActorType
    ) -> ErpSyncActorTypeMapping:
        with self.tenant.call("GetActorTypeMapping", write=False) as s:
            return mappings.get_actor_type_mapping(s, erp_connection_id, actor_type)

    def save_actor_type_mapping(self, mapping: ErpSyncActorTypeMapping) -> ErpSyncActorTypeMapping:
        with self.tenant.call("SaveActorTypeMapping", write=True) as s:
            return mappings.save_actor_type_mapping(s, mapping)

    def get_connection_list_mappings(self, erp_connection_id: int) -> ErpConnectionListMappingContainer:
        with self.tenant.call("GetConnectionListMappings", write=False) as s:
            return lists.get_list_mappings(s, erp_connection_id)

    def save_connection_list_mappings(
        self, list_mapping: ErpConnectionListMappingContainer
    ) -> ErpConnectionListMappingContainer:
        with self.tenant.call("SaveConnectionListMappings", write=True) as s:
            return lists.save_list_mappings(s, list_mapping)

    def get_default_value_info(self, erp_field_id: int) -> ErpSyncDefaultValue:
        with self.tenant.call("GetDefaultValueInfo", write=False) as s:
            return defaults.get_default(s, erp_field_id)

    def save_default_value_info(self, erp_sync_default_value: ErpSyncDefaultValue) -> ErpSyncDefaultValue:
        with self.tenant.call("SaveDefaultValueInfo", write=True) as s:
            return defaults.save_default(s, erp_sync_default_value)

    def move_erp_field_item(
        self, erp_field_id: int, direction: int, erp_connection_id: int, erp_actor_type: ErpActorType
    ) -> None:
        with self.tenant.call("MoveErpFieldItem", write=True) as s:
            ranking.move(s, erp_field_id, direction, erp_connection_id, erp_actor_type)

    def save_erp_connection_sync_priorities(self, erp_connection_ids: Sequence[int]) -> bool:
        with self.tenant.call("SaveErpConnectionSyncPriorities", write=True) as s:
            return priority.save_priorities(s, erp_connection_ids)

    # --- extensions -------------------------------------------------------------------
    def get_erp_connection_sync_priorities(self) -> list[int]:
        with self.tenant.call("GetErpConnectionSyncPriorities", write=False) as s:
            return priority.get_priorities(s)

    def get_erp_field_ranks(self, erp_connection_id: int, erp_actor_type: ErpActorType) -> list[ErpFieldRank]:
        with self.tenant.call("GetErpFieldRanks", write=False) as s:
            return ranking.get_ranks(s, erp_connection_id, erp_actor_type)

    def get_erp_list_items(self, erp_connection_id: int, list_name: str) -> list[ErpListItem]:
        with self.tenant.call("GetErpListItems", write=False) as s:
            return crm.get_erp_list_items(s, erp_connection_id, list_name)

    # CRM reads are MDO lists, not ErpSync methods: they need no ERP sync licence.
    def get_crm_fields(self) -> list[CrmField]:
        with self.tenant.call("GetCrmFields", write=False, licensed=False) as s:
            return crm.get_crm_fields(s)

    def get_crm_lists(self) -> list[CrmList]:
        with self.tenant.call("GetCrmLists", write=False, licensed=False) as s:
            return crm.get_crm_lists(s)

    def get_associates(self) -> list[MDOListItem]:
        with self.tenant.call("GetAssociates", write=False, licensed=False) as s:
            return crm.get_associates(s)

    def get_user_groups(self) -> list[MDOListItem]:
        with self.tenant.call("GetUserGroups", write=False, licensed=False) as s:
            return crm.get_user_groups(s)

    # --- the sync engine --------------------------------------------------------------
    def get_engine_status(self) -> ErpSyncEngineStatus:
        with self.tenant.call("GetEngineStatus", write=False) as s:
            return sync_engine.get_status(s)

    def change_engine_status(self, run: bool) -> ErpSyncEngineStatus:
        with self.tenant.call("ChangeEngineStatus", write=True) as s:
            return sync_engine.change_status(s, run)

    def change_engine_interval(self, interval: str) -> None:
        with self.tenant.call("ChangeEngineInterval", write=True) as s:
            sync_engine.change_interval(s, interval)
