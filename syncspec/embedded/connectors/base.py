"""The ERP sync connector protocol: what SuperOffice's IErpConnector offers for configuration.

The tenant (NetServer's part) calls a connector; a connector never calls the tenant.
Connectors do not raise for ERP-side problems: like SuperOffice's `PluginResponseInfo`
they return a result whose `is_ok` is false and whose `user_explanation` says why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from syncspec.model.enums import FieldAccess, FieldMetadataType, ResponseState

# The error code a connector answers with when it does not know a connection GUID
# (it lost its stored config). The tenant then re-sends the stored config and retries.
UNKNOWN_CONNECTION_ID = "UNKNOWN_CONNECTION_ID"


@dataclass(frozen=True)
class FieldMetadataInfo:
    """One config field or one actor-type field, as a connector describes it."""

    field_key: str
    display_name: str
    field_type: FieldMetadataType
    access: FieldAccess = FieldAccess.NORMAL
    display_description: str = ""
    list_name: str = ""
    default_value: str = ""
    max_length: int = 0
    rank: int = 0


@dataclass(frozen=True)
class PluginResponse:
    """SuperOffice's PluginResponseInfo, plus the payload of the derived response types."""

    is_ok: bool = True
    state: ResponseState = ResponseState.OK
    user_explanation: str = ""
    tech_explanation: str = ""
    error_code: str = ""
    items: tuple[str, ...] = ()
    field_metadata: tuple[FieldMetadataInfo, ...] = ()
    list_items: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def error(
        cls, user_explanation: str, *, error_code: str = "", tech_explanation: str = ""
    ) -> PluginResponse:
        return cls(
            is_ok=False,
            state=ResponseState.ERROR,
            user_explanation=user_explanation,
            tech_explanation=tech_explanation,
            error_code=error_code,
        )


class ErpConnector(Protocol):
    """The configuration half of SuperOffice's IErpConnector.

    `connection_id` is the GUID the tenant minted for a connection: the only id a
    connector ever sees. Config dictionaries map the connector's config field keys to
    values encoded as SuperOffice's CultureDataFormatter does (strings as they are).
    A connector must answer `error_code=UNKNOWN_CONNECTION_ID` when it does not know
    a GUID; it may not raise for ERP-side problems.
    """

    def get_config_data(self) -> PluginResponse:
        """The fields a connection needs (`field_metadata`)."""
        ...

    def test_config_data(self, connection_info: Mapping[str, str]) -> PluginResponse:
        """Check a config without storing it (the GUI's "Test ERP connection")."""
        ...

    def save_connection(self, connection_id: str, connection_info: Mapping[str, str]) -> PluginResponse:
        """Store the config under the GUID (create or update)."""
        ...

    def test_connection(self, connection_id: str) -> PluginResponse:
        """Is the stored connection usable?"""
        ...

    def delete_connection(self, connection_id: str) -> PluginResponse:
        """The tenant deleted the connection; forget it."""
        ...

    def get_supported_actor_types(self, connection_id: str) -> PluginResponse:
        """ERP actor type names (`items`), a subset of Customer, Supplier, Partner, Person, Project."""
        ...

    def get_supported_actor_type_fields(self, connection_id: str, actor_type: str) -> PluginResponse:
        """The fields of one actor type (`field_metadata`)."""
        ...

    def get_searchable_fields(self, connection_id: str, actor_type: str) -> PluginResponse:
        """Field keys usable as search criteria (`items`)."""
        ...

    def get_list(self, connection_id: str, list_name: str) -> PluginResponse:
        """A whole ERP list (`list_items`: key -> display text). An empty GUID is allowed for config lists."""
        ...

    def get_list_items(
        self, connection_id: str, list_name: str, list_item_keys: Sequence[str]
    ) -> PluginResponse:
        """Some items of an ERP list (`list_items`)."""
        ...
