from __future__ import annotations

import pytest

from syncspec.embedded.connectors.base import ErpConnector
from syncspec.embedded.connectors.demo import DemoConnector
from syncspec.embedded.connectors.registry import BUILTIN_CONNECTORS, ConnectorNotFound, resolve_connector
from syncspec.model.errors import SyncspecError, TargetError


@pytest.mark.parametrize("url", ["plugin://demo", "PLUGIN://demo", "plugin://Demo/", " plugin://demo "])
def test_plugin_url_resolves_to_a_builtin_connector(url: str) -> None:
    connector = resolve_connector(url)
    assert isinstance(connector, DemoConnector)
    assert connector.get_config_data().is_ok


def test_each_resolution_is_a_fresh_instance_with_its_own_store() -> None:
    first, second = resolve_connector("plugin://demo"), resolve_connector("plugin://demo")
    assert first is not second
    info = {
        "server": "https://erp.example.com",
        "client": "1001",
        "user": "sync",
        "password": "demo-password",
    }
    assert first.save_connection("guid-1", info).is_ok
    assert second.test_connection("guid-1").error_code == "UNKNOWN_CONNECTION_ID"


def test_every_builtin_factory_builds_a_connector() -> None:
    assert set(BUILTIN_CONNECTORS) == {"demo"}
    for factory in BUILTIN_CONNECTORS.values():
        connector: ErpConnector = factory()
        assert connector.get_config_data().field_metadata


def test_unknown_plugin_name_says_not_found_and_lists_builtins() -> None:
    with pytest.raises(ConnectorNotFound) as caught:
        resolve_connector("plugin://visma")
    assert caught.value.message == "the connector 'visma' was not found"
    assert "plugin://demo" in caught.value.hint


@pytest.mark.parametrize(
    "url",
    [
        "https://sync:topsecret@erp.example.com/ErpConnectorWS.svc",
        "http://erp.example.com/ErpConnectorWS.svc",
        "app://0123-topsecret",
    ],
)
def test_remote_connectors_need_a_superoffice_target(url: str) -> None:
    with pytest.raises(ConnectorNotFound) as caught:
        resolve_connector(url)
    message = caught.value.message
    assert "the embedded tenant only runs built-in connectors (plugin://NAME)" in message
    assert "use a superoffice target" in message
    # A remote URL may carry credentials: it is never repeated.
    assert "topsecret" not in message + caught.value.hint


@pytest.mark.parametrize("url", ["demo", "ftp://demo", "plugin://", ""])
def test_other_urls_are_refused_clearly(url: str) -> None:
    with pytest.raises(ConnectorNotFound) as caught:
        resolve_connector(url)
    assert caught.value.message
    assert caught.value.hint == "built-in connectors: plugin://demo"


def test_connector_not_found_is_a_target_error() -> None:
    assert issubclass(ConnectorNotFound, TargetError)
    assert issubclass(ConnectorNotFound, SyncspecError)
