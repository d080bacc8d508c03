"""RestAgent against the real emulator: auth, 404, TLS, retries that never repeat a flip or a move."""

from __future__ import annotations

import logging
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from syncspec.embedded.emulator.server import serve_in_thread
from syncspec.embedded.tenant import InProcessAgent, Tenant
from syncspec.embedded.tenant.faults import FaultKind, FaultPlan
from syncspec.model.enums import ErpActorType
from syncspec.model.errors import AgentError, TargetError
from syncspec.targets.carriers import ErpConnection, ErpSyncConnectorEntity
from syncspec.targets.rest.agent import RestAgent
from tests.differential.helpers import DEMO_PASSWORD, TOKEN, demo_config, fast_policy, rest_agent, served
from tests.differential.scenarios import customer_mapping, field_ids
from tests.support.reads import field_ranks

CUSTOMER = ErpActorType.CUSTOMER
AFTER_KINDS = [FaultKind.ERROR_AFTER, FaultKind.DROP_AFTER, FaultKind.STALL_AFTER]


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[tuple[Tenant, str, FaultPlan]]:
    faults = FaultPlan(enabled=False, seed=7, stall_seconds=1.0)
    with served(tmp_path, faults=faults) as (tenant, url):
        yield tenant, url, faults


def seed_connection(agent: InProcessAgent, name: str = "visma") -> tuple[int, int]:
    connector = agent.save_erp_sync_connector_entity(
        ErpSyncConnectorEntity(display_name="demo-erp", URL="plugin://demo")
    )
    conn = agent.save_connection(
        ErpConnection(
            erp_connector_id=connector.erp_connector_id, display_name=name, config_fields=demo_config()
        )
    )
    agent.save_actor_type_mapping(customer_mapping(agent, conn.erp_connection_id, active=True))
    return connector.erp_connector_id, conn.erp_connection_id


def faulty(faults: FaultPlan, kind: FaultKind, *methods: str) -> None:
    faults.kinds, faults.methods, faults.fail_rate, faults.enabled = (kind,), set(methods), 1.0, True


def agent_for(url: str, **kw: object) -> RestAgent:
    # a short read timeout so stalled answers time out quickly
    return rest_agent(url, timeout=(2.0, 0.3), **kw)  # type: ignore[arg-type]


# --- auth and addressing ------------------------------------------------------------------
def test_missing_or_wrong_token_is_reported_without_the_token(
    emulator: tuple[Tenant, str, FaultPlan],
) -> None:
    _, url, _ = emulator
    for token in (None, "wrong-token-123"):
        with rest_agent(url, token=token) as agent, pytest.raises(TargetError) as info:
            agent.get_all_connectors()
        assert "token rejected or ErpSync agent not enabled for this app" in info.value.message
        assert "401" in info.value.message
        assert "ErpSync agent" in info.value.hint
        assert "wrong-token-123" not in info.value.message + info.value.hint + repr(agent)


def test_soticket_and_bearer_are_both_accepted(emulator: tuple[Tenant, str, FaultPlan]) -> None:
    _, url, _ = emulator
    with RestAgent(url, ticket=TOKEN) as by_ticket, rest_agent(url) as by_token:
        assert by_ticket.get_all_connectors() == by_token.get_all_connectors() == []


def test_app_token_is_sent_when_configured(tmp_path: Path) -> None:
    with (
        Tenant.create(tmp_path / "t.db") as tenant,
        serve_in_thread(tenant, token=TOKEN, app_token="app-1") as url,
    ):
        with rest_agent(url) as without, pytest.raises(TargetError, match="token rejected"):
            without.get_mdo_list("usergroup")
        with rest_agent(url, app_token="app-1") as with_app:
            assert with_app.get_mdo_list("usergroup")


