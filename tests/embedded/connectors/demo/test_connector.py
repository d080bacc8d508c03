from __future__ import annotations

from collections.abc import Callable

import pytest

from syncspec.embedded.connectors.base import UNKNOWN_CONNECTION_ID, ErpConnector, PluginResponse
from syncspec.embedded.connectors.demo import DemoConnector
from syncspec.embedded.connectors.demo.config import DEMO_PASSWORD
from syncspec.model.enums import FieldMetadataType, ResponseState

GUID = "3F2504E0-4F89-11D3-9A0C-0305E82C3301"
CONFIG = {
    "server": "https://erp.example.com",
    "client": "[I:1002]",
    "user": "sync",
    "password": DEMO_PASSWORD,
}
WRONG_PASSWORD = "letmein-wrong"


@pytest.fixture
def connector() -> ErpConnector:
    # Annotated with the protocol: mypy checks that DemoConnector satisfies ErpConnector.
    instance: ErpConnector = DemoConnector()
    return instance


@pytest.fixture
def connected(connector: ErpConnector) -> ErpConnector:
    assert connector.save_connection(GUID, CONFIG).is_ok
    return connector


def _assert_ok(response: PluginResponse) -> None:
    assert response.is_ok, response.user_explanation
    assert response.state is ResponseState.OK
    assert response.error_code == ""


def test_get_config_data(connector: ErpConnector) -> None:
    response = connector.get_config_data()
    _assert_ok(response)
    keys = [f.field_key for f in response.field_metadata]
    assert keys == ["intro", "server", "client", "user", "password", "language", "timeout"]
    assert {f.field_type for f in response.field_metadata} >= {
        FieldMetadataType.PASSWORD,
        FieldMetadataType.LABEL,
    }


def test_test_config_data_accepts_the_demo_login(connector: ErpConnector) -> None:
    response = connector.test_config_data(CONFIG)
    _assert_ok(response)
    assert response.user_explanation == "Connected to DemoERP client 1002 (Demo Sverige AB) as sync"


def test_test_config_data_refuses_without_echoing_the_password(connector: ErpConnector) -> None:
    response = connector.test_config_data({**CONFIG, "password": WRONG_PASSWORD, "client": "9999"})
    assert not response.is_ok
    assert response.state is ResponseState.ERROR
    assert response.user_explanation == (
        "Unknown client 9999: the ERP has clients 1001, 1002, 2001; "
        "Login failed for user 'sync': wrong password"
    )
    assert response.error_code == "UNKNOWN_CLIENT"
    assert WRONG_PASSWORD not in repr(response)


def test_test_config_data_warns_about_unknown_keys(connector: ErpConnector) -> None:
    response = connector.test_config_data({**CONFIG, "databse": "x"})
    assert response.is_ok
    assert response.state is ResponseState.WARNING
    assert "unknown config fields: databse" in response.user_explanation


def test_save_connection_validates_first(connector: ErpConnector) -> None:
    refused = connector.save_connection(GUID, {**CONFIG, "password": WRONG_PASSWORD})
    assert not refused.is_ok
    assert WRONG_PASSWORD not in repr(refused)
    # Nothing was stored: the GUID is still unknown.
    assert connector.test_connection(GUID).error_code == UNKNOWN_CONNECTION_ID
    assert not connector.save_connection("", CONFIG).is_ok


def test_save_then_update_then_delete(connected: ErpConnector) -> None:
    _assert_ok(connected.test_connection(GUID))
    # GUIDs compare by value: case and braces do not matter.
    _assert_ok(connected.test_connection("{" + GUID.lower() + "}"))
    _assert_ok(connected.save_connection(GUID, {**CONFIG, "client": "2001"}))
    assert "Demo Nederland BV" in connected.test_connection(GUID).user_explanation
    _assert_ok(connected.delete_connection(GUID))
    assert connected.test_connection(GUID).error_code == UNKNOWN_CONNECTION_ID
    assert connected.delete_connection(GUID).error_code == UNKNOWN_CONNECTION_ID


def test_stored_config_is_a_copy(connector: ErpConnector) -> None:
    info = dict(CONFIG)
    assert connector.save_connection(GUID, info).is_ok
    info["password"] = WRONG_PASSWORD
    _assert_ok(connector.test_connection(GUID))


