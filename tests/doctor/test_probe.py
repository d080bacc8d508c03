"""The HTTP side: headers, bounded reads, failures as answers, no secret in anything it hands back."""

from __future__ import annotations

import json
import ssl

import httpx
import pytest

from syncspec.doctor import wire
from syncspec.doctor.probe import Probe, ProbeSettings, read_only_hook
from syncspec.doctor.wire import NotReadOnly
from syncspec.model.errors import TargetError
from syncspec.model.redact import MASK
from tests.doctor.tenants import BASE, TOKEN

APP_TOKEN = "doctor-app-token-5512"


def probe_answering(
    handler: httpx.MockTransport | None = None, **settings: object
) -> tuple[Probe, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[])

    transport = handler or httpx.MockTransport(record)
    return Probe(ProbeSettings(BASE, **settings), transport=transport), seen  # type: ignore[arg-type]


def test_documented_headers_and_no_body_where_none_is_documented() -> None:
    probe, seen = probe_answering(token=TOKEN, app_token=APP_TOKEN)
    probe.send(wire.get_all_connectors())
    probe.send(wire.get_connection(5))
    no_body, with_body = seen
    assert no_body.headers["authorization"] == f"Bearer {TOKEN}"
    assert no_body.headers["so-apptoken"] == APP_TOKEN
    assert no_body.headers["accept"] == "application/json"
    assert no_body.content == b"" and "content-type" not in no_body.headers
    assert with_body.headers["content-type"] == "application/json"
    assert json.loads(with_body.content) == {"ErpConnectionId": 5}
    assert str(with_body.url) == f"{BASE}/api/v1/Agents/ErpSync/GetConnection"


def test_query_parameters_are_sent_in_the_query_string() -> None:
    probe, seen = probe_answering()
    probe.send(wire.get_connector_entity(794))
    probe.send(wire.archive_erp_fields(152, top=10))
    assert seen[0].url.params["erpSyncConnectorEntityId"] == "794"
    assert seen[1].url.params["$filter"] == "ConnectionId eq 152" and seen[1].url.params["$top"] == "10"


def test_a_forged_write_is_refused_before_anything_is_sent() -> None:
    probe, seen = probe_answering()
    forged = wire.get_connection(5)
    object.__setattr__(forged, "path", "/api/v1/Agents/ErpSync/SaveConnection")
    with pytest.raises(NotReadOnly):
        probe.send(forged)
    assert seen == [] and probe.sent == 0


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("POST", f"{BASE}/api/v1/Agents/ErpSync/SaveConnection"),
        ("POST", f"{BASE}/api/v1/Agents/ErpSync/TestConnectionById"),
        ("GET", f"{BASE}/api/v1/Agents/ErpSync/GetConnection"),
        ("POST", "http://127.0.0.1:9/Other/api/v1/Agents/ErpSync/GetConnection"),
        ("PATCH", f"{BASE}/api/v1/MDOList/associate"),
    ],
)
def test_the_last_check_on_the_wire_refuses_anything_but_the_reads(method: str, url: str) -> None:
    guard = read_only_hook("/Cust1")
    guard(httpx.Request("POST", f"{BASE}/api/v1/Agents/ErpSync/GetConnection"))
    guard(httpx.Request("GET", f"{BASE}/api/v1/MDOList/associate"))
    with pytest.raises(NotReadOnly):
        guard(httpx.Request(method, url))


@pytest.mark.parametrize(
    ("error", "failure"),
    [
        (httpx.ConnectTimeout("slow"), "could not connect within 5 s"),
        (httpx.ReadTimeout("slow"), "no answer within 20 s"),
        (
            httpx.ConnectError("[Errno 111] Connection refused"),
            "could not connect: [Errno 111] Connection refused",
        ),
        (httpx.RemoteProtocolError("closed"), "the connection failed (RemoteProtocolError)"),
    ],
)
def test_transport_failures_are_answers_not_exceptions(error: Exception, failure: str) -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise error

    probe, _ = probe_answering(httpx.MockTransport(fail))
    answer = probe.send(wire.get_all_connectors())
    assert (answer.status, answer.failure) == (None, failure)


def test_an_untrusted_certificate_says_so() -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("TLS") from ssl.SSLCertVerificationError("CERTIFICATE_VERIFY_FAILED")

    probe, _ = probe_answering(httpx.MockTransport(fail))
    assert "TLS certificate is not trusted" in probe.send(wire.get_all_connectors()).failure


def test_an_answer_larger_than_the_cap_is_not_read() -> None:
    big = httpx.MockTransport(lambda r: httpx.Response(200, json=[{"Id": n} for n in range(1000)]))
    probe, _ = probe_answering(big, max_bytes=1000)
    answer = probe.send(wire.mdo_list("associate"))
    assert (
        answer.truncated and answer.failure == "the answer is larger than 1000 bytes, more than doctor reads"
    )


def test_secrets_echoed_by_the_tenant_are_blanked() -> None:
    echo = httpx.MockTransport(
        lambda r: httpx.Response(400, json={"Message": f"bad token {TOKEN} / {APP_TOKEN}"})
    )
    probe, _ = probe_answering(echo, token=TOKEN, app_token=APP_TOKEN)
    answer = probe.send(wire.get_all_connectors())
    assert answer.body == {"Message": f"bad token {MASK} / {MASK}"}
    assert TOKEN not in repr(probe) + repr(probe.settings)


@pytest.mark.parametrize(
    ("response", "has_body", "failure"),
    [
        (httpx.Response(204), False, ""),
        (httpx.Response(200, content=b"null"), True, ""),
        (httpx.Response(200, content=b"<html>sign in</html>"), True, "the answer is not JSON"),
    ],
)
def test_empty_null_and_non_json_answers(response: httpx.Response, has_body: bool, failure: str) -> None:
    probe, _ = probe_answering(httpx.MockTransport(lambda r: response))
    answer = probe.send(wire.get_all_connectors())
    assert (answer.has_body, answer.body, answer.failure) == (has_body, None, failure)


def test_redirects_are_not_followed() -> None:
    seen: list[httpx.Request] = []

    def redirect(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(302, headers={"Location": "http://127.0.0.1:9/login"})

    probe, _ = probe_answering(httpx.MockTransport(redirect))
    assert probe.send(wire.get_all_connectors()).status == 302
    assert len(seen) == 1


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"base_url": "ftp://127.0.0.1/x"}, "must be an http(s) URL"),
        ({"base_url": BASE, "token": "bad\ntoken"}, "token contains characters an HTTP header cannot carry"),
    ],
)
def test_bad_settings_are_clear_errors_without_the_secret(settings: dict[str, str], message: str) -> None:
    with pytest.raises(TargetError) as caught:
        Probe(ProbeSettings(**settings))  # type: ignore[arg-type]
    assert message in caught.value.message and "bad\ntoken" not in caught.value.message
