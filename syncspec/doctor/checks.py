"""Judging answers: one answer against its documented shape, and the connection checks.

Pure functions of `wire.Answer` values. SuperOffice's Agents WebAPI page (E5) says the agents
do not answer HTTP errors for failed calls: a failed call answers NULL, and an invalid request
answers 200 or 400 with `{"Message", "MessageDetail"}`. Both are failures here, never data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from syncspec.doctor.report import Check, Group, Status
from syncspec.doctor.wire import Answer

Expect = Callable[[Any], list[str]]  # the shape problems of a body (empty: it fits)

PROBLEMS_SHOWN = 3
MESSAGE_CHARS = 160

ONLINE_HINT = (
    "the ErpSync agent is not available in SuperOffice Online by default: access must be requested "
    "when the app is registered; the tenant also needs the ERP sync licence"
)


@dataclass(frozen=True)
class Verdict:
    """One answer judged: `reason` is empty when it is usable, and then `body` is its JSON."""

    reason: str = ""
    body: Any = None

    @property
    def ok(self) -> bool:
        return not self.reason


def judge(answer: Answer, expect: Expect, *, key_properties: Sequence[str] = ()) -> Verdict:
    """Whether the answer is a success in the documented shape; if not, why, in one line.

    `key_properties` are the properties a real answer always has; an object with a `Message`
    and none of them is an error object, whatever else it carries.
    """
    if answer.status is None:
        return Verdict(f"no answer: {answer.failure}")
    if not 200 <= answer.status < 300:
        return Verdict(http_reason(answer))
    if answer.failure:
        return Verdict(answer.failure)
    if not answer.has_body:
        return Verdict(f"answered {answer.status} with no body, where the docs give a result")
    body = answer.body
    if body is None:
        return Verdict("answered NULL: a failed call, per the Agents WebAPI page")
    if is_error_object(body, key_properties):
        return Verdict(f"answered an error object: {error_message(body)}")
    problems = expect(body)
    if problems:
        shown = "; ".join(problems[:PROBLEMS_SHOWN])
        more = f" (and {len(problems) - PROBLEMS_SHOWN} more)" if len(problems) > PROBLEMS_SHOWN else ""
        return Verdict(f"not in the documented shape: {shown}{more}")
    return Verdict(body=body)


def http_reason(answer: Answer) -> str:
    status = answer.status
    if status == 400 and isinstance(answer.body, dict) and isinstance(answer.body.get("Message"), str):
        return f"refused the request as invalid (400): {error_message(answer.body)}"
    if status == 401:
        return "refused the credentials (401)"
    if status == 403:
        return "forbidden (403): the credentials may not use this endpoint"
    if status == 404:
        return "not found (404): the tenant has no such endpoint"
    if status == 405:
        return "method not allowed (405)"
    if status == 429:
        return "rate limited (429): try again later"
    if status is not None and 300 <= status < 400:
        return f"redirected ({status}), not followed: check the URL (a sign-in page answers like this)"
    if status is not None and status >= 500:
        return f"server error ({status})"
    return f"answered HTTP {status}"


def is_error_object(body: Any, key_properties: Sequence[str]) -> bool:
    if not isinstance(body, dict) or not isinstance(body.get("Message"), str):
        return False
    if set(body) <= {"Message", "MessageDetail"}:
        return True
    return bool(key_properties) and not any(k in body for k in key_properties)


def error_message(body: Any) -> str:
    """The tenant's Message, on one line and cut short (it is shown, so it is kept small)."""
    text = re.sub(r"\s+", " ", str(body.get("Message", ""))).strip()
    return text if len(text) <= MESSAGE_CHARS else text[: MESSAGE_CHARS - 1] + "…"


# --- the connection checks ----------------------------------------------------------------
def _succeeded(answer: Answer) -> bool:
    """A 2xx whose body could be read (a sign-in page answering 200 in HTML is no success)."""
    return answer.status is not None and 200 <= answer.status < 300 and not answer.failure


def _is_null(answer: Answer) -> bool:
    return _succeeded(answer) and answer.has_body and answer.body is None


def _brief(answer: Answer) -> str:
    return f"HTTP {answer.status}" + (f" ({answer.failure})" if answer.failure else "")


def _refused(answer: Answer) -> bool:
    return answer.status in (401, 403)


def reachability(first: Answer) -> Check:
    if first.status is None:
        return Check("reachable", Group.CONNECTION, Status.FAIL, f"no answer: {first.failure}", 1)
    return Check("reachable", Group.CONNECTION, Status.OK, f"the tenant answered (HTTP {first.status})", 1)


def authentication(agent_answer: Answer, list_answer: Answer, *, has_token: bool) -> Check:
    """From the first agent call and the first MDO list read (an endpoint outside the agent)."""
    if _succeeded(agent_answer) or _succeeded(list_answer):
        return Check("auth", Group.CONNECTION, Status.OK, "the credentials were accepted", 2)
    if _refused(agent_answer) and _refused(list_answer):
        reason = http_reason(list_answer)
        hint = (
            ": check the token (and app_token for SuperOffice Online)"
            if has_token
            else "; the environment sets no token"
        )
        return Check("auth", Group.CONNECTION, Status.FAIL, f"the tenant {reason} on every endpoint{hint}", 2)
    answers = ", ".join(_brief(a) for a in (agent_answer, list_answer))
    return Check(
        "auth",
        Group.CONNECTION,
        Status.SKIP,
        f"could not be told: no endpoint answered with success ({answers}); check the URL",
        2,
    )


def agent_availability(agent_answers: Sequence[Answer], list_answer: Answer) -> Check:
    """Whether the ErpSync agent serves this app, from every agent call that was made."""
    calls = len(agent_answers)
    answered = [a for a in agent_answers if a.status is not None]
    if not answered:
        return Check("agent", Group.CONNECTION, Status.SKIP, "not checked: the tenant did not answer", calls)
    first = answered[0]
    if _refused(first):
        if _succeeded(list_answer):
            detail = (
                f"the ErpSync agent refused this app (HTTP {first.status}) while the MDO lists answered: "
                f"{ONLINE_HINT}"
            )
            return Check("agent", Group.CONNECTION, Status.FAIL, detail, calls)
        return Check("agent", Group.CONNECTION, Status.SKIP, "not checked: authentication failed", calls)
    if first.status == 404:
        detail = f"no ErpSync agent at {first.request.path} (404): {ONLINE_HINT}"
        return Check("agent", Group.CONNECTION, Status.FAIL, detail, calls)
    successes = [a for a in answered if _succeeded(a)]
    if successes and all(_is_null(a) for a in successes):
        detail = (
            f"every ErpSync call answered NULL ({len(successes)} calls): the agent fails every call; "
            f"{ONLINE_HINT}"
        )
        return Check("agent", Group.CONNECTION, Status.FAIL, detail, calls)
    if not successes:
        detail = f"no ErpSync call succeeded: {first.failure or http_reason(first)}"
        return Check("agent", Group.CONNECTION, Status.FAIL, detail, calls)
    counted = "1 call" if calls == 1 else f"{calls} calls"
    return Check("agent", Group.CONNECTION, Status.OK, f"the ErpSync agent answered ({counted})", calls)