def test_wrong_base_url_is_agent_not_found(emulator: tuple[Tenant, str, FaultPlan]) -> None:
    _, url, _ = emulator
    with rest_agent(url + "/Cust12345") as agent, pytest.raises(TargetError) as info:
        agent.get_all_connectors()
    assert info.value.message.startswith("GetAllConnectors: ErpSync agent not found at http://127.0.0.1:")
    with rest_agent(url + "/x") as agent, pytest.raises(TargetError) as info:
        agent.get_mdo_list("usergroup")
    assert info.value.message.startswith("MDOList/usergroup: the tenant refused the request (404")


def test_credentials_in_the_url_and_bad_settings_are_refused_clearly() -> None:
    with pytest.raises(TargetError, match="only one of token, ticket or basic"):
        RestAgent("https://example.invalid", token="a", ticket="b")
    with pytest.raises(TargetError, match="must be an http"):
        RestAgent("ftp://example.invalid")
    with pytest.raises(TargetError, match="cannot carry") as info:
        RestAgent("https://example.invalid", token="line\nbreak-secret")
    assert "break-secret" not in info.value.message
    agent = RestAgent("https://user:pw-in-url@example.invalid/base?x=1", basic=("u", "basic-secret"))
    assert "pw-in-url" not in repr(agent) and "basic-secret" not in repr(agent)
    assert agent.base_url == "https://example.invalid/base"
    agent.close()


def test_nothing_listening_gives_up_after_bounded_attempts() -> None:
    import socket

    with socket.socket() as s:  # a port that was free a moment ago and has no listener
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with (
        rest_agent(f"http://127.0.0.1:{port}", retries=fast_policy(attempts=3)) as agent,
        pytest.raises(TargetError, match=r"cannot connect to .*\(gave up after 3 attempts\)"),
    ):
        agent.get_all_connectors()


# --- TLS ------------------------------------------------------------------------------------
@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-addext", "basicConstraints=critical,CA:TRUE",
         "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def test_tls_is_verified_by_default_and_a_ca_bundle_can_be_given(
    tmp_path: Path, certificate: tuple[Path, Path]
) -> None:
    cert, key = certificate
    with (
        Tenant.create(tmp_path / "t.db") as tenant,
        serve_in_thread(tenant, token=TOKEN, ssl_certfile=cert, ssl_keyfile=key) as url,
    ):
        assert url.startswith("https://127.0.0.1:")
        with rest_agent(url) as agent, pytest.raises(TargetError) as info:
            agent.get_mdo_list("usergroup")
        assert "TLS certificate verification failed" in info.value.message
        with rest_agent(url, verify=cert) as trusting:
            assert trusting.get_mdo_list("usergroup")
    with pytest.raises(TargetError, match="cannot use the CA bundle"):
        RestAgent("https://example.invalid", verify=tmp_path / "missing.pem")


# --- 429 and server faults ---------------------------------------------------------------------
def test_429_honours_retry_after_within_bounds() -> None:
    answers = iter([429, 429, 200])
    slept: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        status = next(answers)
        if status == 429:
            return httpx.Response(429, headers={"Retry-After": "2"})
        return httpx.Response(200, json=[{"Id": 1, "Name": "demo"}])

    policy = fast_policy(attempts=5, sleep=slept.append)
    with RestAgent("http://127.0.0.1:9", transport=httpx.MockTransport(handler), retries=policy) as agent:
        assert [c.name for c in agent.get_all_connectors()] == ["demo"]
    assert slept == [2.0, 2.0]


