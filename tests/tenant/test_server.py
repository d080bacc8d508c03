"""The emulator over raw HTTP: SuperOffice-like errors, faults, request log, loopback, clean stop."""

from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from syncspec.targets.carriers import ErpSyncConnectorEntity
from syncspec.tenant import InProcessAgent, Tenant, dump
from syncspec.tenant.faults import FaultKind, FaultPlan
from syncspec.tenant.server import serve_in_thread

TOKEN = "server-test-token-41"
AGENT = "/api/v1/Agents/ErpSync/"
ERROR_KEYS = {"Error", "ErrorType", "Message", "Source", "Data"}


@pytest.fixture
def tenant(tmp_path: Path) -> Iterator[Tenant]:
    with Tenant.create(tmp_path / "t.db") as t:
        yield t


@pytest.fixture
def faults() -> FaultPlan:
    return FaultPlan(enabled=False, seed=3, stall_seconds=0.5)


@pytest.fixture
def client(tenant: Tenant, faults: FaultPlan) -> Iterator[httpx.Client]:
    with (
        serve_in_thread(tenant, token=TOKEN, faults=faults) as url,
        httpx.Client(base_url=url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=5) as c,
    ):
        yield c


def test_token_is_required(client: httpx.Client) -> None:
    for auth in ({}, {"Authorization": "Bearer nope"}, {"Authorization": f"Basic {TOKEN}"}):
        response = httpx.post(f"{client.base_url}{AGENT}GetAllConnectors", headers=auth, json={})
        assert response.status_code == 401
        assert set(response.json()) == ERROR_KEYS
        assert response.json()["ErrorType"] == "Unauthorized"
    ticket = {"Authorization": f"SOTicket {TOKEN}"}
    assert httpx.post(f"{client.base_url}{AGENT}GetAllConnectors", headers=ticket, json={}).status_code == 200


def test_answers_have_superoffice_shapes(client: httpx.Client, tenant: Tenant) -> None:
    saved = client.post(
        AGENT + "SaveErpSyncConnectorEntity", json={"Entity": {"DisplayName": "demo", "URL": "plugin://demo"}}
    )
    assert saved.status_code == 200
    assert saved.json()["ErpConnectorId"] == 1 and saved.json()["URL"] == "plugin://demo"
    deleted = client.post(AGENT + "DeleteErpSyncConnectorEntity", json={"ErpSyncConnectorEntityId": 1})
    assert (deleted.status_code, deleted.content) == (204, b"")
    refused = client.post(AGENT + "GetConnection", json={"ErpConnectionId": 5})
    assert refused.status_code == 400
    body = refused.json()
    assert body["ErrorType"] == "ErpSyncRefusal"
    assert body["Message"] == body["Error"] == "The ERP connection 5 does not exist"
    assert body["Source"] == "ErpSync.GetConnection"
    assert body["Data"] == {"Reasons": [], "ErrorCode": "ErrorNotFound"}


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "needle"),
    [
        ("POST", AGENT + "NoSuchMethod", {}, 404, "has no method 'NoSuchMethod'"),
        ("POST", "/api/v1/Agents/Other/GetAllConnectors", {}, 404, "No such resource"),
        ("GET", AGENT + "GetAllConnectors", None, 405, "only answers POST"),
        ("POST", AGENT + "GetConnection", {}, 400, "missing parameter 'ErpConnectionId'"),
        ("POST", AGENT + "GetConnection", {"ErpConnectionId": "x"}, 400, "'ErpConnectionId' is not valid"),
        (
            "POST",
            AGENT + "GetActorTypeMapping",
            {"ErpConnectionId": 1, "ActorType": "Alien"},
            400,
            "ActorType",
        ),
    ],
)
def test_bad_requests_get_located_json_errors(
    client: httpx.Client, method: str, path: str, body: object, status: int, needle: str
) -> None:
    response = client.request(method, path, json=body)
    assert response.status_code == status
    assert set(response.json()) == ERROR_KEYS
    assert needle in response.json()["Message"]


def test_malformed_json_is_a_bad_request(client: httpx.Client) -> None:
    response = client.post(AGENT + "GetConnection", content=b"{not json")
    assert response.status_code == 400 and response.json()["ErrorType"] == "BadRequest"


def test_fault_before_leaves_the_tenant_untouched(
    client: httpx.Client, tenant: Tenant, faults: FaultPlan
) -> None:
    before = dump(tenant)
    faults.kinds, faults.fail_rate, faults.enabled = (FaultKind.ERROR_BEFORE,), 1.0, True
    response = client.post(
        AGENT + "SaveErpSyncConnectorEntity", json={"Entity": {"DisplayName": "a", "URL": "b"}}
    )
    assert response.status_code == 503
    assert dump(tenant) == before


