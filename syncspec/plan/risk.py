"""Risks a reviewer must see that no single change carries."""

from __future__ import annotations

from syncspec.plan.model import Plan, StepKind


def paused_connections(plan: Plan) -> list[str]:
    """Connections the apply switches off while changing them and on again after.

    SuperOffice refuses changes to an active connection, so its ERP sync pauses for the
    length of the apply; the changes themselves do not say so (their `active` stays true).
    """
    switched_off: set[str] = set()
    paused: list[str] = []
    for step in plan.steps:
        if step.kind is StepKind.DEACTIVATE:
            switched_off.add(step.connection)
        elif step.kind is StepKind.ACTIVATE and step.connection in switched_off:
            paused.append(step.connection)
    return sorted(set(paused))


PAUSE_TEXT = "active: switched off while it changes and on again after (its ERP sync pauses meanwhile)"
