"""The plan file: canonical JSON (sorted keys, 2-space indent, trailing newline) and back.

`write_plan` is deterministic: the same Plan (and key) always gives the same bytes, which is
what makes "same inputs -> byte-identical plan" testable and plan files diffable.

`read_plan` trusts nothing in the file: the plan id must be the digest of everything else in
it (so an edited plan is not applied as if it had been reviewed), a signature is checked when
a key is given, and every step's data must have the shape the applier expects.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from syncspec.model.applied import JsonValue
from syncspec.model.errors import PlanError
from syncspec.plan.model import (
    READABLE_VERSIONS,
    Action,
    Change,
    ChangeKind,
    Plan,
    Reason,
    ReasonKind,
    Step,
    StepKind,
    Summary,
    Unmanaged,
)
from syncspec.plan.ops import step_of
from syncspec.plan.signing import check_signature, sign
from syncspec.plan.step_data import step_data_problem

# Fields of the file that are not part of the content the plan id digests.
_NOT_DIGESTED = ("plan_id", "signature")


def canonical_json(value: object) -> str:
    """Compact, key-sorted JSON: the input of every fingerprint."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_of(value: object) -> str:
    return "sha256:" + hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


def change_to_dict(change: Change) -> dict[str, JsonValue]:
    return {
        "address": change.address,
        "action": change.action.value,
        "kind": change.kind.value,
        "connection": change.connection,
        "before": dict(change.before),
        "after": dict(change.after),
        "unchanged": change.unchanged,
        "reason": {"kind": change.reason.kind.value, "location": change.reason.location},
        "risk": change.risk,
        "sensitive": list(change.sensitive),
        "moves": change.moves,
        "known_after_create": change.known_after_create,
        **({"labels": dict(change.labels)} if change.labels else {}),
    }


def step_to_dict(step: Step) -> dict[str, JsonValue]:
    return {
        "kind": step.kind.value,
        "connection": step.connection,
        "addresses": list(step.addresses),
        "data": dict(step.data),
    }


def plan_body(plan: Plan) -> dict[str, JsonValue]:
    """The plan document without its id (the id is the digest of this body).

    The summary is counted from the changes, not copied from `plan.summary`: a file whose
    summary miscounts its changes then fails the id check instead of misleading a reviewer.
    """
    counts = {action.value: 0 for action in Action}
    for change in plan.changes:
        counts[change.action.value] += 1
    return {
        "format_version": plan.format_version,
        "syncspec_version": plan.syncspec_version,
        "environment": plan.environment,
        "target": plan.target,
        "created_at": plan.created_at,
        "expires_at": plan.expires_at,
        "metadata_digest": plan.metadata_digest,
        "partial": plan.partial,
        "only": list(plan.only),
        "summary": dict[str, JsonValue](counts),
        "changes": [change_to_dict(c) for c in plan.changes],
        "steps": [step_to_dict(s) for s in plan.steps],
        "fingerprints": dict(plan.fingerprints),
        "notes": list(plan.notes),
        "unmanaged": [{"address": u.address, "hint": u.hint} for u in plan.unmanaged],
        **({"unverified_secrets": list(plan.unverified_secrets)} if plan.format_version >= 2 else {}),
        # only when there are any: plans without such values read and digest as before
        **({"env_secrets": list(plan.env_secrets)} if plan.env_secrets else {}),
    }


def plan_id_of(plan: Plan) -> str:
    """The id a plan must carry: the digest of everything apply acts on and reviewers read."""
    return sha256_of(plan_body(plan))


def plan_to_dict(plan: Plan) -> dict[str, JsonValue]:
    body = plan_body(plan)
    body["plan_id"] = plan.plan_id
    return body


