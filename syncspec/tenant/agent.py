"""InProcessAgent: SuperOffice's ErpSync agent served by the embedded tenant, one transaction per call."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from syncspec.model.enums import CrmActorType, ErpActorType, ErpSyncResponseCode
from syncspec.model.errors import AgentError, TargetError
from syncspec.model.metadata import CrmFieldMeta
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
    MDOListItem,
)
from syncspec.targets.lists import ERP_FIELD_COLUMNS, ErpFieldRow
from syncspec.tenant import (
    activation,
    archive,
    connections,
    connectors_ops,
    crm,
    defaults,
    lists,
    mappings,
    mdo_lists,
    priority,
    ranking,
    summary,
    sync_engine,
)
from syncspec.tenant.engine import Tenant


class InProcessAgent:
    """Implements `syncspec.targets.agent.TenantApi` and `EmbeddedFacts` on a `Tenant`.

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

    def create_default_erp_sync_connector_entity(self) -> ErpSyncConnectorEntity:
        with self.tenant.call("CreateDefaultErpSyncConnectorEntity", write=False) as s:
            return connectors_ops.default_connector(s)

    def test_connector_url(self, url: str) -> ErpSyncResponseCode:
        with self.tenant.call("TestConnectorUrl", write=False) as s:
            return connectors_ops.test_url(s, url)

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

    # --- what a connection has --------------------------------------------------------
    def get_erp_sync_connection_summary(self, erp_sync_connection_id: int) -> ErpSyncConnectionSummary:
        with self.tenant.call("GetErpSyncConnectionSummary", write=False) as s:
            return summary.connection_summary(s, erp_sync_connection_id)

    def get_crm_actor_type(self, erp_connection_id: int, erp_actor_type: ErpActorType) -> CrmActorType:
        with self.tenant.call("GetCrmActorType", write=False) as s:
            return summary.crm_actor_type(s, erp_connection_id, erp_actor_type)

    # --- the ErpField archive and MDO lists (syncspec.targets.lists.TenantLists) --------
    def get_erp_field_rows(self, erp_connection_id: int) -> list[ErpFieldRow]:
        rows: list[ErpFieldRow] = []
        with self.tenant.call("Archive.ErpField", write=False) as s:
            while True:  # the same pages the REST endpoint serves, in one transaction
                query = archive.ArchiveQuery(
                    select=ERP_FIELD_COLUMNS, where=(("ConnectionId", erp_connection_id),), skip=len(rows)
                )
                page = archive.erp_field_rows(s, query)
                rows.extend(ErpFieldRow.model_validate(r) for r in page)
                if len(page) < query.top:
                    return rows

    # MDO lists are not ErpSync methods: only `erpconnections` needs the ERP sync licence.
    def get_mdo_list(self, list_name: str, additional: str = "") -> list[MDOListItem]:
        try:
            with self.tenant.call(f"MDOList.{list_name}", write=False, licensed=False) as s:
                return mdo_lists.mdo_list(s, list_name, additional)
        except mdo_lists.UnknownList:
            raise TargetError(f"the tenant has no MDO list {list_name!r}") from None

    # --- what only the embedded tenant knows (syncspec.targets.lists.EmbeddedFacts) -----
    def crm_field_catalogue(self) -> list[CrmFieldMeta]:
        with self.tenant.call("CrmCatalogue", write=False, licensed=False) as s:
            return crm.crm_field_catalogue(s)

    def connector_list(self, erp_connection_id: int, list_name: str) -> Mapping[str, str] | None:
        try:
            with self.tenant.call("ConnectorList", write=False) as s:
                return crm.connector_list(s, erp_connection_id, list_name)
        except AgentError:
            return None  # the connector cannot list it: unknown, as over REST

    def connection_config_refusal(self, erp_connection_id: int, config_fields: Mapping[str, str]) -> str:
        """Why TestConnectionByConfig answers no ("" for yes): the connector's own explanation.

        SuperOffice's answer is a bare bool; the embedded tenant can also say why.
        """
        with self.tenant.call("TestConnectionByConfig", write=False) as s:
            return connections.config_refusal(s, erp_connection_id, config_fields)

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
