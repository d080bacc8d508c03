"""The connector's own answer on every configuration a plan would save, before anyone approves.

TestConnectionByConfig saves nothing (it is the GUI's "Test ERP connection" on unsaved
values), so it runs at plan time: a value the connector refuses (`timeout: 9999`, an
unknown client, a wrong password) becomes a risky change that says so in the connector's
words, instead of a surprise half-way through an apply.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from syncspec.model.address import Address
from syncspec.model.errors import ApplyError
from syncspec.model.redact import scrub

if TYPE_CHECKING:
    from syncspec.model.live import LiveState
    from syncspec.plan.model import Plan, Step
    from syncspec.targets.base import Target

Secret = Callable[[str, str], str]
NO_REASON = (
    "the connector refuses this configuration (TestConnectionByConfig answers only "
    "true or false; SuperOffice's 'Test ERP connection' button shows why)"
)
WILL_FAIL = "; apply will fail at this connection and restore it"


def with_connector_answers(
    made: Plan, live: LiveState, target: Target, secret: Secret, note: Callable[[str], None]
) -> Plan:
    """`made` with a risk on each connection whose configuration the connector refuses."""
    from syncspec.plan.model import StepKind

    refused: dict[str, str] = {}
    for step in made.steps:
        if step.kind is StepKind.SAVE_CONNECTION:
            reason = _refusal(step, live, target, secret, note)
            if reason is not None:
                refused[str(Address.connection(step.connection))] = reason + WILL_FAIL
    return _with_risks(made, refused) if refused else made


def _refusal(
    step: Step, live: LiveState, target: Target, secret: Secret, note: Callable[[str], None]
) -> str | None:
    """Why the connector refuses the step's configuration; None when it accepts or cannot test it."""
    name, data = step.connection, step.data
    connector = live.connectors.get(str(data.get("connector", "")))
    if connector is None:
        note(
            f"{Address.connection(name)}: its connector is created by this plan, so the connector "
            "could not test the configuration yet; apply tests it before saving"
        )
        return None
    sensitive = _sensitive_keys(data)
    try:
        config = {**_plain_config(data, sensitive), **{key: secret(name, key) for key in sensitive}}
    except ApplyError as exc:
        note(f"{Address.connection(name)}: not tested by the connector: {exc.message}")
        return None
    existing = data.get("id")
    tested = existing if isinstance(existing, int) and existing > 0 and not data.get("create") else 0
    tested_id = tested or connector.id  # a new connection: through its connector (docs/rest.md)
    if target.test_config(tested_id, config):
        return None
    reason = _masked(target.config_refusal_reason(tested_id, config), config, sensitive)
    if not reason:
        return NO_REASON
    return f"the connector refuses this configuration (Test ERP connection failed: {reason})"


def _sensitive_keys(data: Mapping[str, Any]) -> list[str]:
    named = data.get("sensitive_keys")
    return [k for k in named if isinstance(k, str)] if isinstance(named, list) else []


def _plain_config(data: Mapping[str, Any], sensitive: list[str]) -> dict[str, str]:
    config_in = data.get("config") or {}
    items = config_in.items() if isinstance(config_in, dict) else ()
    return {str(k): "" if v is None else str(v) for k, v in items if k not in sensitive}


def _masked(reason: str | None, config: Mapping[str, str], sensitive: list[str]) -> str | None:
    """Never a secret in a message, whatever the connector says."""
    return scrub(reason, [config.get(key, "") for key in sensitive]) if reason else reason


def _with_risks(made: Plan, refused: Mapping[str, str]) -> Plan:
    from syncspec.plan.planfile import plan_id_of

    changes = tuple(
        replace(c, risk="; ".join(r for r in (refused[c.address], c.risk) if r))
        if c.address in refused
        else c
        for c in made.changes
    )
    answered = replace(made, changes=changes, plan_id="")
    return replace(answered, plan_id=plan_id_of(answered))