def write_plan(plan: Plan, key: bytes | None = None) -> str:
    """The plan file; signed (an HMAC of the plan id) when a key is given."""
    document = plan_to_dict(plan)
    if key is not None:
        document["signature"] = sign(plan.plan_id, key)
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def read_plan(text: str, key: bytes | None = None, *, unverified_ok: bool = False) -> Plan:
    """Parse and verify a plan file; any problem is a PlanError that says what and where.

    With `key`, the file must carry a matching signature; without one, a signed file is
    refused unless `unverified_ok` (see `signing.check_signature`).
    """
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanError(
            f"the plan file is not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        ) from exc
    if not isinstance(document, dict):
        raise PlanError("the plan file must hold a JSON object")
    version = document.get("format_version")
    if version not in READABLE_VERSIONS or isinstance(version, bool):
        readable = ", ".join(map(str, READABLE_VERSIONS))
        raise PlanError(
            f"unsupported plan format_version {version!r} (this syncspec reads {readable})",
            hint="make the plan again with this version of syncspec",
        )
    _check_id(document)
    check_signature(document["plan_id"], document.get("signature"), key, unverified_ok=unverified_ok)
    try:
        plan = _plan_from_dict(document)
    except (KeyError, TypeError, ValueError) as exc:
        raise PlanError(f"the plan file is malformed: {_describe(exc)}") from exc
    if plan_id_of(plan) != plan.plan_id:
        # Re-digested by hand, with a field the plan does not carry or one contradicting
        # another (`partial` without `only`, a summary that miscounts the changes).
        raise PlanError(
            "the plan file was changed after it was made: it is not what syncspec writes for its content",
            hint="make the plan again with 'syncspec plan --out FILE'; never edit a plan file",
        )
    return plan


def _check_id(document: Mapping[str, Any]) -> None:
    """The plan id must be the digest of the file's content: any edit after `plan` breaks it."""
    plan_id = document.get("plan_id")
    if not isinstance(plan_id, str):
        raise PlanError("the plan file is malformed: missing field 'plan_id'")
    content = {k: v for k, v in document.items() if k not in _NOT_DIGESTED}
    if sha256_of(content) != plan_id:
        raise PlanError(
            "the plan file was changed after it was made: its content does not match its plan_id",
            hint="make the plan again with 'syncspec plan --out FILE'; never edit a plan file",
        )


def _describe(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing field {exc.args[0]!r}"
    return str(exc)


def _plan_from_dict(d: Mapping[str, Any]) -> Plan:
    summary = d["summary"]
    version = _int(d["format_version"])
    return Plan(
        plan_id=_str(d["plan_id"]),
        syncspec_version=_str(d["syncspec_version"]),
        environment=_str(d["environment"]),
        target=_str(d["target"]),
        created_at=_str(d["created_at"]),
        expires_at=_str(d["expires_at"]),
        metadata_digest=_str(d["metadata_digest"]),
        changes=tuple(_change_from_dict(c) for c in _list(d["changes"])),
        steps=tuple(_step_from_dict(s, version) for s in _list(d["steps"])),
        fingerprints={_str(k): _str(v) for k, v in _dict(d["fingerprints"]).items()},
        notes=tuple(_str(n) for n in _list(d["notes"])),
        unmanaged=tuple(Unmanaged(_str(u["address"]), _str(u["hint"])) for u in _list(d["unmanaged"])),
        only=tuple(_str(o) for o in _list(d["only"])),
        summary=Summary(**{action.value: _int(summary[action.value]) for action in Action}),
        unverified_secrets=tuple(_str(a) for a in _list(d.get("unverified_secrets", []))),
        env_secrets=tuple(_str(a) for a in _list(d.get("env_secrets", []))),
        format_version=version,
    )


def _change_from_dict(d: Mapping[str, Any]) -> Change:
    reason = _dict(d["reason"])
    return Change(
        address=_str(d["address"]),
        action=Action(d["action"]),
        kind=ChangeKind(_str(d["kind"])),
        connection=_str(d["connection"]),
        before=_dict(d["before"]),
        after=_dict(d["after"]),
        unchanged=_int(d["unchanged"]),
        reason=Reason(ReasonKind(reason["kind"]), _str(reason["location"])),
        risk=_str(d["risk"]),
        sensitive=tuple(_str(s) for s in _list(d["sensitive"])),
        moves=_int(d["moves"]),
        known_after_create=bool(d["known_after_create"]),
        labels={str(k): str(v) for k, v in (d.get("labels") or {}).items()},
    )


def _step_from_dict(d: Mapping[str, Any], version: int) -> Step:
    kind = StepKind(d["kind"])
    connection = _str(d["connection"])
    addresses = tuple(_str(a) for a in _list(d["addresses"]))
    data = _dict(d["data"])
    # From version 3 a step's data is exactly its operation's fields; before, a field the
    # applier did not read was carried (and digested) but never used.
    problem = step_data_problem(kind, data, exact=version >= 3)
    if problem:
        where = ", ".join(addresses) or connection or "tenant-wide"
        raise ValueError(f"step {kind.value} ({where}): {problem}")
    return step_of(kind, connection, addresses, data)


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {value!r}")
    return value


def _int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"expected an integer, got {value!r}")
    return value


def _list(value: object) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError(f"expected a list, got {type(value).__name__}")
    return value


def _dict(value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"expected an object, got {type(value).__name__}")
    return value