_GUID_CALLS: dict[str, Callable[[ErpConnector, str], PluginResponse]] = {
    "test_connection": lambda c, g: c.test_connection(g),
    "delete_connection": lambda c, g: c.delete_connection(g),
    "get_supported_actor_types": lambda c, g: c.get_supported_actor_types(g),
    "get_supported_actor_type_fields": lambda c, g: c.get_supported_actor_type_fields(g, "Customer"),
    "get_searchable_fields": lambda c, g: c.get_searchable_fields(g, "Customer"),
    "get_list": lambda c, g: c.get_list(g, "currency"),
    "get_list_items": lambda c, g: c.get_list_items(g, "currency", ["NOK"]),
}


@pytest.mark.parametrize("method", list(_GUID_CALLS))
def test_unknown_guid_answers_unknown_connection_id(connected: ErpConnector, method: str) -> None:
    response = _GUID_CALLS[method](connected, "00000000-0000-0000-0000-000000000000")
    assert not response.is_ok
    assert response.error_code == UNKNOWN_CONNECTION_ID


def test_a_fresh_instance_forgets_and_recovers_when_config_is_resent(connected: ErpConnector) -> None:
    fresh: ErpConnector = DemoConnector()
    assert fresh.get_supported_actor_types(GUID).error_code == UNKNOWN_CONNECTION_ID
    # What the tenant does on UNKNOWN_CONNECTION_ID: re-send the stored config, retry.
    _assert_ok(fresh.save_connection(GUID, CONFIG))
    assert fresh.get_supported_actor_types(GUID).items == connected.get_supported_actor_types(GUID).items


def test_actor_types_and_fields(connected: ErpConnector) -> None:
    types = connected.get_supported_actor_types(GUID)
    _assert_ok(types)
    assert types.items == ("Customer", "Supplier", "Person", "Project")
    for actor_type in types.items:
        fields = connected.get_supported_actor_type_fields(GUID, actor_type)
        _assert_ok(fields)
        searchable = connected.get_searchable_fields(GUID, actor_type)
        _assert_ok(searchable)
        assert searchable.items
        assert set(searchable.items) <= {f.field_key for f in fields.field_metadata}


@pytest.mark.parametrize("actor_type", ["Partner", "Employee", "customer", ""])
def test_unsupported_actor_type_is_an_error(connected: ErpConnector, actor_type: str) -> None:
    for response in (
        connected.get_supported_actor_type_fields(GUID, actor_type),
        connected.get_searchable_fields(GUID, actor_type),
    ):
        assert not response.is_ok
        assert response.error_code == "UNKNOWN_ACTOR_TYPE"
        assert "supports Customer, Supplier, Person, Project" in response.user_explanation


def test_get_list(connected: ErpConnector) -> None:
    response = connected.get_list(GUID, "country")
    _assert_ok(response)
    assert response.list_items["NO"] == "Norway"
    unknown = connected.get_list(GUID, "colours")
    assert not unknown.is_ok
    assert unknown.error_code == "UNKNOWN_LIST"


def test_get_list_items_returns_known_and_warns_about_unknown(connected: ErpConnector) -> None:
    response = connected.get_list_items(GUID, "currency", ["NOK", "XXX", "EUR", "XXX"])
    assert response.is_ok
    assert response.state is ResponseState.WARNING
    assert dict(response.list_items) == {"NOK": "Norwegian krone", "EUR": "Euro"}
    assert response.user_explanation == "The list 'currency' has no items XXX"
    exact = connected.get_list_items(GUID, "payment_terms", ["30D"])
    _assert_ok(exact)
    assert dict(exact.list_items) == {"30D": "Net 30 days"}
    assert not connected.get_list_items(GUID, "colours", ["red"]).is_ok


def test_config_lists_are_served_without_a_connection(connector: ErpConnector) -> None:
    languages = connector.get_list("", "languages")
    _assert_ok(languages)
    assert "en" in languages.list_items
    _assert_ok(connector.get_list_items("", "languages", ["en", "nb"]))
    refused = connector.get_list("", "currency")
    assert not refused.is_ok
    assert refused.error_code != UNKNOWN_CONNECTION_ID


def test_list_fields_name_lists_the_connector_serves(connected: ErpConnector) -> None:
    for actor_type in connected.get_supported_actor_types(GUID).items:
        for field in connected.get_supported_actor_type_fields(GUID, actor_type).field_metadata:
            if field.field_type is FieldMetadataType.LIST:
                assert connected.get_list(GUID, field.list_name).list_items
