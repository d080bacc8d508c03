"""The shapes doctor checks fit SuperOffice's documented samples, and catch what does not."""

from __future__ import annotations

import pytest

from syncspec.doctor import shapes
from syncspec.doctor.checks import judge
from syncspec.doctor.wire import Answer, get_connection
from tests.contract.contract_cases import load_cases

CASES = {case.id: case for case in load_cases()}

# case id -> (shape, answer is a list of it)
DOCUMENTED: dict[str, tuple[shapes.Shape, bool]] = {
    "GetAllConnectors": (shapes.CONNECTOR_LIST_ITEM, True),
    "GetErpSyncConnectorEntity": (shapes.CONNECTOR_ENTITY, False),
    "GetConfigurationFields": (shapes.FIELD_METADATA, True),
    "GetAllConnections": (shapes.CONNECTION, True),
    "GetConnection": (shapes.CONNECTION, False),
    "GetErpSyncConnectionSummary": (shapes.CONNECTION_SUMMARY, False),
    "GetActorTypeMapping": (shapes.ACTOR_TYPE_MAPPING, False),
    "GetConnectionListMappings": (shapes.LIST_MAPPINGS, False),
    "GetDefaultValueInfo": (shapes.DEFAULT_VALUE, False),
    "Archive.ErpField": (shapes.ARCHIVE_PAGE, False),
    "MDOList.GetList": (shapes.MDO_LIST_ITEM, True),
    "MDOList.erpconnections": (shapes.MDO_LIST_ITEM, True),
    "MDOList.crmfields": (shapes.MDO_LIST_ITEM, True),
    "MDOList.associate": (shapes.MDO_LIST_ITEM, True),
    "MDOList.usergroup": (shapes.MDO_LIST_ITEM, True),
}


@pytest.mark.parametrize("case_id", sorted(DOCUMENTED))
def test_the_documented_sample_answer_fits(case_id: str) -> None:
    shape, is_list = DOCUMENTED[case_id]
    body = CASES[case_id].response["body"]
    problems = shapes.check_list(body, shape) if is_list else shapes.check_object(body, shape)
    assert problems == []


def test_nullable_columns_may_be_null_and_ints_may_not() -> None:
    connection = dict(CASES["GetConnection"].response["body"])
    connection.update(DisplayDescription=None, ConfigFields=None, UserGroupAccessIds=None)
    assert shapes.check_object(connection, shapes.CONNECTION) == []
    connection.update(ErpConnectionId=None, Active=1)
    assert shapes.check_object(connection, shapes.CONNECTION) == [
        "ErpConnectionId is null, documented as an int",
        "Active is an int, documented as a bool",
    ]


def test_problems_name_the_property_never_the_value() -> None:
    connection = dict(CASES["GetConnection"].response["body"])
    connection["ConfigFields"] = {"password": 12345678}
    del connection["Deleted"]
    problems = shapes.check_object(connection, shapes.CONNECTION)
    assert problems == ["ConfigFields is an object, documented as an object of strings", "Deleted is missing"]
    assert "12345678" not in " ".join(problems)


def test_nested_lists_are_checked_with_their_place() -> None:
    mapping = dict(CASES["GetActorTypeMapping"].response["body"])
    mapping["FieldMappings"] = [{**mapping["FieldMappings"][0], "ErpFieldId": "763"}]
    assert shapes.check_object(mapping, shapes.ACTOR_TYPE_MAPPING) == [
        "FieldMappings[0].ErpFieldId is a string, documented as an int"
    ]


@pytest.mark.parametrize(
    ("case_id", "reason"),
    [
        ("Error.null-result", "answered NULL: a failed call, per the Agents WebAPI page"),
        ("Error.message-200", "answered an error object: The request is invalid."),
        ("Error.message-400", "refused the request as invalid (400): The request is invalid."),
    ],
)
def test_the_documented_error_answers_are_failures(case_id: str, reason: str) -> None:
    response = CASES[case_id].response
    answer = Answer(get_connection(110), response["status"], body=response["body"], has_body=True)
    verdict = judge(
        answer, lambda b: shapes.check_object(b, shapes.CONNECTION), key_properties=("ErpConnectionId",)
    )
    assert verdict.reason == reason