@pytest.mark.parametrize("kind", [FaultKind.ERROR_AFTER, FaultKind.DROP_AFTER, FaultKind.STALL_AFTER])
def test_faults_after_commit_keep_the_write(
    client: httpx.Client, tenant: Tenant, faults: FaultPlan, kind: FaultKind
) -> None:
    faults.kinds, faults.fail_rate, faults.enabled = (kind,), 1.0, True
    body = {"Entity": {"DisplayName": "a", "URL": "plugin://demo"}}
    if kind is FaultKind.ERROR_AFTER:
        assert client.post(AGENT + "SaveErpSyncConnectorEntity", json=body).status_code == 500
    elif kind is FaultKind.DROP_AFTER:
        with pytest.raises(httpx.RemoteProtocolError):
            client.post(AGENT + "SaveErpSyncConnectorEntity", json=body)
    else:
        with pytest.raises(httpx.ReadTimeout):
            client.post(AGENT + "SaveErpSyncConnectorEntity", json=body, timeout=httpx.Timeout(5, read=0.1))
    assert [c.name for c in InProcessAgent(tenant).get_all_connectors()] == ["a"]
    assert faults.counts == {kind: 1}


def test_faults_follow_the_seed(tenant: Tenant) -> None:
    def run() -> list[FaultKind | None]:
        plan = FaultPlan(fail_rate=0.4, seed=11)
        return [plan.draw("GetAllConnectors") for _ in range(50)]

    first, second = run(), run()
    assert first == second
    assert 5 < sum(1 for k in first if k) < 35
    assert FaultPlan(fail_rate=1.0, methods={"A"}).draw("B") is None
    with pytest.raises(ValueError, match="between 0 and 1"):
        FaultPlan(fail_rate=1.5)


def test_with_latency_each_request_logs_one_line_without_secrets(
    tenant: Tenant, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="syncspec.emulator")
    agent = InProcessAgent(tenant)
    agent.save_erp_sync_connector_entity(ErpSyncConnectorEntity(display_name="demo-erp", URL="plugin://demo"))
    config = {"server": "https://e", "client": "1001", "user": "sync", "password": "demo-password"}
    with (
        serve_in_thread(tenant, token=TOKEN, latency_ms=30) as url,
        httpx.Client(base_url=url, headers={"Authorization": f"Bearer {TOKEN}"}) as c,
    ):
        c.post(
            AGENT + "SaveConnection",
            json={"Connection": {"ErpConnectorId": 1, "DisplayName": "x", "ConfigFields": config}},
        )
        c.post(AGENT + "GetConnection", json={"ErpConnectionId": 1})
        c.post(AGENT + "Bad%0AName", json={})  # a newline must not reach the log
    lines = [r.getMessage() for r in caplog.records if r.name == "syncspec.emulator"]
    assert len(lines) == 3
    assert lines[0].startswith("SaveConnection 200 ") and lines[1].startswith("GetConnection 200 ")
    assert lines[2].startswith("? 404 ")
    assert all(re.fullmatch(r"\S+ \d+ \d+\.\dms", line) for line in lines)  # method, status, ms; no more
    assert "demo-password" not in caplog.text and TOKEN not in caplog.text


def test_command_binds_loopback_prints_the_url_and_stops_on_sigterm(tmp_path: Path) -> None:
    env = {**os.environ, "SYNCSPEC_EMULATOR_TOKEN": TOKEN}
    code = "from syncspec.cli.emulator_cmd import emulator; emulator.main(standalone_mode=True)"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "--db", str(tmp_path / "e.db"), "--latency-ms", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert "serving" in first and " at http://127.0.0.1:" in first
        url = first.rsplit(" ", 1)[-1].strip()
        response = httpx.get(
            url + "/api/v1/MDOList/usergroup", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10
        )
        assert response.status_code == 200 and response.json()
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert "emulator stopped" in out
    assert "MDOList/usergroup 200" in err
    assert TOKEN not in out + err
    assert (tmp_path / "e.db").is_file()


def test_command_refuses_a_busy_port_clearly(tmp_path: Path) -> None:
    import socket

    from syncspec.cli.emulator_cmd import EmulatorOptions, run_emulator_command
    from syncspec.model.errors import TargetError

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        options = EmulatorOptions("127.0.0.1", port, tmp_path / "e.db", None, 0, 0, None, 1)
        with pytest.raises(TargetError, match=f"cannot listen on 127.0.0.1:{port}"):
            run_emulator_command(options, out=sys.stdout, err=sys.stderr)
