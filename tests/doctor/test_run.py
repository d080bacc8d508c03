"""doctor against documented mock tenants: each scenario of a first run against a real tenant."""

from __future__ import annotations

import json

import pytest

from syncspec.doctor.probe import Probe, ProbeSettings
from syncspec.doctor.render import render_json, render_text
from syncspec.doctor.report import Answered, Check, DoctorReport, Status
from syncspec.doctor.run import NEEDED_ENDPOINTS, Limits, run_doctor
from syncspec.doctor.wire import is_allowed
from tests.doctor.tenants import BASE, TOKEN, WRITE_METHODS, DocumentedTenant


def doctor(
    tenant: DocumentedTenant, *, token: str | None = TOKEN, limits: Limits | None = None
) -> DoctorReport:
    with Probe(ProbeSettings(BASE, token=token), transport=tenant.transport()) as probe:
        report = run_doctor(
            probe.send,
            environment="prod",
            target=probe.target,
            has_token=token is not None,
            limits=limits or Limits(),
        )
    _assert_read_only(tenant)
    return report


def _assert_read_only(tenant: DocumentedTenant) -> None:
    """The test that fails if doctor ever sends a write: every request of every scenario."""
    assert tenant.requests, "doctor sent nothing"
    assert not set(tenant.agent_methods()) & WRITE_METHODS
    for request in tenant.requests:
        assert is_allowed(request.method, request.url.path.removeprefix("/Cust1")), request.url


def check(report: DoctorReport, check_id: str) -> Check:
    return next(c for c in report.checks if c.id == check_id)


def failed(report: DoctorReport) -> list[str]:
    return [c.id for c in report.checks if c.status is Status.FAIL]


def test_a_tenant_answering_as_documented_passes_every_check() -> None:
    report = doctor(DocumentedTenant())
    assert report.ok, failed(report)
    for endpoint in (*NEEDED_ENDPOINTS, "MDOList.business"):
        assert check(report, endpoint).status is Status.OK, check(report, endpoint)
    assert {c.id for c in report.checks} >= {"reachable", "auth", "agent", "field-types", "value-encodings"}
    assert "category" not in {c.id.removeprefix("MDOList.") for c in report.checks}  # business is referred to


def test_agent_not_granted_to_the_app_fails_with_the_reason() -> None:
    report = doctor(DocumentedTenant(refuse_agent=403))
    assert not report.ok
    agent = check(report, "agent")
    assert agent.status is Status.FAIL
    assert "refused this app (HTTP 403)" in agent.detail
    assert "not available in SuperOffice Online by default" in agent.detail
    assert check(report, "auth").status is Status.OK  # the MDO lists still answer
    assert check(report, "MDOList.associate").status is Status.OK


def test_an_agent_answering_null_to_every_call_fails() -> None:
    report = doctor(DocumentedTenant(null_agent=True))
    agent = check(report, "agent")
    assert agent.status is Status.FAIL and "every ErpSync call answered NULL" in agent.detail
    assert "answered NULL" in check(report, "ErpSync.GetAllConnectors").detail
    assert check(report, "ErpSync.GetConnection").status is Status.SKIP


def test_refused_credentials_fail_auth_and_stop() -> None:
    tenant = DocumentedTenant()
    report = doctor(tenant, token="not-the-token")
    assert check(report, "auth").status is Status.FAIL
    assert "refused the credentials (401)" in check(report, "auth").detail
    assert len(tenant.requests) == 2  # one agent call, one MDO list: then it stops
    assert check(report, "ErpSync.GetConnection").status is Status.SKIP


@pytest.mark.parametrize(
    "endpoint", ["MDOList.crmfields", "Archive.ErpField", "ErpSync.GetErpSyncConnectionSummary"]
)
def test_one_missing_endpoint_fails_and_is_named(endpoint: str) -> None:
    report = doctor(DocumentedTenant(status_for={endpoint: 404}))
    assert failed(report) == [endpoint]
    assert "not found (404)" in check(report, endpoint).detail
    assert "ErpSync.GetConnection" not in failed(report)


def test_the_mappings_are_still_read_when_the_summary_is_missing() -> None:
    tenant = DocumentedTenant(status_for={"ErpSync.GetErpSyncConnectionSummary": 404})
    doctor(tenant)
    assert "GetActorTypeMapping" in tenant.agent_methods()  # actor types from the ErpField archive


