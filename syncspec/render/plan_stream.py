"""`plan --output jsonl`: the plan as versioned events, as `terraform plan -json` streams it.

After the `version` line (written by the command, before anything can fail): one
`planned_change` per change, one `unmanaged` per live object the configuration does not
mention, the plan's notes, then one `change_summary` with the counts and the plan id.
`plan --output json` stays the plan document (the plan file), which reviewers and
`syncspec show` read. Values are the plan file's own (sensitive ones masked there).
"""

from __future__ import annotations

from syncspec.plan.model import Plan
from syncspec.plan.planfile import change_to_dict
from syncspec.render.machine import EventStream


def render_plan_events(plan: Plan, events: EventStream) -> None:
    for change in plan.changes:
        extra = " (known after create)" if change.known_after_create else ""
        risk = f"; risk: {change.risk}" if change.risk else ""
        events.emit(
            "planned_change",
            f"{change.address}: {change.action.value}{extra}{risk}",
            level="warn" if change.risk else "info",
            change=change_to_dict(change),
        )
    for item in plan.unmanaged:
        events.emit("unmanaged", f"{item.address}: {item.hint}", address=item.address, hint=item.hint)
    for note in plan.notes:
        events.note(note)
    summary = plan.summary
    counts = {
        "create": summary.create,
        "update": summary.update,
        "delete": summary.delete,
        "reorder": summary.reorder,
        "activate": summary.activate,
        "deactivate": summary.deactivate,
    }
    shown = ", ".join(f"{n} to {a}" for a, n in counts.items() if n) or "no changes"
    events.emit(
        "change_summary",
        f"Plan: {shown}.",
        changes=counts,
        total=len(plan.changes),
        steps=len(plan.steps),
        plan_id=plan.plan_id,
        environment=plan.environment,
        partial=bool(plan.only),
        expires_at=plan.expires_at,
    )
