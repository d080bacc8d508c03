"""RestAgent against answers shaped as SuperOffice documents them (httpx.MockTransport).

The Agents WebAPI page: "The agents do not return HTTP errors - a failed call will return
NULL instead"; an invalid request gets 200 or 400 with {"Message", "MessageDetail"}.
Each of these must stop the call with an error that names the method, the object and
SuperOffice's message, and none may parse as an empty carrier.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from syncspec.model.enums import ErpActorType, FieldMetadataType
from syncspec.model.errors import AgentError, TargetError
from syncspec.targets.carriers import ErpSyncConnectorEntity
from syncspec.targets.rest.agent import RestAgent
from tests.differential.helpers import fast_policy

BASE = "http://127.0.0.1:9"
INVALID = {
    "Message": "The request is invalid.",
    "MessageDetail": "The parameters dictionary contains a null entry for parameter "
    "'erpSyncConnectorEntityId'",
}

Handler = Callable[[httpx.Request], httpx.Response]


def agent(handler: Handler, attempts: int = 4) -> RestAgent:
    return RestAgent(BASE, transport=httpx.MockTransport(handler), retries=fast_policy(attempts=attempts))


def answering(status: int, body: Any, seen: list[httpx.Request] | None = None) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        return httpx.Response(
            status, content=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
        )

    return handler


@pytest.mark.parametrize(
    ("status", "body"),
    [(200, None), (200, INVALID), (400, INVALID)],
    ids=["200-null", "200-error-object", "400-error-object"],
)
def test_a_documented_failure_is_a_refusal_naming_method_object_and_message(status: int, body: Any) -> None:
    seen: list[httpx.Request] = []
    with agent(answering(status, body, seen)) as rest, pytest.raises(AgentError) as info:
        rest.get_erp_sync_connector_entity(5)
    text = info.value.message
    assert text.startswith("GetErpSyncConnectorEntity(erpSyncConnectorEntityId=5): ")
    if body is None:
        assert "null" in text
    else:
        assert "The request is invalid." in text and "null entry for parameter" in text
    assert len(seen) == 1  # a documented refusal is never retried


@pytest.mark.parametrize("body", [None, INVALID, {}], ids=["null", "error-object", "empty-object"])
def test_no_failure_passes_as_an_empty_carrier(body: Any) -> None:
    for call in (
        lambda rest: rest.get_connection(5),
        lambda rest: rest.get_default_value_info(9),
        lambda rest: rest.get_actor_type_mapping(5, ErpActorType.CUSTOMER),
        lambda rest: rest.get_connection_list_mappings(5),
        lambda rest: rest.get_all_connections(False),
        lambda rest: rest.test_connection_by_id(5),
    ):
        with agent(answering(200, body)) as rest, pytest.raises(TargetError):
            call(rest)


def test_an_error_object_from_a_void_method_still_refuses() -> None:
    refusing = answering(200, {"Message": "Field not found"})

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":  # the rank read before the move: the field is there
            row = {"Id": 9, "ConnectionId": 2, "ActorTypeErp": "Customer", "ErpFieldKey": "F9", "Rank": 1}
            return httpx.Response(200, json={"odata.metadata": "", "odata.nextLink": "", "value": [row]})
        return refusing(request)

    with agent(handler) as rest, pytest.raises(AgentError) as info:
        rest.move_erp_field_item(9, 1, 2, ErpActorType.CUSTOMER)
    assert (
        "MoveErpFieldItem(ErpFieldId=9, Direction=1, ErpConnectionId=2, ErpActorType=Customer)"
        in info.value.message
    )


def test_server_faults_are_retried_and_refusals_are_not() -> None:
    answers = iter([(503, {"Message": "busy"}), (500, None), (200, [{"Id": 1, "Name": "demo"}])])
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        status, body = next(answers)
        return httpx.Response(status, json=body)

    with agent(handler) as rest:
        assert [c.name for c in rest.get_all_connectors()] == ["demo"]
    assert calls == 3


def test_the_tenants_message_is_scrubbed_of_secrets() -> None:
    leaky = {"Message": "login failed for tok-secret-9", "MessageDetail": "tok-secret-9"}
    handler = answering(200, leaky)
    with (
        RestAgent(BASE, token="tok-secret-9", transport=httpx.MockTransport(handler)) as rest,
        pytest.raises(AgentError) as info,
    ):
        rest.get_connection(1)
    assert "tok-secret-9" not in info.value.message + info.value.detail


@pytest.mark.parametrize(
    ("credentials", "echoed"),
    [
        ({"token": "tok-secret-9"}, base64.b64encode(b"tok-secret-9").decode()),
        ({"token": "tok-secret-9"}, base64.urlsafe_b64encode(b"tok-secret-9").decode().rstrip("=")),
        ({"basic": ("sync-user", "pw-secret-7")}, base64.b64encode(b"sync-user:pw-secret-7").decode()),
        ({"basic": ("sync-user", "pw-secret-7")}, base64.b64encode(b"pw-secret-7").decode()),
    ],
    ids=["token-base64", "token-urlsafe-unpadded", "basic-header", "password-base64"],
)
def test_the_base64_form_of_a_secret_is_scrubbed_too(credentials: dict[str, Any], echoed: str) -> None:
    leaky = {"Message": f"bad credentials {echoed}", "MessageDetail": f"Authorization: Basic {echoed}"}
    handler = answering(200, leaky)
    with (
        RestAgent(BASE, transport=httpx.MockTransport(handler), **credentials) as rest,
        pytest.raises(AgentError) as info,
    ):
        rest.get_connection(1)
    text = info.value.message + info.value.detail
    assert echoed not in text
    assert "bad credentials ********" in text  # the message itself still arrives


def test_the_connector_entity_travels_as_the_methods_pages_show() -> None:
    seen: list[httpx.Request] = []
    entity = {"ErpConnectorId": 3, "DisplayName": "demo", "URL": "plugin://demo", "Deleted": False}

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("DeleteErpSyncConnectorEntity"):
            return httpx.Response(204)
        return httpx.Response(200, json=entity)

    with agent(handler) as rest:
        rest.get_erp_sync_connector_entity(3)
        rest.save_erp_sync_connector_entity(ErpSyncConnectorEntity(erp_connector_id=3, display_name="demo"))
        rest.delete_erp_sync_connector_entity(3)
    get, save, delete = seen
    assert get.url.params == httpx.QueryParams({"erpSyncConnectorEntityId": "3"}) and get.content == b""
    assert json.loads(save.content) == {
        "ErpConnectorId": 3,
        "DisplayName": "demo",
        "URL": "",
        "Deleted": False,
    }
    assert delete.url.params == httpx.QueryParams({"ErpSyncConnectorEntityId": "3"}) and delete.content == b""


def test_nulls_in_carriers_read_as_not_given_and_date_fields_read() -> None:
    connection = {
        "ErpConnectionId": 4,
        "ErpConnectorId": 1,
        "DisplayName": "visma",
        "DisplayDescription": None,
        "Active": False,
        "ConnectionId": "guid",
        "MostRecentTimestamp": None,
        "ConfigFields": None,  # "without config field data"
        "Deleted": False,
        "AllAccess": True,
        "UserGroupAccessIds": None,
        "AssociateAccessIds": None,
        "TableRight": None,
        "FieldProperties": None,
    }
    with agent(answering(200, [connection])) as rest:
        [read] = rest.get_all_connections(False)
    assert (read.display_description, read.most_recent_timestamp, read.config_fields) == ("", "", {})
    default = {
        "ErpFieldId": 7,
        "DefaultValue": None,
        "ErpFieldKey": "SINCE",
        "FieldType": "Date",
        "ListName": None,
    }
    with agent(answering(200, default)) as rest:
        value = rest.get_default_value_info(7)
    assert value.field_type is FieldMetadataType.DATE and value.default_value == "" and value.list_name == ""


def test_an_unknown_enum_value_stops_the_read_clearly() -> None:
    # The WebApi client would read an unknown enum value as NULL; syncspec refuses instead,
    # since a read-modify-write would then send back something else (docs/rest.md).
    meta = [{"FieldKey": "since", "FieldType": "Hologram"}]
    with (
        agent(answering(200, meta)) as rest,
        pytest.raises(TargetError, match=r"GetConfigurationFields.*FieldType"),
    ):
        rest.get_configuration_fields(1)


def test_deep_or_unreadable_json_is_a_target_error_not_a_crash() -> None:
    deep = b"[" * 100_000 + b"]" * 100_000

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=deep)

    with agent(handler) as rest, pytest.raises(TargetError, match="nests deeper"):
        rest.get_all_connectors()

    def huge_number(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b'[{"Id": ' + b"9" * 5000 + b', "Name": "x"}]')

    with agent(huge_number) as rest, pytest.raises(TargetError, match="cannot use"):
        rest.get_all_connectors()
