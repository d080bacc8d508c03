"""Contract cases from SuperOffice's documentation: loading them, and comparing answers with them.

A case file (tests/contract/cases/<id>.json) holds one documented request and its documented
answer, with the documentation page it comes from. See docs/contract.md for the format.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel

CASES_DIR = Path(__file__).resolve().parent / "cases"

# Every SuperOffice carrier answers these two; they describe rights, not data. syncspec's carriers
# drop them, and a client never sends them, so they are left out of every comparison.
CARRIER_METADATA = frozenset({"TableRight", "FieldProperties"})

# Objects whose keys are data (config field keys), not property names.
FREE_FORM_PROPERTIES = frozenset({"ConfigFields"})

ABSENT = "$absent"  # an emulator replacement that removes the property


@dataclass(frozen=True)
class Case:
    id: str
    data: dict[str, Any]

    @property
    def source(self) -> str:
        return str(self.data["source"])

    @property
    def request(self) -> dict[str, Any]:
        return dict(self.data["request"])

    @property
    def response(self) -> dict[str, Any]:
        return dict(self.data["response"])

    @property
    def endpoint(self) -> tuple[str, str]:
        return str(self.request["method"]), str(self.request["path"])

    @property
    def wire_method(self) -> str | None:
        value = self.data.get("wire_method")
        return None if value is None else str(value)

    @property
    def call(self) -> dict[str, Any]:
        return dict(self.data["call"])

    @property
    def expect(self) -> dict[str, Any]:
        return dict(self.data.get("expect", {}))

    @property
    def is_error(self) -> bool:
        return "raises" in self.expect

    @property
    def expected_result(self) -> Any:
        """The carrier values a client should hand back: the case's `result`, or the documented body."""
        if "result" in self.data:
            return self.data["result"]
        return self.response["body"]

    @property
    def emulator(self) -> dict[str, Any]:
        return dict(self.data.get("emulator", {}))


def load_cases() -> list[Case]:
    return [
        Case(path.name.removesuffix(".json"), json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(CASES_DIR.glob("*.json"))
    ]


def endpoint_answers(cases: list[Case]) -> dict[tuple[str, str], Case]:
    """For each documented endpoint, the case whose answer stands for it (a success, if there is one)."""
    answers: dict[tuple[str, str], Case] = {}
    for case in sorted(cases, key=lambda c: c.is_error):
        answers.setdefault(case.endpoint, case)
    return answers


# --- request parts ------------------------------------------------------------------------
def query_problems(documented: Mapping[str, str], sent: Mapping[str, str], lists: set[str]) -> list[str]:
    """Differences between the documented and the sent query string (names compared exactly)."""
    problems = []
    if set(documented) != set(sent):
        problems.append(f"query parameters {sorted(sent)} sent, {sorted(documented)} documented")
    for name in set(documented) & set(sent):
        want, got = str(documented[name]), sent[name]
        if name in lists:
            if _names(want) != _names(got):
                problems.append(
                    f"query {name}: {sorted(_names(got))} sent, {sorted(_names(want))} documented"
                )
        elif want != got:
            problems.append(f"query {name}={got!r} sent, {want!r} documented")
    return problems


def _names(value: str) -> set[str]:
    return {part.strip() for part in value.split(",") if part.strip()}


def body_problems(documented: Any, content: bytes) -> list[str]:
    """Differences between the documented body (None: no body) and the raw bytes sent."""
    if documented is None:
        return [] if not content else [f"a body was sent ({content[:80]!r}) where the page documents none"]
    if not content:
        return ["no body was sent where the page documents one"]
    try:
        sent = json.loads(content)
    except ValueError:
        return ["the body sent is not JSON"]
    return [f"body {problem}" for problem in value_problems(documented, sent)]


# --- values -------------------------------------------------------------------------------
def value_problems(expected: Any, actual: Any, where: str = "") -> list[str]:
    """Where `actual` differs from `expected`; objects must have exactly the expected keys."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where or '/'}: {type(actual).__name__} where an object is documented"]
        want = {k: v for k, v in expected.items() if k not in CARRIER_METADATA}
        problems = [f"{where}/{k}: documented, missing" for k in want if k not in actual]
        problems += [f"{where}/{k}: not documented" for k in actual if k not in want]
        for key in want.keys() & actual.keys():
            problems += value_problems(want[key], actual[key], f"{where}/{key}")
        return problems
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{where or '/'}: {_short(actual)} where {_short(expected)} is documented"]
        problems = []
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            problems += value_problems(e, a, f"{where}/{i}")
        return problems
    if type(expected) is not type(actual) or expected != actual:
        return [f"{where or '/'}: {actual!r} where {expected!r} is documented"]
    return []


def carried_problems(expected: Any, actual: Any, where: str = "") -> list[str]:
    """Where a parsed result fails to carry the documented values (extra carrier fields are allowed)."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where or '/'}: parsed as {_short(actual)}, an object is documented"]
        want = {k: v for k, v in expected.items() if k not in CARRIER_METADATA}
        problems = [f"{where}/{k}: documented, not carried" for k in want if k not in actual]
        for key in want.keys() & actual.keys():
            problems += carried_problems(want[key], actual[key], f"{where}/{key}")
        return problems
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{where or '/'}: parsed as {_short(actual)}, {_short(expected)} documented"]
        problems = []
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            problems += carried_problems(e, a, f"{where}/{i}")
        return problems
    if isinstance(actual, bool) and not isinstance(expected, bool) and expected in (0, 1):
        # An archive column documented as int that holds a flag (HasFirstSyncDefaultValue: 0/1)
        # may be carried as a boolean, as long as the value agrees.
        return (
            []
            if actual == bool(expected)
            else [f"{where or '/'}: parsed as {actual!r}, {expected!r} documented"]
        )
    if expected != actual or isinstance(expected, bool) != isinstance(actual, bool):
        return [f"{where or '/'}: parsed as {actual!r}, {expected!r} documented"]
    return []


