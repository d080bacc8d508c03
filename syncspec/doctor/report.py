"""What doctor found: checks, observations of the tenant's data, open questions; and its JSON form.

A check `fail`s when something syncspec needs is missing or answers in a shape syncspec
cannot read; doctor exits 1 when any check fails. `skip` means the check could not run
(e.g. the tenant has no connection to read with); it does not fail the run, and the text
output lists it so nobody mistakes it for a pass.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

JSON_VERSION = 1


class Status(enum.StrEnum):
    OK = "ok"
    FAIL = "fail"
    WARN = "warn"
    SKIP = "skip"


class Group(enum.StrEnum):
    CONNECTION = "connection"  # reachability, auth, the agent
    ENDPOINT = "endpoint"  # one documented endpoint syncspec needs
    DATA = "data"  # what the tenant's data shows (field types, value encodings)


@dataclass(frozen=True)
class Check:
    id: str  # "reachable", "auth", "agent", or the endpoint: "ErpSync.GetConnection"
    group: Group
    status: Status
    detail: str  # one line; never a value from the tenant's data, never a secret
    calls: int = 0  # how many requests the check is made of

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "group": self.group.value,
            "status": self.status.value,
            "detail": self.detail,
            "calls": self.calls,
        }


@dataclass(frozen=True)
class Tally:
    """How often something was seen: `what` (e.g. a field type, a value form) in `where`."""

    where: str
    what: str
    count: int

    def to_json(self) -> dict[str, Any]:
        return {"where": self.where, "what": self.what, "count": self.count}


class Answered(enum.StrEnum):
    SEEN = "seen"  # the tenant's answers settle it; `answer` says what was seen
    NOT_SEEN = "not-seen"  # read-only could settle it, but the tenant had nothing to show
    NEEDS_WRITE = "needs-write"  # only a write (or an ERP call) could settle it; doctor never does


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    status: Answered
    answer: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "question": self.question, "status": self.status.value, "answer": self.answer}


@dataclass(frozen=True)
class DoctorReport:
    environment: str
    target: str  # the base URL without user info or query
    checks: tuple[Check, ...]
    field_types: tuple[Tally, ...] = ()
    value_forms: tuple[Tally, ...] = ()
    questions: tuple[Question, ...] = ()
    requests_sent: int = 0
    limits: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(c.status is Status.FAIL for c in self.checks)

    def count(self, status: Status) -> int:
        return sum(1 for c in self.checks if c.status is status)

    def to_json(self) -> dict[str, Any]:
        return {
            "doctor": JSON_VERSION,
            "environment": self.environment,
            "target": self.target,
            "ok": self.ok,
            "summary": {s.value: self.count(s) for s in Status},
            "checks": [c.to_json() for c in self.checks],
            "observations": {
                "field_types": [t.to_json() for t in self.field_types],
                "value_forms": [t.to_json() for t in self.value_forms],
            },
            "questions": [q.to_json() for q in self.questions],
            "requests_sent": self.requests_sent,
            "limits": dict(self.limits),
        }
