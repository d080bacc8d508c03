"""Keyed signatures of saved plans, for plans carried between CI jobs.

The plan id is a public digest: it catches a plan file edited by hand or damaged on the way,
but whoever edits a file can also compute a new id. A signature keyed with a secret that
only the plan and apply jobs hold (`SYNCSPEC_PLAN_KEY`) can not be recomputed that way. The
key is read from the environment of each run and never written anywhere.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from syncspec.model.errors import PlanError

KEY_VARIABLE = "SYNCSPEC_PLAN_KEY"
PREFIX = "hmac-sha256:"
MIN_KEY_LENGTH = 16


def plan_key(environ: Mapping[str, str]) -> bytes | None:
    """The signing key from the environment; None when the variable is not set at all.

    Set but empty (a CI secret that did not resolve) or too short is an error: silently
    dropping to unsigned plans is exactly what the key is there to prevent.
    """
    value = environ.get(KEY_VARIABLE)
    if value is None:
        return None
    if len(value) < MIN_KEY_LENGTH:
        state = "empty" if not value else f"only {len(value)} characters long"
        raise PlanError(
            f"{KEY_VARIABLE} is set but {state}",
            hint=f"use a random value of at least {MIN_KEY_LENGTH} characters, or unset it",
        )
    return value.encode("utf-8")


def sign(plan_id: str, key: bytes) -> str:
    """The signature of a plan: an HMAC of its id, which is itself a digest of all its content."""
    return PREFIX + hmac.new(key, plan_id.encode("utf-8"), hashlib.sha256).hexdigest()


def check_signature(plan_id: str, signature: object, key: bytes | None, *, unverified_ok: bool) -> None:
    """Refuse (PlanError) a plan whose signature is missing, wrong, or cannot be checked.

    `unverified_ok` lets a signed plan through when no key is set (for `show`, which only
    renders); `apply` refuses it, since nothing then proves where it came from.
    """
    if signature is not None and not isinstance(signature, str):
        raise PlanError("the plan file is malformed: signature must be a string")
    if key is None:
        if signature is not None and not unverified_ok:
            raise PlanError(
                f"the plan is signed, but {KEY_VARIABLE} is not set, so its signature cannot be checked",
                hint=f"set {KEY_VARIABLE} to the key the plan job used",
            )
        return
    if signature is None:
        raise PlanError(
            f"the plan is not signed, but {KEY_VARIABLE} is set: only signed plans are applied",
            hint=f"make the plan with 'syncspec plan --out FILE' and the same {KEY_VARIABLE}",
        )
    if not hmac.compare_digest(signature, sign(plan_id, key)):
        raise PlanError(
            "the plan's signature does not match: it was signed with another key or changed after signing",
            hint="make the plan again and do not edit the plan file",
        )
