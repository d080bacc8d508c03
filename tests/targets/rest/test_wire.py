"""The wire format: PascalCase JSON for every carrier, one table entry per agent method."""

from __future__ import annotations

import inspect
import json
import re
from typing import Any

import pytest
from pydantic import BaseModel

from syncspec.model.enums import CrmActorType, ErpActorType, FieldAccess, FieldMetadataType
from syncspec.model.errors import AgentError, TargetError
from syncspec.targets import carriers as c
from syncspec.targets.agent import ErpSyncAgent
from syncspec.targets.lists import ErpFieldRow
from syncspec.targets.rest.wire import (
    BY_ATTRIBUTE,
    BY_NAME,
    MAX_JSON_DEPTH,
    METHODS,
    BadJson,
    BadRequest,
    agent_error_body,
    decode_request,
    decode_result,
    encode_request,
    error_object,
    load_json,
)

ITEM = c.MDOListItem(id=7, name="Key account", tool_tip="tip", rank=2, child_items=[c.MDOListItem(id=8)])

SAMPLES: list[BaseModel] = [
    c.ConnectorListItem(id=1, name="demo", tool_tip="plugin://demo"),
    c.ErpSyncConnectorEntity(erp_connector_id=3, display_name="demo", URL="plugin://demo", deleted=True),
    c.FieldMetadata(
        field_key="password",
        rank=4,
        display_name="Password",
        field_type=FieldMetadataType.PASSWORD,
        access=FieldAccess.MANDATORY,
        max_length=100,
        show_in_search=True,
    ),
    c.ErpConnection(
        erp_connection_id=2,
        erp_connector_id=3,
        display_name="visma",
        active=True,
        connection_id="guid",
        config_fields={"server": "https://erp", "password": c.MASKED_VALUE},
        all_access=False,
        user_group_access_ids=[1, 2],
        associate_access_ids=[5],
    ),
    c.ErpSyncActorTypeMapping(
        erp_connection_id=2,
        is_active=True,
        actor_type_erp=ErpActorType.SUPPLIER,
        actor_type_crm=CrmActorType.CONTACT,
        field_mappings=[
            c.ErpSyncFieldMapping(
                erp_field_id=9,
                erp_field_key="NAME",
                crm_field_key="contact.name",
                sync_to_crm=True,
                sync_to_erp=True,
                field_type=FieldMetadataType.LIST,
                already_mapped=True,
                missing_in_erp=True,
                missing_in_crm=True,
            )
        ],
    ),
    c.ErpConnectionListMappingContainer(
        erp_connection_id=2,
        erp_connection_name="visma",
        erp_list_item_mappings=[
            c.ErpConnectionListMapping(
                erp_field_id=9,
                erp_actor_type_name="Customer",
                erp_list_name="customer_category",
                crm_list=ITEM,
                erp_crm_list_item_mappings=[
                    c.ErpCrmListItemMapping(erp_list_item_id="A", erp_list_item_name="A", crm_list_item=ITEM),
                    c.ErpCrmListItemMapping(erp_list_item_id="X", crm_list_item=None),
                ],
            )
        ],
    ),
    c.ErpSyncDefaultValue(
        erp_field_id=9,
        has_first_sync_default_value=True,
        first_sync_default_value="[I:30]",
        prompt_user=True,
        mandatory=True,
        field_type=FieldMetadataType.INTEGER,
    ),
    c.ErpSyncConnectionSummary(
        display_name="visma",
        active=True,
        actors=[c.ErpSyncActorSummary(actor_type=ErpActorType.CUSTOMER, has_mappings=True)],
    ),
    ErpFieldRow(id=9, connection_id=2, actor_type_erp=ErpActorType.CUSTOMER, erp_field_key="NAME", rank=1),
]

PASCAL = re.compile(r"^[A-Z][A-Za-z0-9]*$")


def keys_everywhere(data: Any) -> list[str]:
    if isinstance(data, dict):
        return [k for k in data] + [k for v in data.values() for k in keys_everywhere(v)]
    if isinstance(data, list):
        return [k for v in data for k in keys_everywhere(v)]
    return []


@pytest.mark.parametrize("carrier", SAMPLES, ids=lambda s: type(s).__name__)
def test_every_carrier_round_trips_through_pascal_case_json(carrier: BaseModel) -> None:
    data = carrier.model_dump(by_alias=True, mode="json")
    # config dictionaries hold connector keys, not property names
    keys = keys_everywhere({k: v for k, v in data.items() if k != "ConfigFields"})
    assert keys and all(PASCAL.match(k) for k in keys), keys
    assert type(carrier).model_validate(data) == carrier


def test_enums_travel_as_their_superoffice_names() -> None:
    data = SAMPLES[4].model_dump(by_alias=True, mode="json")
    assert data["ActorTypeErp"] == "Supplier"
    assert data["ActorTypeCrm"] == "Contact"
    assert data["FieldMappings"][0]["FieldType"] == "List"
    assert data["FieldMappings"][0]["MissingInERP"] is True
    assert SAMPLES[1].model_dump(by_alias=True)["URL"] == "plugin://demo"