def test_429_asking_too_long_or_forever_is_given_up() -> None:
    slept: list[float] = []
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(429, headers={"Retry-After": "3600"})

    policy = fast_policy(attempts=5, sleep=slept.append)
    with (
        RestAgent("http://127.0.0.1:9", transport=httpx.MockTransport(handler), retries=policy) as agent,
        pytest.raises(TargetError, match="asked to wait 3600s"),
    ):
        agent.get_all_connectors()
    assert (calls, slept) == (1, [])

    def always_429(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": "1"})

    policy = fast_policy(attempts=3, sleep=slept.append)
    with (
        RestAgent("http://127.0.0.1:9", transport=httpx.MockTransport(always_429), retries=policy) as agent,
        pytest.raises(TargetError, match=r"throttling.*gave up after 3 attempts"),
    ):
        agent.get_all_connectors()


def _archive_page(ranks: dict[int, int]) -> dict[str, Any]:
    rows = [
        {"Id": fid, "ConnectionId": 2, "ActorTypeErp": "Customer", "ErpFieldKey": f"F{fid}", "Rank": rank}
        for fid, rank in sorted(ranks.items())
    ]
    return {"odata.metadata": "", "odata.nextLink": "", "value": rows}


@pytest.mark.parametrize("moved", [True, False])
def test_a_move_with_an_unknown_outcome_is_read_back_from_the_archive(moved: bool) -> None:
    seen: list[str] = []
    ranks = {1: 1, 2: 2}

    def handler(request: httpx.Request) -> httpx.Response:
        name = request.url.path.rsplit("/", 1)[-1]
        seen.append(name)
        if request.method == "GET":
            return httpx.Response(200, json=_archive_page(ranks))
        if moved:  # the tenant moved the field, then the answer was lost
            ranks.update({1: 2, 2: 1})
        return httpx.Response(502, text="bad gateway")

    with RestAgent(
        "http://127.0.0.1:9", transport=httpx.MockTransport(handler), retries=fast_policy(attempts=2)
    ) as agent:
        if moved:
            agent.move_erp_field_item(1, 1, 2, CUSTOMER)
            assert seen == ["ErpField", "MoveErpFieldItem", "ErpField"]  # done: not repeated
        else:
            with pytest.raises(TargetError, match="gave up after 2 attempts"):
                agent.move_erp_field_item(1, 1, 2, CUSTOMER)
            assert seen == ["ErpField", "MoveErpFieldItem", "ErpField", "MoveErpFieldItem", "ErpField"]


def test_reads_are_retried_through_5xx_and_give_up_when_it_persists(
    emulator: tuple[Tenant, str, FaultPlan],
) -> None:
    _, url, faults = emulator
    faulty(faults, FaultKind.ERROR_BEFORE, "MDOList.usergroup")
    with (
        rest_agent(url, retries=fast_policy(attempts=3)) as agent,
        pytest.raises(TargetError, match=r"answered 503.*gave up after 3 attempts"),
    ):
        agent.get_mdo_list("usergroup")
    faults.fail_rate = 0.5
    with rest_agent(url, retries=fast_policy(attempts=10)) as agent:
        for _ in range(10):  # some attempts fail; every read gets through
            assert agent.get_mdo_list("usergroup")
    assert faults.counts[FaultKind.ERROR_BEFORE] > 3


@pytest.mark.parametrize("kind", AFTER_KINDS)
def test_toggle_after_a_committed_fault_is_read_back_not_repeated(
    emulator: tuple[Tenant, str, FaultPlan], kind: FaultKind
) -> None:
    tenant, url, faults = emulator
    local = InProcessAgent(tenant)
    _, conn_id = seed_connection(local)
    faulty(faults, kind, "ToggleErpConnectionActive")
    with agent_for(url) as agent:
        assert agent.toggle_erp_connection_active(conn_id) == []
        assert local.get_connection(conn_id).active is True
        assert agent.toggle_erp_connection_active(conn_id) == []
        assert local.get_connection(conn_id).active is False
    assert faults.counts[kind] == 2


@pytest.mark.parametrize("kind", AFTER_KINDS)
def test_move_after_a_committed_fault_moves_once(
    emulator: tuple[Tenant, str, FaultPlan], kind: FaultKind
) -> None:
    tenant, url, faults = emulator
    local = InProcessAgent(tenant)
    _, conn_id = seed_connection(local)
    local.toggle_erp_connection_active(conn_id)
    local.toggle_erp_connection_active(conn_id)  # inactive again, moves allowed
    before = [r.erp_field_key for r in field_ranks(local, conn_id, CUSTOMER)]
    ids = field_ids(local, conn_id)
    faulty(faults, kind, "MoveErpFieldItem")
    with agent_for(url) as agent:
        agent.move_erp_field_item(ids[before[2]], -1, conn_id, CUSTOMER)
    after = [r.erp_field_key for r in field_ranks(local, conn_id, CUSTOMER)]
    assert after == [before[0], before[2], before[1], *before[3:]]


@pytest.mark.parametrize("kind", AFTER_KINDS)
def test_create_after_a_committed_fault_creates_exactly_one(
    emulator: tuple[Tenant, str, FaultPlan], kind: FaultKind
) -> None:
    tenant, url, faults = emulator
    local = InProcessAgent(tenant)
    connector_id, _ = seed_connection(local)
    faulty(faults, kind, "SaveConnection", "SaveErpSyncConnectorEntity", "DeleteConnection")
    with agent_for(url) as agent:
        created = agent.save_connection(
            ErpConnection(
                erp_connector_id=connector_id, display_name="second", config_fields=demo_config("1002")
            )
        )
        spare = agent.save_erp_sync_connector_entity(
            ErpSyncConnectorEntity(display_name="spare", URL="plugin://demo")
        )
        agent.delete_connection(created.erp_connection_id)
    names = [c.display_name for c in local.get_all_connections(True)]
    assert names == ["visma", "second"]
    assert local.get_all_connections(True)[1].deleted is True
    assert created.connection_id and created.config_fields["password"] != DEMO_PASSWORD
    assert [c.name for c in local.get_all_connectors()] == ["demo-erp", "spare"]
    assert spare.display_name == "spare"


def test_refusal_is_not_retried(
    emulator: tuple[Tenant, str, FaultPlan], caplog: pytest.LogCaptureFixture
) -> None:
    _, url, _ = emulator
    with rest_agent(url) as agent, pytest.raises(AgentError) as info:
        agent.get_connection(42)
    # SuperOffice's error object carries a message and a detail, nothing more: no error code.
    assert info.value.message == "GetConnection(ErpConnectionId=42): The ERP connection 42 does not exist"
    assert info.value.reason_text == "The ERP connection 42 does not exist"
    assert not [r for r in caplog.records if "retrying" in r.getMessage()]


# --- secrets and threads -------------------------------------------------------------------------
def test_no_token_or_password_in_any_log_line(
    emulator: tuple[Tenant, str, FaultPlan], caplog: pytest.LogCaptureFixture
) -> None:
    _, url, faults = emulator
    caplog.set_level(logging.DEBUG)
    with rest_agent(url) as agent:
        connector = agent.save_erp_sync_connector_entity(
            ErpSyncConnectorEntity(display_name="demo-erp", URL="plugin://demo")
        )
        faulty(faults, FaultKind.ERROR_AFTER, "SaveConnection")
        agent.save_connection(
            ErpConnection(
                erp_connector_id=connector.erp_connector_id, display_name="x", config_fields=demo_config()
            )
        )
        faults.enabled = False
        with pytest.raises(AgentError):
            agent.save_connection(
                ErpConnection(erp_connector_id=connector.erp_connector_id, display_name="y")
            )
    with rest_agent(url, token="not-the-token-xyz") as bad, pytest.raises(TargetError):
        bad.get_mdo_list("usergroup")
    text = caplog.text
    assert "SaveConnection 500" in text and "retrying" not in text  # the emulator line; resolved, not retried
    for secret in (TOKEN, DEMO_PASSWORD, "not-the-token-xyz"):
        assert secret not in text


def test_concurrent_reads_share_one_agent(emulator: tuple[Tenant, str, FaultPlan]) -> None:
    tenant, url, _ = emulator
    local = InProcessAgent(tenant)
    _, conn_id = seed_connection(local)
    ids = sorted(field_ids(local, conn_id).values())
    expected = {i: local.get_default_value_info(i) for i in ids}
    results: dict[int, object] = {}
    errors: list[BaseException] = []
    with rest_agent(url, concurrency=4) as agent:

        def work(chunk: list[int]) -> None:
            try:
                for i in chunk:
                    results[i] = agent.get_default_value_info(i)
            except BaseException as exc:  # surfaced below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(ids[n::8],)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
    assert not errors
    assert results == expected
