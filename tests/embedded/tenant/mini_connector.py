"""A small, real ERP connector for the tenant tests: its field list can change, and it can go offline.

It implements `syncspec.embedded.connectors.base.ErpConnector` honestly (configs stored per GUID,
UNKNOWN_CONNECTION_ID for GUIDs it does not know), so the tenant is tested against the
protocol rather than against a mock.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from syncspec.embedded.connectors.base import UNKNOWN_CONNECTION_ID, FieldMetadataInfo, PluginResponse
from syncspec.model.enums import FieldAccess as A
from syncspec.model.enums import FieldMetadataType as T

SECRET = "open-sesame-4711"

CONFIG = (
    FieldMetadataInfo("host", "Host", T.TEXT, A.MANDATORY),
    FieldMetadataInfo("token", "API token", T.PASSWORD, A.MANDATORY),
    FieldMetadataInfo("region", "Region", T.TEXT),
)


def customer_fields() -> list[FieldMetadataInfo]:
    return [
        FieldMetadataInfo("CUSTID", "Customer id", T.INTEGER, A.READ_ONLY),
        FieldMetadataInfo("NAME", "Name", T.TEXT, A.MANDATORY, max_length=40),
        FieldMetadataInfo("email", "E-mail", T.TEXT),
        FieldMetadataInfo("GRADE", "Grade", T.LIST, list_name="grade"),
        FieldMetadataInfo("BLOCKED", "Blocked", T.CHECKBOX),
        FieldMetadataInfo("LIMIT", "Credit limit", T.DOUBLE),
        FieldMetadataInfo("SINCE", "Customer since", T.DATETIME),
        FieldMetadataInfo("NOTE", "Note", T.TEXT, max_length=10),
    ]


def project_fields() -> list[FieldMetadataInfo]:
    return [
        FieldMetadataInfo("NAME", "Project name", T.TEXT, A.MANDATORY),
        FieldMetadataInfo("NUMBER", "Project number", T.TEXT),
        FieldMetadataInfo("ENDDATE", "End date", T.DATETIME),
    ]


class MiniConnector:
    def __init__(self) -> None:
        self.fields: dict[str, list[FieldMetadataInfo]] = {
            "Customer": customer_fields(),
            "Project": project_fields(),
        }
        self.lists: dict[str, dict[str, str]] = {"grade": {"A": "Gold", "B": "Silver", "C": "Bronze"}}
        self.stored: dict[str, dict[str, str]] = {}
        self.online = True
        self.deleted: list[str] = []
        self.saves = 0

    def _check(self, info: Mapping[str, str]) -> PluginResponse:
        if not self.online:
            return PluginResponse.error("The ERP server does not answer")
        if info.get("token") != SECRET:
            return PluginResponse.error("Login failed: the API token was rejected")
        return PluginResponse()

    def _known(self, guid: str) -> PluginResponse | None:
        if guid not in self.stored:
            return PluginResponse.error("Unknown connection", error_code=UNKNOWN_CONNECTION_ID)
        return None

    def get_config_data(self) -> PluginResponse:
        return PluginResponse(field_metadata=CONFIG)

    def test_config_data(self, connection_info: Mapping[str, str]) -> PluginResponse:
        return self._check(connection_info)

    def save_connection(self, connection_id: str, connection_info: Mapping[str, str]) -> PluginResponse:
        self.saves += 1
        self.stored[connection_id] = dict(connection_info)
        return PluginResponse()

    def test_connection(self, connection_id: str) -> PluginResponse:
        return self._known(connection_id) or self._check(self.stored[connection_id])

    def delete_connection(self, connection_id: str) -> PluginResponse:
        self.deleted.append(connection_id)
        self.stored.pop(connection_id, None)
        return PluginResponse()

    def get_supported_actor_types(self, connection_id: str) -> PluginResponse:
        return self._known(connection_id) or PluginResponse(items=tuple(self.fields))

    def get_supported_actor_type_fields(self, connection_id: str, actor_type: str) -> PluginResponse:
        return self._known(connection_id) or PluginResponse(field_metadata=tuple(self.fields[actor_type]))

    def get_searchable_fields(self, connection_id: str, actor_type: str) -> PluginResponse:
        return self._known(connection_id) or PluginResponse(items=("NAME",))

    def get_list(self, connection_id: str, list_name: str) -> PluginResponse:
        if list_name not in self.lists:
            return PluginResponse.error(f"No list {list_name}")
        return self._known(connection_id) or PluginResponse(list_items=dict(self.lists[list_name]))

    def get_list_items(
        self, connection_id: str, list_name: str, list_item_keys: Sequence[str]
    ) -> PluginResponse:
        whole = self.get_list(connection_id, list_name)
        if not whole.is_ok:
            return whole
        return PluginResponse(list_items={k: v for k, v in whole.list_items.items() if k in list_item_keys})