def test_the_table_covers_every_agent_method_with_its_parameters() -> None:
    protocol = {
        name: fn
        for name, fn in inspect.getmembers(ErpSyncAgent, inspect.isfunction)
        if not name.startswith("_")
    }
    assert set(protocol) == set(BY_ATTRIBUTE)
    for name, fn in protocol.items():
        params = [p for p in inspect.signature(fn).parameters if p != "self"]
        assert [p.python for p in BY_ATTRIBUTE[name].params] == params, name
    assert len(BY_NAME) == len(METHODS)
    for method in METHODS:
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", method.name).lower()
        assert snake == method.attribute
        for p in method.params:
            assert re.sub(r"(?<!^)(?=[A-Z])", "_", p.wire).lower() == p.python


def _raw(body: Any) -> bytes:
    return json.dumps(body).encode() if body is not None else b""


def test_bodies_use_the_documented_names() -> None:
    move = BY_NAME["MoveErpFieldItem"]
    request = encode_request(
        move,
        {"erp_field_id": 9, "direction": -1, "erp_connection_id": 2, "erp_actor_type": ErpActorType.CUSTOMER},
    )
    assert request.body == {
        "ErpFieldId": 9,
        "Direction": -1,
        "ErpConnectionId": 2,
        "ErpActorType": "Customer",
    }
    assert request.query == {}
    save = BY_NAME["SaveConnection"]
    request = encode_request(save, {"connection": SAMPLES[3]})
    assert list(request.body) == ["Connection"] and request.body["Connection"]["DisplayName"] == "visma"
    assert decode_request(save, {}, _raw(request.body)) == {"connection": SAMPLES[3]}


def test_the_connector_entity_is_the_whole_body_of_its_save() -> None:
    # The method page's sample request: the body is the entity itself, not {"Entity": ...}.
    save = BY_NAME["SaveErpSyncConnectorEntity"]
    request = encode_request(save, {"entity": SAMPLES[1]})
    assert request.body == {
        "ErpConnectorId": 3,
        "DisplayName": "demo",
        "URL": "plugin://demo",
        "Deleted": True,
    }
    assert request.query == {} and request.subject == "ErpConnectorId=3"
    assert decode_request(save, {}, _raw(request.body)) == {"entity": SAMPLES[1]}


def test_the_old_wrapped_entity_is_refused_as_missing_its_id() -> None:
    wrapped = {"Entity": SAMPLES[1].model_dump(by_alias=True, mode="json")}
    with pytest.raises(BadRequest, match="ErpConnectorId") as info:
        decode_request(BY_NAME["SaveErpSyncConnectorEntity"], {}, _raw(wrapped))
    assert info.value.missing


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("GetErpSyncConnectorEntity", "erpSyncConnectorEntityId"),
        ("DeleteErpSyncConnectorEntity", "ErpSyncConnectorEntityId"),
    ],
)
def test_connector_entity_ids_travel_in_the_query_string_as_documented(name: str, key: str) -> None:
    method = BY_NAME[name]
    request = encode_request(method, {"erp_sync_connector_entity_id": 794})
    assert request.query == {key: "794"} and request.body is None
    assert decode_request(method, {key: "794"}, b"") == {"erp_sync_connector_entity_id": 794}
    # The old form (the id in the body) lacks the parameter, as SuperOffice would read it.
    with pytest.raises(BadRequest, match=f"null entry for parameter '{key}'") as info:
        decode_request(method, {}, _raw({"ErpSyncConnectorEntityId": 794}))
    assert info.value.missing
    # Spelled otherwise than the page spells it: missing too (the least forgiving reading).
    other = key[0].swapcase() + key[1:]
    with pytest.raises(BadRequest):
        decode_request(method, {other: "794"}, b"")
    with pytest.raises(BadRequest, match="not valid") as bad:
        decode_request(method, {key: "glops"}, b"")
    assert not bad.value.missing


def test_methods_without_parameters_send_no_body() -> None:
    request = encode_request(BY_NAME["GetAllConnectors"], {})
    assert request.body is None and request.query == {}
    assert decode_request(BY_NAME["GetAllConnectors"], {}, b"") == {}


@pytest.mark.parametrize(
    ("body", "needle", "missing"),
    [
        ([], "must be a JSON object", False),
        ({}, "null entry for parameter 'ErpConnectionId'", True),
        ({"ErpConnectionId": None}, "null entry for parameter 'ErpConnectionId'", True),
        ({"ErpConnectionId": "seven"}, "parameter 'ErpConnectionId' is not valid", False),
        ({"ErpConnectionId": 2**31}, "out of range", False),
        ({"ErpConnectionId": 1, "Extra": 2}, "Unknown parameter 'Extra'", False),
    ],
)
def test_bad_bodies_are_named(body: Any, needle: str, missing: bool) -> None:
    with pytest.raises(ValueError, match=needle) as info:
        decode_request(BY_NAME["GetConnection"], {}, _raw(body))
    assert getattr(info.value, "missing", False) is missing


