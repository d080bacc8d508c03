"""Judging single answers and the connection checks, from answers alone."""

from __future__ import annotations

from typing import Any

import pytest

from syncspec.doctor import shapes, wire
from syncspec.doctor.checks import agent_availability, authentication, judge, reachability
from syncspec.doctor.report import Status
from syncspec.doctor.wire import Answer


def answer(status: int | None, body: Any = None, *, has_body: bool = True, failure: str = "") -> Answer:
    return Answer(wire.get_all_connectors(), status, body=body, has_body=has_body, failure=failure)


def mdo(status: int) -> Answer:
    return Answer(wire.mdo_list("associate"), status, body=[], has_body=True)


def connectors(body: Any) -> list[str]:
    return shapes.check_list(body, shapes.CONNECTOR_LIST_ITEM)


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        (
            answer(None, has_body=False, failure="could not connect: refused"),
            "no answer: could not connect: refused",
        ),
        (answer(401), "refused the credentials (401)"),
        (
            answer(400, {"Message": "Bad id", "ErrorType": "x"}),
            "refused the request as invalid (400): Bad id",
        ),
        (answer(400, ["no message"]), "answered HTTP 400"),
        (answer(404), "not found (404): the tenant has no such endpoint"),
        (answer(302), "redirected (302), not followed: check the URL (a sign-in page answers like this)"),
        (answer(503), "server error (503)"),
        (answer(429), "rate limited (429): try again later"),
        (answer(204, has_body=False), "answered 204 with no body, where the docs give a result"),
        (answer(200, None), "answered NULL: a failed call, per the Agents WebAPI page"),
        (answer(200, {"Message": "x " * 200}), "answered an error object: " + ("x " * 79).strip() + " x…"),
        (answer(200, [{"Id": 1, "Name": "a"}]), "not in the documented shape: [0].ToolTip is missing"),
        (answer(200, "text", failure="the answer is not JSON"), "the answer is not JSON"),
    ],
)
def test_answers_that_are_not_usable_say_why(given: Answer, reason: str) -> None:
    verdict = judge(given, connectors, key_properties=("Id",))
    assert (verdict.ok, verdict.reason) == (False, reason)


def test_a_documented_answer_is_usable() -> None:
    body = [{"Id": 1, "Name": "a", "ToolTip": None}]
    verdict = judge(answer(200, body), connectors)
    assert verdict.ok and verdict.body == body


def test_many_shape_problems_are_cut_short() -> None:
    verdict = judge(answer(200, [{}, {}]), connectors)
    assert verdict.reason.endswith("(and 3 more)")


def test_an_error_object_with_extra_keys_is_told_by_its_missing_properties() -> None:
    emulator_style = {"Error": "x", "ErrorType": "Refusal", "Message": "The connection 5 does not exist"}
    verdict = judge(answer(200, emulator_style), lambda b: [], key_properties=("ErpConnectionId",))
    assert verdict.reason == "answered an error object: The connection 5 does not exist"


def test_reachability() -> None:
    assert reachability(answer(None, failure="no answer within 20 s")).status is Status.FAIL
    assert reachability(answer(500)).status is Status.OK  # it answered, however badly


@pytest.mark.parametrize(
    ("agent", "lists", "has_token", "status", "needle"),
    [
        (answer(200, []), mdo(200), True, Status.OK, "accepted"),
        (answer(403), mdo(200), True, Status.OK, "accepted"),
        (answer(401), mdo(401), True, Status.FAIL, "refused the credentials (401) on every endpoint"),
        (answer(401), mdo(401), False, Status.FAIL, "the environment sets no token"),
        (answer(404), mdo(404), True, Status.SKIP, "(HTTP 404, HTTP 404); check the URL"),
        (
            answer(200, failure="the answer is not JSON"),
            Answer(wire.mdo_list("associate"), 200, has_body=True, failure="the answer is not JSON"),
            True,
            Status.SKIP,
            "(HTTP 200 (the answer is not JSON), HTTP 200 (the answer is not JSON))",
        ),
    ],
)
def test_authentication(agent: Answer, lists: Answer, has_token: bool, status: Status, needle: str) -> None:
    check = authentication(agent, lists, has_token=has_token)
    assert check.status is status and needle in check.detail


@pytest.mark.parametrize(
    ("answers", "lists", "status", "needle"),
    [
        ([answer(200, [])], mdo(200), Status.OK, "answered (1 call)"),
        ([answer(403), answer(403)], mdo(200), Status.FAIL, "not available in SuperOffice Online by default"),
        ([answer(401)], mdo(401), Status.SKIP, "authentication failed"),
        ([answer(404)], mdo(200), Status.FAIL, "no ErpSync agent at /api/v1/Agents/ErpSync/GetAllConnectors"),
        (
            [answer(200, None), answer(200, None)],
            mdo(200),
            Status.FAIL,
            "every ErpSync call answered NULL (2 calls)",
        ),
        ([answer(200, None), answer(200, [])], mdo(200), Status.OK, "answered (2 calls)"),
        ([answer(500)], mdo(200), Status.FAIL, "no ErpSync call succeeded: server error (500)"),
        (
            [answer(200, failure="the answer is not JSON")],
            mdo(200),
            Status.FAIL,
            "no ErpSync call succeeded: the answer is not JSON",
        ),
    ],
)
def test_agent_availability(answers: list[Answer], lists: Answer, status: Status, needle: str) -> None:
    check = agent_availability(answers, lists)
    assert check.status is status and needle in check.detail
