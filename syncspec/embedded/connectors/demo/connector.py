"""DemoConnector: the built-in `plugin://demo` ERP connector, answering like a real one.

Stored connections live in memory, per instance, keyed by the GUID the tenant minted, as
a real connector keeps its own store. A new process gets a fresh instance that knows no
GUID, answers UNKNOWN_CONNECTION_ID, and the tenant re-sends its stored config: that
recovery path is what a real connector forces on the tenant, so the demo exercises it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from syncspec.embedded.connectors.base import UNKNOWN_CONNECTION_ID, PluginResponse
from syncspec.embedded.connectors.demo.catalogue import ActorCatalogue, Catalogue, load_catalogue
from syncspec.embedded.connectors.demo.config import ConfigCheck, check_config
from syncspec.model.enums import ResponseState

UNKNOWN_ACTOR_TYPE = "UNKNOWN_ACTOR_TYPE"
UNKNOWN_LIST = "UNKNOWN_LIST"
MISSING_CONNECTION_ID = "MISSING_CONNECTION_ID"


def _guid_key(connection_id: str) -> str:
    # .NET compares GUIDs by value, so letter case and braces do not matter.
    return connection_id.strip().strip("{}").lower()


def _check_response(check: ConfigCheck, erp_name: str) -> PluginResponse:
    if not check.ok:
        return PluginResponse.error(
            "; ".join(p.message for p in check.problems),
            error_code=check.problems[0].code,
            tech_explanation=f"{erp_name} refused the connection config ({len(check.problems)} problem(s))",
        )
    settings = check.settings
    summary = (
        f"Connected to {erp_name} client {settings.client} ({settings.client_name}) as {settings.user}"
        if settings
        else f"Connected to {erp_name}"
    )
    if check.ignored_keys:
        return PluginResponse(
            state=ResponseState.WARNING,
            user_explanation=f"{summary}; ignored values for unknown config fields: "
            + ", ".join(check.ignored_keys),
        )
    return PluginResponse(user_explanation=summary)


class DemoConnector:
    """DemoERP: actors Customer, Supplier, Person, Project; lists; a login to test."""

    def __init__(self, catalogue: Catalogue | None = None) -> None:
        self._catalogue = catalogue if catalogue is not None else load_catalogue()
        self._connections: dict[str, dict[str, str]] = {}

    @property
    def catalogue(self) -> Catalogue:
        return self._catalogue

    def _unknown(self, connection_id: str) -> PluginResponse:
        return PluginResponse.error(
            f"{self._catalogue.erp_name} has no stored connection {connection_id!r}",
            error_code=UNKNOWN_CONNECTION_ID,
            tech_explanation="no config stored for this GUID: send it again with SaveConnection",
        )

    def _known(self, connection_id: str) -> bool:
        return _guid_key(connection_id) in self._connections

    def get_config_data(self) -> PluginResponse:
        return PluginResponse(field_metadata=self._catalogue.config_fields)

    def test_config_data(self, connection_info: Mapping[str, str]) -> PluginResponse:
        return _check_response(check_config(self._catalogue, connection_info), self._catalogue.erp_name)

    def save_connection(self, connection_id: str, connection_info: Mapping[str, str]) -> PluginResponse:
        key = _guid_key(connection_id)
        if not key:
            return PluginResponse.error("A connection GUID is required", error_code=MISSING_CONNECTION_ID)
        check = check_config(self._catalogue, connection_info)
        response = _check_response(check, self._catalogue.erp_name)
        if response.is_ok:
            self._connections[key] = dict(connection_info)
        return response

    def test_connection(self, connection_id: str) -> PluginResponse:
        stored = self._connections.get(_guid_key(connection_id))
        if stored is None:
            return self._unknown(connection_id)
        return self.test_config_data(stored)

    def delete_connection(self, connection_id: str) -> PluginResponse:
        if self._connections.pop(_guid_key(connection_id), None) is None:
            return self._unknown(connection_id)
        return PluginResponse(user_explanation=f"Forgot connection {connection_id}")

    def get_supported_actor_types(self, connection_id: str) -> PluginResponse:
        if not self._known(connection_id):
            return self._unknown(connection_id)
        return PluginResponse(items=tuple(self._catalogue.actor_types))

    def _actor(self, actor_type: str) -> ActorCatalogue | PluginResponse:
        actor = self._catalogue.actor_types.get(actor_type)
        if actor is None:
            supported = ", ".join(self._catalogue.actor_types)
            return PluginResponse.error(
                f"{self._catalogue.erp_name} has no actor type {actor_type!r}; it supports {supported}",
                error_code=UNKNOWN_ACTOR_TYPE,
            )
        return actor

    def get_supported_actor_type_fields(self, connection_id: str, actor_type: str) -> PluginResponse:
        if not self._known(connection_id):
            return self._unknown(connection_id)
        actor = self._actor(actor_type)
        if isinstance(actor, PluginResponse):
            return actor
        return PluginResponse(field_metadata=actor.fields)

    def get_searchable_fields(self, connection_id: str, actor_type: str) -> PluginResponse:
        if not self._known(connection_id):
            return self._unknown(connection_id)
        actor = self._actor(actor_type)
        if isinstance(actor, PluginResponse):
            return actor
        return PluginResponse(items=actor.searchable)

    def _list(self, connection_id: str, list_name: str) -> Mapping[str, str] | PluginResponse:
        # Like SuperOffice's sample connector: config lists are served before a connection exists.
        if connection_id.strip() == "" and list_name in self._catalogue.config_lists:
            return self._catalogue.lists[list_name]
        if not self._known(connection_id):
            if connection_id.strip() == "":
                return PluginResponse.error(
                    f"The list {list_name!r} needs a connection: only config lists "
                    f"({', '.join(sorted(self._catalogue.config_lists))}) are served without one",
                    error_code=MISSING_CONNECTION_ID,
                )
            return self._unknown(connection_id)
        items = self._catalogue.lists.get(list_name)
        if items is None:
            return PluginResponse.error(
                f"{self._catalogue.erp_name} has no list {list_name!r}; "
                f"it has {', '.join(sorted(self._catalogue.lists))}",
                error_code=UNKNOWN_LIST,
            )
        return items

    def get_list(self, connection_id: str, list_name: str) -> PluginResponse:
        items = self._list(connection_id, list_name)
        if isinstance(items, PluginResponse):
            return items
        return PluginResponse(list_items=dict(items))

    def get_list_items(
        self, connection_id: str, list_name: str, list_item_keys: Sequence[str]
    ) -> PluginResponse:
        items = self._list(connection_id, list_name)
        if isinstance(items, PluginResponse):
            return items
        found = {key: items[key] for key in list_item_keys if key in items}
        missing = [key for key in dict.fromkeys(list_item_keys) if key not in items]
        if missing:
            return PluginResponse(
                state=ResponseState.WARNING,
                user_explanation=f"The list {list_name!r} has no items {', '.join(missing)}",
                list_items=found,
            )
        return PluginResponse(list_items=found)
