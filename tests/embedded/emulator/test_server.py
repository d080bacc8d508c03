"""The emulator over raw HTTP: SuperOffice's documented forms and errors, faults, limits, log, clean stop."""

from __future__ import annotations

import logging
import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from syncspec.embedded.emulator import server
from syncspec.embedded.emulator.server import serve_in_thread
from syncspec.embedded.tenant import InProcessAgent, Tenant, dump
from syncspec.embedded.tenant.faults import FaultKind, FaultPlan
from syncspec.targets.carriers import ErpSyncConnectorEntity

TOKEN = "server-test-token-41"
AGENT = "/api/v1/Agents/ErpSync/"
ERROR_KEYS = {"Message", "MessageDetail"}  # the Agents WebAPI's documented error object
ENTITY = {"ErpConnectorId": 0, "DisplayName": "a", "URL": "plugin://demo", "Deleted": False}


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
        response = httpx.post(f"{client.base_url}{AGENT}GetAllConnectors", headers=auth)
        assert response.status_code == 401
        assert set(response.json()) == ERROR_KEYS
    ticket = {"Authorization": f"SOTicket {TOKEN}"}
    assert httpx.post(f"{client.base_url}{AGENT}GetAllConnectors", headers=ticket).status_code == 200


def test_answers_have_superoffice_shapes(client: httpx.Client, tenant: Tenant) -> None:
    # SaveErpSyncConnectorEntity: the body is the entity (the method page's sample request).
    saved = client.post(AGENT + "SaveErpSyncConnectorEntity", json={**ENTITY, "DisplayName": "demo"})
    assert saved.status_code == 200
    assert saved.json()["ErpConnectorId"] == 1 and saved.json()["URL"] == "plugin://demo"
    # Get and Delete take the id in the query string, spelled as each page spells it.
    got = client.post(AGENT + "GetErpSyncConnectorEntity", params={"erpSyncConnectorEntityId": 1})
    assert got.status_code == 200 and got.json()["DisplayName"] == "demo"
    deleted = client.post(AGENT + "DeleteErpSyncConnectorEntity", params={"ErpSyncConnectorEntityId": 1})
    assert (deleted.status_code, deleted.content) == (204, b"")
    # A refusal by the tenant's rules: 200 with the error object, nothing else.
    refused = client.post(AGENT + "GetConnection", json={"ErpConnectionId": 5})
    assert refused.status_code == 200
    assert refused.json() == {"Message": "The ERP connection 5 does not exist", "MessageDetail": ""}


def test_the_old_parameter_forms_are_refused_as_superoffice_would(
    client: httpx.Client, tenant: Tenant
) -> None:
    before = dump(tenant)
    wrapped = client.post(AGENT + "SaveErpSyncConnectorEntity", json={"Entity": ENTITY})
    in_body = client.post(AGENT + "GetErpSyncConnectorEntity", json={"ErpSyncConnectorEntityId": 1})
    for response, parameter in ((wrapped, "ErpConnectorId"), (in_body, "erpSyncConnectorEntityId")):
        assert response.status_code == 200  # the documented answer to a missing parameter
        assert response.json()["Message"] == "The request is invalid."
        assert parameter in response.json()["MessageDetail"]
    assert dump(tenant) == before


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "needle"),
    [
        ("POST", AGENT + "NoSuchMethod", {}, 404, "has no method 'NoSuchMethod'"),
        ("POST", "/api/v1/Agents/Other/GetAllConnectors", {}, 404, "No such resource"),
        ("GET", AGENT + "GetAllConnectors", None, 405, "only answers POST"),
        ("POST", AGENT + "GetConnection", {}, 200, "null entry for parameter 'ErpConnectionId'"),
        ("POST", AGENT + "GetConnection", {"ErpConnectionId": "x"}, 400, "'ErpConnectionId' is not valid"),
        ("POST", AGENT + "GetConnection", {"ErpConnectionId": 1, "Id": 2}, 400, "Unknown parameter 'Id'"),
        ("POST", AGENT + "GetConnection", {"ErpConnectionId": 2**31}, 400, "out of range"),
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
    assert needle in response.json()["Message"] + response.json()["MessageDetail"]


def test_malformed_and_deep_json_are_bad_requests_without_a_traceback(
    client: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    deep = b'{"ErpConnectionId":' + b"[" * 50_000 + b"]" * 50_000 + b"}"
    huge = b'{"ErpConnectionId":' + b"9" * 5000 + b"}"  # past Python's int parsing limit
    for raw in (b"{not json", deep, huge):
        response = client.post(AGENT + "GetConnection", content=raw)
        assert response.status_code == 400 and set(response.json()) == ERROR_KEYS
    assert "Traceback" not in caplog.text and "RecursionError" not in caplog.text


def test_a_body_over_the_limit_is_refused(client: httpx.Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server, "MAX_BODY_BYTES", 1024)
    response = client.post(AGENT + "GetConnection", content=b" " * 2048 + b'{"ErpConnectionId": 1}')
    assert response.status_code == 413 and set(response.json()) == ERROR_KEYS


def test_request_headers_that_trickle_in_are_cut_off(
    client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server._GuardedH11, "header_timeout", 0.2)
    host, port = str(client.base_url.host), int(client.base_url.port or 0)
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(b"POST " + AGENT.encode() + b"GetAllConnectors HTTP/1.1\r\nHost: x\r\n")
        # never finish the headers: the server must close the connection by itself
        assert sock.recv(1024) == b""
    # the server still serves others
    assert client.post(AGENT + "GetAllConnectors").status_code == 200


def test_fault_before_leaves_the_tenant_untouched(
    client: httpx.Client, tenant: Tenant, faults: FaultPlan
) -> None:
    before = dump(tenant)
    faults.kinds, faults.fail_rate, faults.enabled = (FaultKind.ERROR_BEFORE,), 1.0, True
    response = client.post(AGENT + "SaveErpSyncConnectorEntity", json=ENTITY)
    assert response.status_code == 503 and set(response.json()) == ERROR_KEYS
    assert dump(tenant) == before


@pytest.mark.parametrize("kind", [FaultKind.ERROR_AFTER, FaultKind.DROP_AFTER, FaultKind.STALL_AFTER])
def test_faults_after_commit_keep_the_write(
    client: httpx.Client, tenant: Tenant, faults: FaultPlan, kind: FaultKind
) -> None:
    faults.kinds, faults.fail_rate, faults.enabled = (kind,), 1.0, True
    body = ENTITY
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
            json={
                "Connection": {
                    "ErpConnectionId": 0,
                    "ErpConnectorId": 1,
                    "DisplayName": "x",
                    "ConfigFields": config,
                }
            },
        )
        c.post(AGENT + "GetConnection", json={"ErpConnectionId": 1})
        c.post(AGENT + "Bad%0AName")  # a newline must not reach the log
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
        # announced only once it listens: the very first request gets through
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

    from syncspec.model.errors import TargetError
    from syncspec.workspace.emulator import EmulatorOptions, run_emulator_command

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        options = EmulatorOptions("127.0.0.1", port, tmp_path / "e.db", None, 0, 0, None, 1)
        with pytest.raises(TargetError, match=f"cannot listen on 127.0.0.1:{port}"):
            run_emulator_command(options, out=sys.stdout, err=sys.stderr)
