"""The archive and MDO-list reads over HTTP, against answers in SuperOffice's documented shapes.

`httpx.MockTransport` plays the tenant: an OData slim answer `{"odata.metadata", "odata.nextLink",
"value"}` for `GET /api/v1/archive/ErpField`, a JSON array of MDOListItem for `GET /api/v1/MDOList/x`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from syncspec.model.enums import ErpActorType
from syncspec.model.errors import TargetError
from syncspec.targets.lists import ERP_FIELD_COLUMNS, list_name_of_reference, mdo_request
from syncspec.targets.rest.agent import RestAgent
from syncspec.targets.rest.lists import RestLists
from tests.differential.helpers import fast_policy

Handler = Callable[[httpx.Request], httpx.Response]


def _row(field_id: int, rank: int, **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "PrimaryKey": field_id,
        "EntityName": "erpfield",
        "Id": field_id,
        "ConnectionId": 7,
        "ActorTypeErp": "Customer",
        "ErpFieldKey": f"F{field_id}",
        "Rank": rank,
        "ListName": "",
        "HasFirstSyncDefaultValue": 0,
        "FirstSyncDefaultValue": "",
        "PromptUser": False,
        "Mandatory": False,
    }
    row.update(extra)
    return row


def _odata(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "odata.metadata": "https://tenant.example/api/v1/archive$metadata",
        "odata.nextLink": "",
        "value": rows,
    }


def _lists(handler: Handler, **kw: Any) -> tuple[RestLists, RestAgent]:
    agent = RestAgent(
        "http://127.0.0.1:9/Cust1",
        token="list-test-token",
        transport=httpx.MockTransport(handler),
        retries=fast_policy(),
    )
    return RestLists(agent._http, **kw), agent


def test_the_archive_is_read_page_by_page_with_the_documented_parameters() -> None:
    rows = [_row(i, i) for i in range(1, 8)]
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        top, skip = int(request.url.params["$top"]), int(request.url.params["$skip"])
        return httpx.Response(200, json=_odata(rows[skip : skip + top]))

    lists, agent = _lists(handler, page_size=3)
    with agent:
        got = lists.get_erp_field_rows(7)
    assert [r.id for r in got] == list(range(1, 8))
    assert [int(r.url.params["$skip"]) for r in seen] == [0, 3, 6]  # the third page is short: done
    first = seen[0]
    assert first.method == "GET" and first.url.path == "/Cust1/api/v1/archive/ErpField"
    assert first.url.params["$select"] == ",".join(ERP_FIELD_COLUMNS)
    assert first.url.params["$filter"] == "ConnectionId eq 7"
    assert first.url.params["$orderBy"] == "Id"
    assert first.headers["Authorization"] == "Bearer list-test-token"


def test_a_full_last_page_costs_one_empty_page_and_an_empty_archive_one_request() -> None:
    pages: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        skip = int(request.url.params["$skip"])
        pages.append(skip)
        return httpx.Response(200, json=_odata([_row(1, 1), _row(2, 2)] if skip == 0 else []))

    lists, agent = _lists(handler, page_size=2)
    with agent:
        assert len(lists.get_erp_field_rows(7)) == 2
    assert pages == [0, 2]

    lists, agent = _lists(lambda _r: httpx.Response(200, json=_odata([])))
    with agent:
        assert lists.get_erp_field_rows(7) == []


def test_flags_and_ids_are_read_in_the_forms_the_page_allows() -> None:
    rows = [
        _row(5, 2, HasFirstSyncDefaultValue=1, FirstSyncDefaultValue="[I:30]", PromptUser=True, Mandatory=1),
        _row(6, 1, Id="6", ActorTypeErp="Person", ListName="languages"),  # "stringorPK"
    ]
    lists, agent = _lists(lambda _r: httpx.Response(200, json=_odata(rows)))
    with agent:
        first, second = lists.get_erp_field_rows(7)
    assert first.has_first_sync_default_value and first.prompt_user and first.mandatory
    assert first.first_sync_default_value == "[I:30]"
    assert (second.id, second.actor_type_erp, second.list_name) == (6, ErpActorType.PERSON, "languages")


def test_a_tenant_that_keeps_answering_full_pages_is_stopped() -> None:
    lists, agent = _lists(lambda _r: httpx.Response(200, json=_odata([_row(1, 1)])), page_size=1, max_pages=4)
    with agent, pytest.raises(TargetError, match="still had rows after 4 pages") as info:
        lists.get_erp_field_rows(7)
    assert "$skip" in info.value.hint


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ([_row(1, 1)], "'value' list"),  # a bare array is not the OData answer
        ({"Message": "Provider not found", "MessageDetail": "x"}, "archive/ErpField: Provider not found"),
        (_odata([{"Id": 1}]), "unexpected row shape"),
    ],
)
def test_archive_answers_of_another_shape_are_refused_clearly(body: Any, problem: str) -> None:
    lists, agent = _lists(lambda _r: httpx.Response(200, json=body))
    with agent, pytest.raises(TargetError, match=problem):
        lists.get_erp_field_rows(7)


def test_mdo_lists_are_flat_and_pass_additional_attributes() -> None:
    seen: list[httpx.Request] = []
    items = [{"Id": 2, "Name": "visma-sweden", "ExtraInfo": "guid-2"}, {"Id": 1, "Name": "visma-norway"}]

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=items)

    lists, agent = _lists(handler)
    with agent:
        got = lists.get_mdo_list("erpconnections", "useRank=true")
    assert [i.id for i in got] == [2, 1] and got[0].extra_info == "guid-2"
    assert seen[0].url.path == "/Cust1/api/v1/MDOList/erpconnections"
    assert dict(seen[0].url.params) == {"flat": "true", "additional": "useRank=true"}


def test_an_empty_or_null_mdo_list_is_empty_and_a_wrong_shape_is_refused() -> None:
    for body in (b"[]", b"null"):
        lists, agent = _lists(lambda _r, b=body: httpx.Response(200, content=b))
        with agent:
            assert lists.get_mdo_list("usergroup") == []
    lists, agent = _lists(lambda _r: httpx.Response(200, json={"Message": "no"}))
    with agent, pytest.raises(TargetError, match="MDOList/usergroup: no"):  # the error object, named
        lists.get_mdo_list("usergroup")
    lists, agent = _lists(lambda _r: httpx.Response(200, json={"Items": []}))
    with agent, pytest.raises(TargetError, match="MDOList/usergroup: unexpected shape"):
        lists.get_mdo_list("usergroup")


def test_gets_are_retried_through_5xx_and_refusals_are_not() -> None:
    answers = iter([httpx.Response(503, text="busy"), httpx.Response(200, json=[{"Id": 1, "Name": "Sales"}])])
    lists, agent = _lists(lambda _r: next(answers))
    with agent:
        assert [g.name for g in lists.get_mdo_list("usergroup")] == ["Sales"]
    calls: list[int] = []

    def refuse(_request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(400, json={"Message": "bad filter", "MessageDetail": ""})

    lists, agent = _lists(refuse)
    with agent, pytest.raises(TargetError, match=r"refused the request \(400: bad filter\)"):
        lists.get_erp_field_rows(7)
    assert len(calls) == 1


def test_secrets_never_reach_messages() -> None:
    lists, agent = _lists(lambda _r: httpx.Response(401, json={"Message": "token t-secret-1 is not valid"}))
    agent._http._secrets = ("t-secret-1",)
    with agent, pytest.raises(TargetError) as info:
        lists.get_mdo_list("associate")
    assert "t-secret-1" not in info.value.message and "401" in info.value.message


def test_list_references_name_mdo_lists() -> None:
    assert list_name_of_reference("table=category") == "category"
    assert list_name_of_reference("table=udlist&udlistdefinition_id=1") == "udlist&udlistdefinition_id=1"
    assert list_name_of_reference("") == list_name_of_reference("udlistdefinition_id=1") == ""
    assert mdo_request("category") == ("category", "")
    assert mdo_request("udlist&udlistdefinition_id=1") == ("udlist", "udlistdefinition_id=1")
