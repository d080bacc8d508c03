"""Drift: the part of a plan that undoes changes made in the tenant outside syncspec.

A change is drift when live moved away from the last-applied record while the
configuration did not, and a conflict when both moved. Changes the configuration
asks for on its own (not yet applied) are not drift.

A plan's `before -> after` reads "live now -> what the apply writes"; a drift report is
read the other way round, as a story of what happened in the tenant: "what syncspec last
wrote -> what the tenant holds now". `drift_report` turns the one into the other.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace

from syncspec.model.applied import JsonValue, LastApplied
from syncspec.plan.model import Action, Change, Plan, ReasonKind
from syncspec.plan.planner import summarize

DRIFT_REASONS = (ReasonKind.DRIFT, ReasonKind.CONFLICT)
# an apply that activates a connection undoes a deactivation made in the tenant, and so on
_UNDONE = {Action.ACTIVATE: Action.DEACTIVATE, Action.DEACTIVATE: Action.ACTIVATE}


def drift_only(plan: Plan) -> Plan:
    """The plan reduced to drift and conflict changes; it has no steps: drift is reported, not applied."""
    changes = tuple(c for c in plan.changes if c.reason.kind in DRIFT_REASONS)
    return replace(plan, changes=changes, steps=(), summary=summarize(changes), unmanaged=())


def drift_report(plan: Plan, last_applied: LastApplied) -> Plan:
    """The drift of `plan` with each change turned to `last applied -> live now`.

    Nothing is applied from a report, so no change carries a risk; a conflict (the file
    changed the same attribute too) gets a note saying what the configuration now asks for.
    """
    drifted = drift_only(plan)
    changes = tuple(_as_drift(c, last_applied) for c in drifted.changes)
    notes = tuple(n for c in drifted.changes for n in _conflict_notes(c, last_applied))
    return replace(drifted, changes=changes, notes=notes, summary=summarize(changes))


def _recorded(change: Change, attribute: str, last_applied: LastApplied) -> JsonValue:
    """What syncspec last wrote; for a drifted attribute that is what the configuration still asks."""
    if attribute in change.sensitive:
        return change.after.get(attribute)  # masked either way: the record holds a fingerprint
    recorded, was = last_applied.lookup(change.address, attribute)
    return was if recorded else change.after.get(attribute)


def _as_drift(change: Change, last_applied: LastApplied) -> Change:
    attributes = sorted(set(change.before) | set(change.after))
    was: Mapping[str, JsonValue] = {a: _recorded(change, a, last_applied) for a in attributes}
    now: Mapping[str, JsonValue] = {a: change.before.get(a) for a in attributes}
    # the action says what happened in the tenant, not what an apply would do about it
    action = _UNDONE.get(change.action, change.action)
    return replace(change, action=action, before=was, after=now, risk="")


def _conflict_notes(change: Change, last_applied: LastApplied) -> list[str]:
    if change.reason.kind is not ReasonKind.CONFLICT:
        return []
    notes = []
    for attribute in sorted(change.after):
        recorded, was = last_applied.lookup(change.address, attribute)
        wanted = change.after[attribute]
        if attribute in change.sensitive or not recorded or wanted == was:
            continue
        notes.append(
            f"conflict at {change.address}: the configuration now asks for {attribute} "
            f"{json.dumps(wanted, ensure_ascii=False, sort_keys=True)}; "
            "'syncspec apply' would write it over the tenant's change"
        )
    return notes


def drift_count_line(plan: Plan) -> str:
    """The last line of a drift report (the counterpart of a plan's `Plan: ...` line)."""
    count = len(plan.changes)
    conflicts = sum(1 for c in plan.changes if c.reason.kind is ReasonKind.CONFLICT)
    noun = "change" if count == 1 else "changes"
    line = f"Drift: {count} {noun} made in the tenant outside syncspec"
    if conflicts:
        line += f", {conflicts} of them in conflict with a configuration change"
    return line + "."
