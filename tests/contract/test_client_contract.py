"""RestAgent against SuperOffice's documented requests and answers (tests/contract/cases).

Each case's call is made on a real `RestAgent` whose transport answers as the documentation
says: the case's own answer for its endpoint, and the documented answer of any other endpoint
the client reads on the way. The test checks the one request the case is about, that every
request sent is to a documented endpoint, and what the client made of the answer.
"""

from __future__ import annotations

import inspect
import json
from typing import Any, get_type_hints

import httpx
import pytest
from pydantic import TypeAdapter

from syncspec.model import errors
from syncspec.targets.rest.agent import RestAgent
from syncspec.targets.rest.retry import RetryPolicy
from tests.contract.contract_cases import (
    Case,
    body_problems,
    carried_problems,
    endpoint_answers,
    load_cases,
    plain,
    query_problems,
)
from tests.contract.known_divergences import marks

CASES = load_cases()
ANSWERS = endpoint_answers(CASES)
BASE_URL = "http://127.0.0.1:9"  # never reached: the mock transport answers


def _answer(case: Case) -> httpx.Response:
    status, body = case.response["status"], case.response["body"]
    if status == 204:
        return httpx.Response(204)
    return httpx.Response(
        status, content=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )


class DocumentedTenant:
    """A transport that answers each request with its endpoint's documented answer, and records it."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.sent: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.sent.append(request)
        endpoint = (request.method, request.url.path)
        if endpoint == self.case.endpoint:
            return _answer(self.case)
        documented = ANSWERS.get(endpoint)
        if documented is None:
            return httpx.Response(
                404, json={"Message": "No HTTP resource was found that matches the request URI"}
            )
        return _answer(documented)


def _arguments(method: Any, raw: dict[str, Any]) -> dict[str, Any]:
    """The case's JSON arguments as the Python values the method's signature asks for."""
    hints = get_type_hints(method)
    names = set(inspect.signature(method).parameters)
    unknown = set(raw) - names
    if unknown:
        pytest.fail(f"{method.__name__} takes no argument(s) {sorted(unknown)}")
    return {name: TypeAdapter(hints[name]).validate_python(value) for name, value in raw.items()}


def _sent(tenant: DocumentedTenant) -> str:
    return ", ".join(f"{r.method} {r.url.path}" for r in tenant.sent) or "nothing"


def _request_problems(case: Case, request: httpx.Request) -> list[str]:
    documented = case.request
    problems = query_problems(
        documented["query"], dict(request.url.params), set(documented.get("query_lists", []))
    )
    problems += body_problems(documented["body"], request.content)
    # Headers are checked only as far as every page's header table documents them.
    if "application/json" not in request.headers.get("Accept", ""):
        problems.append("Accept does not ask for application/json")
    if documented["body"] is not None and not request.headers.get("Content-Type", "").startswith(
        "application/json"
    ):
        problems.append("the body is not sent as Content-Type application/json")
    return problems


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id, marks=marks("client", c.id)) for c in CASES])
def test_client_sends_the_documented_request_and_reads_the_documented_answer(case: Case) -> None:
    tenant = DocumentedTenant(case)
    call = case.call
    with RestAgent(BASE_URL, transport=httpx.MockTransport(tenant), retries=RetryPolicy(attempts=1)) as agent:
        method = getattr(agent, call["method"], None)
        if method is None:
            pytest.fail(f"RestAgent has no method {call['method']} for {case.endpoint[0]} {case.endpoint[1]}")
        args = _arguments(method, call["args"])
        expect = case.expect
        if "raises" in expect:
            error_type = getattr(errors, expect["raises"])
            with pytest.raises(error_type) as info:
                method(**args)
            assert expect.get("message_contains", "") in info.value.message
            result_problems: list[str] = []
        else:
            try:
                result = method(**args)
            except errors.SyncspecError as exc:
                pytest.fail(f"raised {type(exc).__name__}: {exc.message}; sent: {_sent(tenant)}")
            result_problems = carried_problems(case.expected_result, plain(result))

    ours = [r for r in tenant.sent if (r.method, r.url.path) == case.endpoint]
    others = sorted(
        {f"{r.method} {r.url.path}" for r in tenant.sent if (r.method, r.url.path) not in ANSWERS}
    )
    assert not others, f"requests to endpoints with no documented case: {others}"
    assert len(ours) == 1, f"expected one {case.endpoint[0]} {case.endpoint[1]}, sent: {_sent(tenant)}"
    request_problems = _request_problems(case, ours[0])
    assert not request_problems, "; ".join(request_problems)
    assert not result_problems, "; ".join(result_problems)
