"""Plan as text for a terminal: risk first, then per connection, then the one-line summary."""

from __future__ import annotations

import json
from typing import TextIO

from syncspec.model.applied import JsonValue
from syncspec.plan.model import SENSITIVE_CHANGED, Action, Change, Plan
from syncspec.plan.risk import CONFLICT_TEXT, PAUSE_TEXT, conflicting_changes, paused_connections
from syncspec.render.messages import NO_CHANGES
from syncspec.render.style import Style

_COLOUR = {
    Action.CREATE: "green",
    Action.UPDATE: "yellow",
    Action.DELETE: "red",
    Action.REORDER: "cyan",
    Action.ACTIVATE: "green",
    Action.DEACTIVATE: "red",
}


def show(value: JsonValue) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, str):
        return value if value.startswith("(sensitive") else json.dumps(value, ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def attribute_lines(change: Change) -> list[str]:
    """`name: before -> after` for each differing attribute (reorders: the moves)."""
    if change.action is Action.REORDER:
        before, after = change.before.get("order"), change.after.get("order")
        moved = change.moves or "the whole list"
        return [f"order: {show(before)}", f"    -> {show(after)} ({moved} moves)"]
    lines = []
    for attribute in sorted(set(change.before) | set(change.after)):
        if attribute in change.sensitive:
            lines.append(f"{attribute}: {SENSITIVE_CHANGED}")
        elif change.action is Action.CREATE:
            lines.append(f"{attribute}: {show(change.after.get(attribute))}")
        elif change.action is Action.DELETE:
            lines.append(f"{attribute}: {show(change.before.get(attribute))}")
        else:
            before, after = change.before.get(attribute), change.after.get(attribute)
            lines.append(f"{attribute}: {_named(before, change)} -> {_named(after, change)}")
    return lines


def _named(value: JsonValue, change: Change) -> str:
    """A CRM list item id with its name (`3 "Prospect"`): reviewers check names, not ids."""
    label = change.labels.get(str(value)) if isinstance(value, int) and not isinstance(value, bool) else None
    return f"{show(value)} {json.dumps(label, ensure_ascii=False)}" if label is not None else show(value)


def headline(change: Change) -> str:
    symbol = change.action.symbol
    extra = " (known after create)" if change.known_after_create else ""
    return f"{symbol} {change.address}{extra}"


def reason_text(change: Change) -> str:
    where = f" at {change.reason.location}" if change.reason.location else ""
    return f"reason: {change.reason.kind.value}{where}"


def summary_line(plan: Plan) -> str:
    if not plan.changes:
        return NO_CHANGES
    s = plan.summary
    line = f"Plan: {s.create} to create, {s.update} to update, {s.delete} to delete, {s.reorder} reorder"
    if s.activate:
        line += f", {s.activate} to activate"
    if s.deactivate:
        line += f", {s.deactivate} to deactivate"
    return line + "."


def secret_warning(plan: Plan) -> list[str]:
    """The summary's warning about secrets nothing can vouch for: "No changes" does not mean
    the tenant holds the configured value (a rotated secret after lost records looks the same)."""
    if not plan.unverified_secrets:
        return []
    count = len(plan.unverified_secrets)
    noun = "secret" if count == 1 else "secrets"
    connections = sorted({a.split(".config.", 1)[0] for a in plan.unverified_secrets})
    again = " ".join(f"--resend-secrets {c}" for c in connections)
    return [
        f"Warning: {count} {noun} cannot be verified and will not be sent: "
        + ", ".join(plan.unverified_secrets),
        f"  (no record of what was last sent; to send them again: syncspec apply {again})",
    ]


def render_plan_text(plan: Plan, stream: TextIO, style: Style | None = None) -> None:
    style = style or Style.plain()
    out = partial_lines(plan, style) + risk_lines(plan, style) + change_lines(plan, style)
    # the warning sits just above the summary line, which stays last (scripts read it)
    out.extend(style.paint(line, "yellow") for line in secret_warning(plan))
    out.append(style.bold(summary_line(plan)))
    stream.write("\n".join(out) + "\n")


def partial_lines(plan: Plan, style: Style) -> list[str]:
    return [style.bold(f"Partial plan: only {', '.join(plan.only)}"), ""] if plan.partial else []


def risk_lines(plan: Plan, style: Style) -> list[str]:
    """The "Risky changes:" block a reviewer reads first (nothing when there is no risk)."""
    out: list[str] = []
    risky = [c for c in plan.changes if c.risky]
    conflicts = conflicting_changes(plan)
    paused = paused_connections(plan)
    if risky or conflicts or paused:
        out.append(style.paint("Risky changes:", "red", "bold"))
        out.extend(f"  {style.paint(headline(c), 'red')}: {c.risk}" for c in risky)
        out.extend(f"  {style.paint(headline(c), 'red')}: {CONFLICT_TEXT}" for c in conflicts)
        out.extend(f"  {style.paint(f'pause connection.{name}', 'red')}: {PAUSE_TEXT}" for name in paused)
        out.append("")
    return out


def change_lines(plan: Plan, style: Style) -> list[str]:
    """The changes per connection, then what is not managed and the notes."""
    out: list[str] = []
    groups: dict[str, list[Change]] = {}
    for change in plan.changes:
        groups.setdefault(change.connection or "", []).append(change)
    for group in sorted(groups, key=lambda g: (g == "", g)):
        out.append(style.bold(f"connection {group}" if group else "tenant-wide"))
        for change in groups[group]:
            out.append("  " + style.paint(headline(change), _COLOUR[change.action]))
            out.extend(f"      {line}" for line in attribute_lines(change))
            if change.unchanged:
                out.append(style.dim(f"      ({change.unchanged} unchanged attributes hidden)"))
            out.append(style.dim(f"      {reason_text(change)}"))
        out.append("")
    if plan.unmanaged:
        out.append(style.bold("Not managed by this configuration:"))
        out.extend(f"  {u.address}: {u.hint}" for u in plan.unmanaged)
        out.append("")
    if plan.notes:
        out.append(style.bold("Notes:"))
        out.extend(f"  {note}" for note in plan.notes)
        out.append("")
    return out