def shape_problems(documented: Any, actual: Any, where: str = "", *, free_form: bool = False) -> list[str]:
    """Where `actual` has another shape than the documented sample: keys and JSON types, not values.

    A documented null says nothing about the type, so anything goes there. A list is checked
    element by element against the documented first element.
    """
    if documented is None:
        return []
    here = where or "/"
    if isinstance(documented, dict):
        if not isinstance(actual, dict):
            return [f"{here}: {_json_type(actual)} where an object is documented"]
        if free_form:
            return [
                f"{where}/{k}: {_json_type(v)} in a string map"
                for k, v in actual.items()
                if not isinstance(v, str)
            ]
        want = {k: v for k, v in documented.items() if k not in CARRIER_METADATA}
        got = {k: v for k, v in actual.items() if k not in CARRIER_METADATA}
        problems = [f"{where}/{k}: documented, missing" for k in want if k not in got]
        problems += [f"{where}/{k}: not documented" for k in got if k not in want]
        for key in want.keys() & got.keys():
            problems += shape_problems(
                want[key], got[key], f"{where}/{key}", free_form=key in FREE_FORM_PROPERTIES
            )
        return problems
    if isinstance(documented, list):
        if not isinstance(actual, list):
            return [f"{here}: {_json_type(actual)} where an array is documented"]
        if not documented:
            return []
        problems = []
        for i, item in enumerate(actual):
            # An element may take the shape of any documented element (one may show a null the other fills).
            tries = [shape_problems(d, item, f"{where}/{i}") for d in documented]
            if all(tries):
                problems += tries[0]
        return problems
    if _json_type(documented) != _json_type(actual):
        return [f"{here}: {_json_type(actual)} where {_json_type(documented)} is documented"]
    return []


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _short(value: Any) -> str:
    if isinstance(value, list):
        return f"an array of {len(value)}"
    return _json_type(value)


def plain(value: Any) -> Any:
    """A client's return value as JSON-like data: carriers by their wire names, enums by value."""
    if isinstance(value, BaseModel):
        return value.model_dump(by_alias=True, mode="json")
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


# --- emulator requests ----------------------------------------------------------------------
def with_replacements(
    request: dict[str, Any], replace: Mapping[str, Any], values: Mapping[str, Any]
) -> dict[str, Any]:
    """The request with each JSON pointer set to its value; "$name" values come from `values`."""
    out: dict[str, Any] = json.loads(json.dumps(request))
    for pointer, raw in replace.items():
        value = values[raw] if isinstance(raw, str) and raw.startswith("$") and raw != ABSENT else raw
        *parents, last = pointer.strip("/").split("/")
        node: Any = out
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if parents == ["query"]:
            value = str(value)
        if raw == ABSENT:
            del node[last]
        elif isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return out


def iter_replacement_names(cases: list[Case]) -> Iterator[str]:
    for case in cases:
        for raw in case.emulator.get("replace", {}).values():
            if isinstance(raw, str) and raw.startswith("$") and raw != ABSENT:
                yield raw
