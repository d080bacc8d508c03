"""InProcessAgent: SuperOffice's ErpSync agent served by the embedded tenant, one transaction per call."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from syncspec.embedded.tenant import (
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
from syncspec.embedded.tenant.engine import Tenant
from syncspec.model.errors import AgentError, TargetError
from syncspec.model.metadata import CrmFieldMeta
from syncspec.targets.agent import ErpSyncAgent
from syncspec.targets.carriers import MDOListItem
from syncspec.targets.lists import ERP_FIELD_COLUMNS, ErpFieldRow
from syncspec.targets.rest.wire import WireMethod, install_agent_methods

# Each `ErpSyncAgent` method, by attribute: the embedded tenant's function that carries it
# out, called with the open `TenantCall` and the method's arguments in the wire table's order.
# SuperOffice's method name and whether the method writes come from the wire table
# (`targets/rest/wire.py`), the one description of the agent.
OPERATIONS: dict[str, Callable[..., Any]] = {
    # sync connectors
    "get_all_connectors": connectors_ops.get_all_connectors,
    "get_erp_sync_connector_entity": connectors_ops.get_connector,
    "save_erp_sync_connector_entity": connectors_ops.save_connector,
    "can_delete_erp_sync_connector_entity": connectors_ops.can_delete,
    "delete_erp_sync_connector_entity": connectors_ops.delete_connector,
    "get_configuration_fields": connectors_ops.get_configuration_fields,
    "create_default_erp_sync_connector_entity": connectors_ops.default_connector,
    "test_connector_url": connectors_ops.test_url,
    # connections
    "get_all_connections": connections.get_all_connections,
    "get_connection": connections.get_connection,
    "get_erp_connection_config_fields": connections.get_config_fields,
    "save_connection": connections.save_connection,
    "delete_connection": connections.delete_connection,
    "test_connection_by_config": connections.test_connection_by_config,
    "test_connection_by_id": connections.test_connection_by_id,
    "toggle_erp_connection_active": activation.toggle,
    "update_connection_fields": connections.update_connection_fields,
    # mappings
    "get_actor_type_mapping": mappings.get_actor_type_mapping,
    "save_actor_type_mapping": mappings.save_actor_type_mapping,
    "get_connection_list_mappings": lists.get_list_mappings,
    "save_connection_list_mappings": lists.save_list_mappings,
    "get_default_value_info": defaults.get_default,
    "save_default_value_info": defaults.save_default,
    "move_erp_field_item": ranking.move,
    "save_erp_connection_sync_priorities": priority.save_priorities,
    # what a connection has
    "get_erp_sync_connection_summary": summary.connection_summary,
    "get_crm_actor_type": summary.crm_actor_type,
    # the sync engine
    "get_engine_status": sync_engine.get_status,
    "change_engine_status": sync_engine.change_status,
    "change_engine_interval": sync_engine.change_interval,
}


class InProcessAgent:
    """Implements `syncspec.targets.agent.TenantApi` and `EmbeddedFacts` on a `Tenant`.

    The agent's methods are dispatched from the wire table through `OPERATIONS`, one
    transaction per call. A refusal raises `AgentError` (the method name is SuperOffice's);
    the tenant is then exactly as before the call. Only `toggle_erp_connection_active`
    returns its reasons instead, as SuperOffice does.
    """

    def __init__(self, tenant: Tenant) -> None:
        self.tenant = tenant

    def call(self, method: WireMethod, arguments: Mapping[str, Any]) -> Any:
        """Carry out one agent method with its arguments by Python parameter name."""
        operation = OPERATIONS[method.attribute]
        with self.tenant.call(method.name, write=method.write) as s:
            return operation(s, *(arguments[p.python] for p in method.params))

    if TYPE_CHECKING:
        # The agent's methods are installed from the wire table below the class.
        def __getattr__(self, attribute: str) -> Callable[..., Any]: ...

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


install_agent_methods(InProcessAgent, InProcessAgent.call, ErpSyncAgent)