@pytest.mark.parametrize(
    ("endpoint", "reshape", "needle"),
    [
        ("ErpSync.GetConnection", lambda b: {**b, "ConfigFields": ["timeout"]}, "ConfigFields is a list"),
        ("ErpSync.GetAllConnections", lambda b: {"Connections": b}, "documented as a list"),
        ("ErpSync.GetActorTypeMapping", lambda b: {**b, "IsActive": "true"}, "IsActive is a string"),
        (
            "MDOList.usergroup",
            lambda b: [{"Id": "1", "Name": "x", "Deleted": False, "ExtraInfo": ""}],
            "[0].Id",
        ),
        ("Archive.ErpField", lambda b: b["value"], "documented as an object"),
        ("ErpSync.GetCrmActorType", lambda b: {"Message": "Invalid actor"}, "error object: Invalid actor"),
    ],
)
def test_wrong_shapes_fail_and_say_where(endpoint: str, reshape: object, needle: str) -> None:
    report = doctor(DocumentedTenant(overrides={endpoint: reshape}))  # type: ignore[dict-item]
    assert endpoint in failed(report)
    assert needle in check(report, endpoint).detail


def test_encoded_and_plain_values_are_counted_never_shown() -> None:
    report = doctor(DocumentedTenant())
    forms = {(t.where, t.what): t.count for t in report.value_forms}
    assert forms[("config (Integer)", "[I:…]")] == 1
    assert forms[("config (Integer)", "plain integer")] == 1
    assert forms[("first-sync default (Date)", "[DT:…]")] == 1
    assert not any("Password" in where for where, _ in forms)
    encodings = check(report, "value-encodings")
    assert encodings.status is Status.WARN and "config (Integer): 1 plain integer" in encodings.detail
    text, data = render_text(report), render_json(report)
    assert "s3cret-erp-pass" not in text + data and TOKEN not in text + data
    masking = next(q for q in report.questions if q.id == "password-masking")
    assert (masking.status, masking.answer) == (Answered.SEEN, "a value (not shown) in 1")


def test_field_types_date_and_datetime_are_told_apart() -> None:
    report = doctor(DocumentedTenant())
    types = {(t.where, t.what): t.count for t in report.field_types}
    assert types[("GetActorTypeMapping", "Date")] == 1
    assert check(report, "field-types").status is Status.OK
    report = doctor(DocumentedTenant(customer_types=("Text", "Datetime", "List")))
    field_types = check(report, "field-types")
    assert field_types.status is Status.WARN and "Datetime (the connector-side name" in field_types.detail
    assert report.ok  # a warning, not a failure


@pytest.mark.parametrize(
    ("sent", "seen"), [(None, "null in 1"), ({}, "{} in 1"), ({"a": "b"}, "filled in 1")]
)
def test_what_get_all_connections_sends_as_config_fields_is_reported(sent: object, seen: str) -> None:
    report = doctor(DocumentedTenant(config_in_list=sent))
    question = next(q for q in report.questions if q.id == "config-fields-in-list")
    assert (question.status, question.answer) == (Answered.SEEN, seen)


def test_questions_only_a_write_could_settle_are_listed_as_such() -> None:
    report = doctor(DocumentedTenant())
    needs_write = {q.id for q in report.questions if q.status is Answered.NEEDS_WRITE}
    assert {"move-direction", "test-connection-id"} <= needs_write
    no_selection = next(q for q in report.questions if q.id == "no-selection")
    assert no_selection.answer == "CrmListItem null in 1"


def test_the_run_is_bounded_by_its_limits() -> None:
    tenant = DocumentedTenant(connections=40)
    report = doctor(tenant, limits=Limits(connections=2, default_values=1))
    assert tenant.agent_methods().count("GetConnection") == 2
    assert tenant.agent_methods().count("GetDefaultValueInfo") == 2
    assert (
        report.requests_sent == len(tenant.requests) <= Limits(connections=2, default_values=1).max_requests()
    )
    assert Limits().max_requests() == 80


def test_a_run_never_sends_more_than_its_limits_allow() -> None:
    tenant = DocumentedTenant(connections=10)
    report = doctor(tenant)
    assert len(tenant.requests) == report.requests_sent <= Limits().max_requests()


def test_json_output_has_the_documented_keys() -> None:
    data = json.loads(render_json(doctor(DocumentedTenant(status_for={"MDOList.crmfields": 404}))))
    assert set(data) == {
        "doctor", "environment", "target", "ok", "summary", "checks", "observations", "questions",
        "requests_sent", "limits",
    }  # fmt: skip
    assert data["ok"] is False and data["summary"]["fail"] == 1
    assert {"id", "group", "status", "detail", "calls"} == set(data["checks"][0])
    assert data["target"] == BASE