def test_a_carrier_parameter_needs_its_identifying_properties() -> None:
    mapping = SAMPLES[4].model_dump(by_alias=True, mode="json")
    del mapping["ActorTypeErp"]
    with pytest.raises(BadRequest, match="ActorTypeErp") as info:
        decode_request(BY_NAME["SaveActorTypeMapping"], {}, _raw({"Mapping": mapping}))
    assert info.value.missing


def test_refusals_travel_as_superoffices_error_object() -> None:
    exc = AgentError("SaveActorTypeMapping", "2 problems", reasons=["a", "b"], error_code="X")
    body = agent_error_body(exc)
    assert body == {"Message": "2 problems", "MessageDetail": "a\nb"}
    assert error_object(body) == ("2 problems", "a\nb")
    assert error_object({"Message": "The request is invalid."}) == ("The request is invalid.", "")
    # A carrier is never an error object, whatever it holds.
    assert error_object({"Message": "x", "ErpConnectionId": 1}) is None
    assert error_object(["Message"]) is None


@pytest.mark.parametrize(
    "answer",
    [
        None,
        {
            "Message": "The request is invalid.",
            "MessageDetail": "null entry for parameter 'erpSyncConnectorEntityId'",
        },
    ],
)
def test_null_and_the_error_object_are_refusals_naming_the_call(answer: Any) -> None:
    method = BY_NAME["GetErpSyncConnectorEntity"]
    with pytest.raises(AgentError) as info:
        decode_result(method, answer, subject="erpSyncConnectorEntityId=5")
    text = info.value.message
    assert text.startswith("GetErpSyncConnectorEntity(erpSyncConnectorEntityId=5): ")
    if answer is None:
        assert "null" in text
    else:
        assert "The request is invalid." in text and "null entry" in text
        assert info.value.detail == answer["MessageDetail"]


def test_an_empty_object_is_not_an_empty_carrier() -> None:
    for name in ("GetErpSyncConnectorEntity", "GetConnection", "GetDefaultValueInfo", "GetActorTypeMapping"):
        with pytest.raises(TargetError, match="unexpected shape"):
            decode_result(BY_NAME[name], {"Unrelated": 1})


def test_void_methods_answer_nothing_but_an_error_object_still_refuses() -> None:
    move = BY_NAME["MoveErpFieldItem"]
    assert decode_result(move, None) is None
    with pytest.raises(AgentError, match="refused"):
        decode_result(move, {"Message": "refused", "MessageDetail": ""})


def test_carriers_accept_null_for_every_property_but_their_identity() -> None:
    connection = {
        "ErpConnectionId": 4,
        "ErpConnectorId": None,
        "DisplayName": "visma",
        "DisplayDescription": None,
        "MostRecentTimestamp": None,
        "ConfigFields": None,
        "UserGroupAccessIds": None,
        "AssociateAccessIds": None,
        "TableRight": None,
    }
    [read] = decode_result(BY_NAME["GetAllConnections"], [connection])
    assert (read.display_description, read.config_fields, read.user_group_access_ids) == ("", {}, [])
    field = {
        "ErpFieldId": 9,
        "ErpFieldKey": "NAME",
        "CrmFieldKey": None,
        "ListReference": None,
        "FieldType": "Date",
    }
    answer = {
        "ErpConnectionId": 4,
        "ActorTypeErp": "Customer",
        "ActorTypeCrm": None,
        "FieldMappings": [field],
    }
    mapping = decode_result(BY_NAME["GetActorTypeMapping"], answer)
    assert mapping.field_mappings[0].crm_field_key == "" and mapping.actor_type_crm is CrmActorType.UNKNOWN
    assert mapping.field_mappings[0].field_type is FieldMetadataType.DATE
    with pytest.raises(TargetError, match="ErpConnectionId"):
        decode_result(BY_NAME["GetConnection"], {**connection, "ErpConnectionId": None})


def test_date_is_the_agent_side_name_of_the_date_type() -> None:
    meta = decode_result(BY_NAME["GetConfigurationFields"], [{"FieldKey": "since", "FieldType": "Date"}])
    assert meta[0].field_type is FieldMetadataType.DATE
    assert meta[0].model_dump(by_alias=True, mode="json")["FieldType"] == "Date"
    # The connector side's name is not the agent's: a tenant never sends it.
    with pytest.raises(TargetError, match="FieldType"):
        decode_result(BY_NAME["GetConfigurationFields"], [{"FieldKey": "since", "FieldType": "Datetime"}])


def test_deep_json_is_refused_without_recursing() -> None:
    with pytest.raises(BadJson, match="deeper"):
        load_json(b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(BadJson, match="deeper"):
        load_json(b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1))
    assert load_json(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH) is not None


def test_big_integers_are_refused_where_bounded() -> None:
    with pytest.raises(BadJson, match="not JSON"):
        load_json(b"1" * 5000)
    with pytest.raises(BadJson, match="int32"):
        load_json(b'{"ErpConnectionId": 2147483648}', bound_ints=True)
    assert load_json(b'{"ErpConnectionId": 2147483647}', bound_ints=True) == {"ErpConnectionId": 2147483647}
