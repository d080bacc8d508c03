"""The domain writes: counted agent calls, dropping the cached reads they may change.

Every save of an existing object is a read-modify-write: the carrier is read fresh (never
from the cache) and only what the configuration owns is changed before it is sent back,
so whatever SuperOffice stores on the carrier and syncspec does not manage survives.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

from syncspec.model.enums import ErpActorType, ErpSyncResponseCode
from syncspec.model.errors import TargetError
from syncspec.model.live import LiveAccess, LiveDefault
from syncspec.targets.base import FieldMappingValue, ListMappingValue
from syncspec.targets.carriers import (
    ErpConnection,
    ErpConnectionListMapping,
    ErpConnectionListMappingContainer,
    ErpCrmListItemMapping,
    ErpSyncActorTypeMapping,
    ErpSyncConnectorEntity,
    ErpSyncDefaultValue,
    MDOListItem,
)
from syncspec.targets.reads import AgentReads


@runtime_checkable
class ExplainsConfigRefusal(Protocol):
    """An agent that can say why a config test failed (the embedded tenant; SuperOffice cannot)."""

    def connection_config_refusal(self, erp_connection_id: int, config_fields: Mapping[str, str]) -> str: ...


class AgentWrites:
    """Write operations of `AgentTarget`; see `syncspec.targets.base.Target` for the contract."""

    def __init__(self, reads: AgentReads) -> None:
        self._reads = reads
        self._agent = reads.agent
        agent = reads.agent
        self._explainer = agent if isinstance(agent, ExplainsConfigRefusal) else None

    # --- connectors -----------------------------------------------------------------
    def save_connector(self, name: str, url: str, existing_id: int = 0) -> ErpSyncConnectorEntity:
        """Create or update a connector the way SuperOffice documents it.

        A new entity starts from CreateDefaultErpSyncConnectorEntity ("required when
        creating/storing a new instance"); an existing one from a fresh read, so only its
        name and URL change. TestConnectorUrl must answer NoError before anything is saved.
        """
        if existing_id:
            entity = self._reads.call(
                "get_erp_sync_connector_entity", self._agent.get_erp_sync_connector_entity, existing_id
            ).model_copy()
        else:
            entity = self._reads.call(
                "create_default_erp_sync_connector_entity",
                self._agent.create_default_erp_sync_connector_entity,
            ).model_copy()
            entity.erp_connector_id = 0  # SaveErpSyncConnectorEntity creates when the id is 0
        entity.display_name, entity.url = name, url
        answer = self._reads.call("test_connector_url", self._agent.test_connector_url, url)
        if answer is not ErpSyncResponseCode.NO_ERROR:
            # The URL is not repeated: a remote connector's URL may carry credentials.
            raise TargetError(
                f"TestConnectorUrl answered {answer.value} for connector {name!r}: the connector "
                "does not answer at its URL, so it was not saved",
                hint="check the connector's URL and that the connector is running",
            )
        try:
            return self._reads.call(
                "save_erp_sync_connector_entity", self._agent.save_erp_sync_connector_entity, entity
            )
        finally:
            self._reads.forget_connectors()

    def delete_connector(self, connector_id: int) -> None:
        try:
            self._reads.call(
                "delete_erp_sync_connector_entity", self._agent.delete_erp_sync_connector_entity, connector_id
            )
        finally:
            self._reads.forget_connectors()

    # --- connections ------------------------------------------------------------------
    def test_config(self, connection_id: int, config: Mapping[str, str]) -> bool:
        return self._reads.call(
            "test_connection_by_config", self._agent.test_connection_by_config, connection_id, dict(config)
        )

    def config_refusal_reason(self, connection_id: int, config: Mapping[str, str]) -> str | None:
        explainer = self._explainer
        if explainer is None:
            return None  # TestConnectionByConfig's documented answer is a bare bool
        return explainer.connection_config_refusal(connection_id, dict(config)) or None

    def save_connection(
        self,
        *,
        name: str,
        connector_id: int,
        description: str,
        access: LiveAccess,
        config: Mapping[str, str],
        existing_id: int = 0,
    ) -> ErpConnection:
        groups, users = self._access_ids(access)
        if existing_id:
            # Read-modify-write: the GUID, the sync timestamp, Active and the connector stay
            # exactly as the tenant has them; config keys the step leaves out are kept too.
            connection = self._reads.call(
                "get_connection", self._agent.get_connection, existing_id
            ).model_copy(deep=True)
            connection.config_fields = {**connection.config_fields, **config}
        else:
            connection = ErpConnection(erp_connector_id=connector_id, config_fields=dict(config))
        connection.display_name = name
        connection.display_description = description
        connection.all_access = access.everyone
        connection.user_group_access_ids = groups
        connection.associate_access_ids = users
        try:
            saved: ErpConnection = self._reads.call(
                "save_connection", self._agent.save_connection, connection
            )
        finally:
            self._reads.forget_connection(existing_id)
        self._reads.forget_connection(saved.erp_connection_id)
        return saved

    def refresh_fields(self, connection_id: int) -> bool:
        try:
            return self._reads.call(
                "update_connection_fields", self._agent.update_connection_fields, connection_id
            )
        finally:
            self._reads.forget_connection(connection_id)

    def set_active(self, connection_id: int, active: bool) -> list[str]:
        # Read Active right now, never from the cache: ToggleErpConnectionActive flips,
        # so acting on a stale value would do the opposite of what was asked.
        current = self._reads.call("get_connection", self._agent.get_connection, connection_id)
        if current.active == active:
            return []
        try:
            reasons: list[str] = self._reads.call(
                "toggle_erp_connection_active", self._agent.toggle_erp_connection_active, connection_id
            )
        finally:
            self._reads.forget_connection(connection_id)
        return list(reasons)

    def delete_connection(self, connection_id: int) -> None:
        try:
            self._reads.call("delete_connection", self._agent.delete_connection, connection_id)
        finally:
            self._reads.forget_connection(connection_id)

    # --- mappings ---------------------------------------------------------------------
    def save_actor_mapping(
        self,
        connection_id: int,
        actor: ErpActorType,
        *,
        sync: bool,
        fields: Mapping[str, FieldMappingValue],
    ) -> ErpSyncActorTypeMapping:
        # Read-modify-write: every row keeps its ErpFieldId (an id of 0 would make SuperOffice
        # create a new ErpField row), its type, access and list reference, and the actor keeps
        # its CRM actor type; only the mapping columns of the given fields change.
        mapping = self._reads.call(
            "get_actor_type_mapping", self._agent.get_actor_type_mapping, connection_id, actor
        ).model_copy(deep=True)
        rows = {row.erp_field_key: row for row in mapping.field_mappings}
        unknown = sorted(set(fields) - set(rows))
        if unknown:
            raise TargetError(
                f"SaveActorTypeMapping: connection {connection_id} has no {actor} field(s) "
                f"{', '.join(unknown)}; nothing was saved",
                hint="ERP fields come from the connector: refresh the connection's fields, or plan again",
            )
        for key, value in fields.items():
            row = rows[key]
            row.crm_field_key = value.crm
            row.sync_to_crm, row.sync_to_erp = value.to_crm, value.to_erp
            row.show_in_search, row.show_in_gui = value.show_in_search, value.show_in_tab
        mapping.is_active = sync
        try:
            return self._reads.call("save_actor_type_mapping", self._agent.save_actor_type_mapping, mapping)
        finally:
            self._reads.forget_connection(connection_id)

    def save_list_mappings(
        self, connection_id: int, lists: Sequence[ListMappingValue]
    ) -> ErpConnectionListMappingContainer:
        container = ErpConnectionListMappingContainer(
            erp_connection_id=connection_id,
            erp_list_item_mappings=[
                ErpConnectionListMapping(
                    erp_field_id=lst.field_id,
                    erp_actor_type_name=str(lst.actor),
                    erp_crm_list_item_mappings=[
                        ErpCrmListItemMapping(
                            erp_list_item_id=key,
                            crm_list_item=MDOListItem(id=crm_id) if crm_id is not None else None,
                        )
                        for key, crm_id in lst.items.items()
                    ],
                )
                for lst in lists
            ],
        )
        try:
            return self._reads.call(
                "save_connection_list_mappings", self._agent.save_connection_list_mappings, container
            )
        finally:
            self._reads.forget_connection(connection_id)

    def save_default(self, connection_id: int, field_id: int, default: LiveDefault) -> ErpSyncDefaultValue:
        # Read-modify-write: the connector's DefaultValue, the key, type, list and access stay
        # as the tenant has them; syncspec owns only the four first-sync settings.
        value = self._reads.call(
            "get_default_value_info", self._agent.get_default_value_info, field_id
        ).model_copy()
        value.has_first_sync_default_value = default.has_value
        value.first_sync_default_value = default.value
        value.prompt_user = default.prompt
        value.mandatory = default.mandatory
        try:
            return self._reads.call("save_default_value_info", self._agent.save_default_value_info, value)
        finally:
            self._reads.forget_default(field_id)

    def move_field(self, connection_id: int, actor: ErpActorType, field_id: int, direction: int) -> None:
        if direction not in (1, -1):
            raise ValueError("a field moves one step at a time: direction is +1 or -1")
        try:
            self._reads.call(
                "move_erp_field_item",
                self._agent.move_erp_field_item,
                field_id,
                direction,
                connection_id,
                actor,
            )
        finally:
            self._reads.forget_connection(connection_id)

    def save_sync_priority(self, connection_ids: Sequence[int]) -> bool:
        try:
            return self._reads.call(
                "save_erp_connection_sync_priorities",
                self._agent.save_erp_connection_sync_priorities,
                list(connection_ids),
            )
        finally:
            self._reads.forget_priorities()

    # --- helpers ----------------------------------------------------------------------
    def _access_ids(self, access: LiveAccess) -> tuple[list[int], list[int]]:
        if access.everyone:
            return [], []
        group_ids = _ids_by_name(
            "user group", access.groups, {g.name: g.id for g in self._reads.user_groups()}
        )
        user_ids = _ids_by_name("user", access.users, {a.name: a.id for a in self._reads.associates()})
        return group_ids, user_ids


def _ids_by_name(kind: str, names: Sequence[str], known: Mapping[str, int]) -> list[int]:
    if not names:
        return []
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise TargetError(
            f"unknown {kind}(s) in connection access: {', '.join(unknown)}",
            hint=f"known: {', '.join(sorted(known)) or '(none)'}",
        )
    return sorted(known[name] for name in names)
