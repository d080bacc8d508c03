"""The emulator against SuperOffice's documented requests (tests/contract/cases).

One emulator serves every case of this module, over a tenant seeded so that the ids the cases
need exist. Each case's documented request is sent as it is, except where its `emulator.replace`
swaps a documented sample value for the seeded tenant's (an id, a config that the demo connector
accepts). The answer must have the documented status and shape: the same keys and JSON types
as the documented sample, not its values.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from syncspec.embedded.emulator.server import serve_in_thread
from syncspec.embedded.tenant import InProcessAgent, Tenant
from syncspec.model.enums import ErpActorType
from syncspec.targets.carriers import ErpConnection, ErpSyncConnectorEntity
from tests.contract.contract_cases import (
    Case,
    iter_replacement_names,
    load_cases,
    shape_problems,
    with_replacements,
)
from tests.contract.known_divergences import marks
from tests.differential.helpers import demo_config
from tests.differential.scenarios import customer_mapping, field_ids

CASES = load_cases()
CONNECTOR_URL = "plugin://demo"


def _seed(agent: InProcessAgent) -> dict[str, Any]:
    """A tenant with what the cases name: connectors, connections, a mapped actor, defaults, ranks."""
    connector = agent.save_erp_sync_connector_entity(
        ErpSyncConnectorEntity(display_name="demo-erp", URL=CONNECTOR_URL)
    ).erp_connector_id
    spare = agent.save_erp_sync_connector_entity(
        ErpSyncConnectorEntity(display_name="spare", URL=CONNECTOR_URL)
    ).erp_connector_id

    def connection(name: str, client: str) -> int:
        saved = agent.save_connection(
            ErpConnection(erp_connector_id=connector, display_name=name, config_fields=demo_config(client))
        )
        return saved.erp_connection_id

    main, other, doomed = (
        connection("main", "1001"),
        connection("other", "1002"),
        connection("doomed", "2001"),
    )
    agent.save_actor_type_mapping(customer_mapping(agent, main, active=False))
    ids = field_ids(agent, main)
    rows = agent.get_erp_field_rows(main)  # the ErpField archive: ranks of every actor type
    ranks = sorted((r for r in rows if r.actor_type_erp is ErpActorType.CUSTOMER), key=lambda r: r.rank)
    mapping = agent.get_actor_type_mapping(main, ErpActorType.CUSTOMER)
    return {
        "$connector": connector,
        "$spare_connector": spare,
        "$connector_url": CONNECTOR_URL,
        "$connection": main,
        "$toggle_connection": other,
        "$doomed_connection": doomed,
        "$config": demo_config("1001"),
        "$group_ids": [g.id for g in agent.get_mdo_list("usergroup")][:1],
        "$associate_ids": [a.id for a in agent.get_mdo_list("associate")][:1],
        "$field": ids["PAYTERMS"],
        "$middle_field": ranks[len(ranks) // 2].id,
        "$field_mappings": [f.model_dump(by_alias=True, mode="json") for f in mapping.field_mappings],
        "$list_mapping": agent.get_connection_list_mappings(main).model_dump(by_alias=True, mode="json"),
        "$default_value": agent.get_default_value_info(ids["PAYTERMS"]).model_dump(
            by_alias=True, mode="json"
        ),
    }


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[httpx.Client, dict[str, Any]]]:
    tenant = Tenant.create(Path(tmp_path_factory.mktemp("contract")) / "tenant.db")
    try:
        values = _seed(InProcessAgent(tenant))
        with serve_in_thread(tenant) as url, httpx.Client(base_url=url, timeout=10.0) as client:
            yield client, values
    finally:
        tenant.close()


def test_every_replacement_names_a_seeded_value(emulator: tuple[httpx.Client, dict[str, Any]]) -> None:
    # A case naming a value the seed does not provide is a broken case, not a divergence.
    _, values = emulator
    assert set(iter_replacement_names(CASES)) <= set(values)


def _send(client: httpx.Client, request: dict[str, Any]) -> httpx.Response:
    body = request.get("body")
    return client.request(
        request["method"],
        request["path"],
        params=request.get("query") or None,
        content=None if body is None else json.dumps(body).encode(),
        headers={} if body is None else {"Content-Type": "application/json"},
    )


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id, marks=marks("emulator", c.id)) for c in CASES])
def test_emulator_accepts_the_documented_request_and_answers_in_the_documented_shape(
    case: Case, emulator: tuple[httpx.Client, dict[str, Any]]
) -> None:
    client, values = emulator
    settings = case.emulator
    request = with_replacements(case.request, settings.get("replace", {}), values)
    answer = _send(client, request)
    documented = case.response
    assert answer.status_code == documented["status"], f"{answer.status_code}: {answer.text[:300]}"
    if documented["status"] == 204:
        assert answer.content == b""
        return
    problems = shape_problems(documented["body"], answer.json(), free_form=bool(settings.get("free_form")))
    assert not problems, "; ".join(problems)
