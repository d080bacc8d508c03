"""The wire format: PascalCase JSON for every carrier, one table entry per agent method."""

from __future__ import annotations

import inspect
import re
from typing import Any

import pytest
from pydantic import BaseModel

from syncspec.model.enums import CrmActorType, ErpActorType, FieldAccess, FieldMetadataType
from syncspec.model.errors import AgentError
from syncspec.targets import carriers as c
from syncspec.targets.agent import ErpSyncAgent
from syncspec.targets.lists import ErpFieldRow
from syncspec.targets.rest_wire import (
    BY_ATTRIBUTE,
    BY_NAME,
    METHODS,
    TRANSIENT_ERROR_TYPES,
    agent_error_body,
    decode_body,
    encode_body,
    is_refusal,
    read_error,
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


def test_bodies_use_the_documented_names() -> None:
    move = BY_NAME["MoveErpFieldItem"]
    body = encode_body(
        move,
        {"erp_field_id": 9, "direction": -1, "erp_connection_id": 2, "erp_actor_type": ErpActorType.CUSTOMER},
    )
    assert body == {"ErpFieldId": 9, "Direction": -1, "ErpConnectionId": 2, "ErpActorType": "Customer"}
    save = BY_NAME["SaveConnection"]
    body = encode_body(save, {"connection": SAMPLES[3]})
    assert list(body) == ["Connection"] and body["Connection"]["DisplayName"] == "visma"
    assert decode_body(save, body) == {"connection": SAMPLES[3]}


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ([], "must be a JSON object"),
        ({}, "missing parameter 'ErpConnectionId'"),
        ({"ErpConnectionId": "seven"}, "parameter 'ErpConnectionId' is not valid"),
    ],
)
def test_bad_bodies_are_named(body: Any, needle: str) -> None:
    with pytest.raises(ValueError, match=needle):
        decode_body(BY_NAME["GetConnection"], body)


def test_refusals_travel_with_reasons_and_code() -> None:
    exc = AgentError("ToggleErpConnectionActive", "refused", reasons=["a", "b"], error_code="X")
    info = read_error(agent_error_body(exc), "fallback")
    assert (info.message, info.reasons, info.error_code) == ("refused", ("a", "b"), "X")
    assert is_refusal(400, info)
    assert is_refusal(500, read_error({"Error": "x", "ErrorType": "SoException"}, ""))
    for kind in TRANSIENT_ERROR_TYPES:
        assert not is_refusal(500, read_error({"Error": "x", "ErrorType": kind}, ""))
    assert not is_refusal(502, read_error("<html>bad gateway</html>", "HTTP 502"))
    assert read_error(None, "HTTP 502 Bad Gateway").message == "HTTP 502 Bad Gateway"
