"""The emulator's GET endpoints over raw HTTP on 127.0.0.1: `archive/ErpField` and `MDOList/{name}`.

Documented shapes, and the least forgiving reading where the docs are silent (docs/rest.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from syncspec.embedded.emulator.server import serve_in_thread
from syncspec.embedded.tenant import InProcessAgent, Tenant
from syncspec.model.enums import ErpActorType
from syncspec.targets.carriers import ErpConnection, ErpSyncConnectorEntity
from syncspec.targets.rest.agent import RestAgent
from tests.differential.helpers import demo_config, fast_policy

TOKEN = "server-lists-token-7"
ARCHIVE = "/api/v1/archive/ErpField"
SELECT = "Id,ConnectionId,ActorTypeErp,ErpFieldKey,Rank,PromptUser,HasFirstSyncDefaultValue"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[InProcessAgent, str, httpx.Client, list[int]]]:
    with Tenant.create(tmp_path / "t.db") as tenant:
        agent = InProcessAgent(tenant)
        connector = agent.save_erp_sync_connector_entity(
            ErpSyncConnectorEntity(display_name="demo-erp", URL="plugin://demo")
        )
        ids = [
            agent.save_connection(
                ErpConnection(
                    erp_connector_id=connector.erp_connector_id,
                    display_name=name,
                    config_fields=demo_config(client),
                )
            ).erp_connection_id
            for name, client in (("visma-norway", "1001"), ("visma-sweden", "1002"))
        ]
        with (
            serve_in_thread(tenant, token=TOKEN) as url,
            httpx.Client(base_url=url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=5) as client,
        ):
            yield agent, url, client, ids


def _archive(client: httpx.Client, **params: str) -> httpx.Response:
    return client.get(ARCHIVE, params=params)


def test_the_archive_answers_odata_rows_of_the_selected_columns(
    served: tuple[InProcessAgent, str, httpx.Client, list[int]],
) -> None:
    agent, _, client, (norway, _) = served
    response = _archive(client, **{"$select": SELECT, "$filter": f"ConnectionId eq {norway}"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"odata.metadata", "odata.nextLink", "value"}
    rows: list[dict[str, Any]] = body["value"]
    assert rows and all(set(r) == {"PrimaryKey", "EntityName", *SELECT.split(",")} for r in rows)
    assert {r["ConnectionId"] for r in rows} == {norway}
    assert all(isinstance(r["PromptUser"], bool) and isinstance(r["Rank"], int) for r in rows)
    assert all(type(r["HasFirstSyncDefaultValue"]) is int for r in rows)  # "int" on the provider page
    customer = sorted(
        (r["Rank"], r["ErpFieldKey"]) for r in rows if r["ActorTypeErp"] == ErpActorType.CUSTOMER.value
    )
    mapping = agent.get_actor_type_mapping(norway, ErpActorType.CUSTOMER)
    assert [key for _, key in customer] == [f.erp_field_key for f in mapping.field_mappings]


def test_the_archive_pages_with_top_and_skip_in_id_order(
    served: tuple[InProcessAgent, str, httpx.Client, list[int]],
) -> None:
    _, _, client, (norway, _) = served
    select = {"$select": "Id", "$filter": f"ConnectionId eq {norway}", "$orderBy": "Id"}
    everything = [r["Id"] for r in _archive(client, **select).json()["value"]]
    pages = [
        [r["Id"] for r in _archive(client, **select, **{"$top": "7", "$skip": str(skip)}).json()["value"]]
        for skip in range(0, len(everything) + 7, 7)
    ]
    assert [i for page in pages for i in page] == everything == sorted(everything)
    assert pages[-1] == []
    none = _archive(client, **{"$select": "Id", "$filter": "ConnectionId eq 999"})
    assert none.status_code == 200 and none.json()["value"] == []


@pytest.mark.parametrize(
    "params",
    [
        {},  # no $select
        {"$select": "Id,FieldType"},  # documented, but its numbers are not published
        {"$select": "Nope"},
        {"$select": "Id", "$filter": "ConnectionId gt 1"},
        {"$select": "Id", "$filter": "startswith(ErpFieldKey, 'A')"},
        {"$select": "Id", "$top": "1001"},
        {"$select": "Id", "$skip": "-1"},
        {"$select": "Id", "$orderBy": "Id sideways"},
        {"$select": "Id", "$format": "xml"},
    ],
)
def test_the_archive_refuses_what_it_does_not_serve(
    served: tuple[InProcessAgent, str, httpx.Client, list[int]], params: dict[str, str]
) -> None:
    _, _, client, _ = served
    response = _archive(client, **params)
    assert response.status_code == 400
    assert set(response.json()) == {"Message", "MessageDetail"}  # SuperOffice's documented error object


def test_other_archive_providers_and_lists_are_not_found(
    served: tuple[InProcessAgent, str, httpx.Client, list[int]],
) -> None:
    _, _, client, _ = served
    assert client.get("/api/v1/archive/FindContact", params={"$select": "Id"}).status_code == 404
    assert client.get("/api/v1/MDOList/nosuchlist").status_code == 404


def test_the_get_endpoints_need_the_token(
    served: tuple[InProcessAgent, str, httpx.Client, list[int]],
) -> None:
    _, url, _, _ = served
    assert httpx.get(f"{url}/api/v1/MDOList/usergroup", timeout=5).status_code == 401
    assert httpx.get(f"{url}{ARCHIVE}", params={"$select": "Id"}, timeout=5).status_code == 401


def test_erpconnections_sorted_by_rank_is_the_sync_priority(
    served: tuple[InProcessAgent, str, httpx.Client, list[int]],
) -> None:
    agent, _, client, (norway, sweden) = served
    assert agent.save_erp_connection_sync_priorities([sweden, norway])
    by_rank = client.get(
        "/api/v1/MDOList/erpconnections", params={"flat": "true", "additional": "useRank=true"}
    )
    assert [i["Id"] for i in by_rank.json()] == [sweden, norway]
    by_name = client.get("/api/v1/MDOList/erpconnections", params={"flat": "true"}).json()
    assert [i["Name"] for i in by_name] == ["visma-norway", "visma-sweden"]
    guids = {c.erp_connection_id: c.connection_id for c in agent.get_all_connections(False)}
    assert {i["Id"]: i["ExtraInfo"] for i in by_name} == guids  # "the GUID ... in the ExtraInfo field"
    bad = client.get("/api/v1/MDOList/erpconnections", params={"additional": "sortBy=name"})
    assert bad.status_code == 400


def test_crm_lists_by_the_table_their_list_reference_names(
    served: tuple[InProcessAgent, str, httpx.Client, list[int]],
) -> None:
    _, _, client, _ = served
    category = client.get("/api/v1/MDOList/category", params={"flat": "true"}).json()
    assert [i["Name"] for i in category][:2] == ["Key account", "Customer"]
    assert set(category[0]) >= {"Id", "Name", "ToolTip", "Deleted", "Rank", "ExtraInfo", "FullName"}
    terms = client.get("/api/v1/MDOList/udlist", params={"additional": "udlistdefinition_id=1"})
    assert terms.status_code == 200 and terms.json()
    assert client.get("/api/v1/MDOList/udlist").status_code == 404  # which udlist? not guessed
    assert client.get("/api/v1/MDOList/category", params={"query": "Key"}).status_code == 400
    assert client.get("/api/v1/MDOList/category", params={"flat": "maybe"}).status_code == 400


def test_crmfields_associates_and_groups(served: tuple[InProcessAgent, str, httpx.Client, list[int]]) -> None:
    agent, _, client, _ = served
    fields = client.get("/api/v1/MDOList/crmfields").json()
    assert {f["Name"] for f in fields} == {f.key for f in agent.crm_field_catalogue()}
    users = client.get("/api/v1/MDOList/associate").json()
    assert (users[0]["Name"], users[0]["FullName"]) == ("ANNA", "Anna Andersen")
    assert users[0]["ExtraInfo"].startswith("person_id=")
    assert [g["Name"] for g in client.get("/api/v1/MDOList/usergroup").json()] == [
        "Sales",
        "Support",
        "Finance",
    ]


def test_the_rest_client_reads_what_the_in_process_agent_reads(
    served: tuple[InProcessAgent, str, httpx.Client, list[int]],
) -> None:
    agent, url, _, (norway, _) = served
    with RestAgent(url, token=TOKEN, retries=fast_policy()) as remote:
        remote._lists.page_size = 10  # several pages
        assert remote.get_erp_field_rows(norway) == agent.get_erp_field_rows(norway)
        for name, additional in (("erpconnections", "useRank=true"), ("crmfields", ""), ("category", "")):
            assert remote.get_mdo_list(name, additional) == agent.get_mdo_list(name, additional)
        assert remote.get_erp_sync_connection_summary(norway) == agent.get_erp_sync_connection_summary(norway)
        assert remote.get_crm_actor_type(norway, ErpActorType.CUSTOMER).value == "Contact"
