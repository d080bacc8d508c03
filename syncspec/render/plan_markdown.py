"""Plan as markdown for a pull-request comment: summary table, risky changes, a Mermaid diagram of
the changed mappings, one <details> per connection. Kept under `LIMIT` characters (GitHub refuses
longer comments): the diagram goes first when the comment would be too long (the tables say the
same), then whole connections from the end, saying which."""

from __future__ import annotations

from typing import TextIO

from syncspec.plan.model import Action, Change, Plan
from syncspec.plan.risk import CONFLICT_TEXT, PAUSE_TEXT, conflicting_changes, paused_connections
from syncspec.render.plan_mermaid import mermaid_block
from syncspec.render.plan_text import attribute_lines, headline, reason_text, secret_warning, summary_line

LIMIT = 60_000
_DIFF_MARK = {
    Action.CREATE: "+",
    Action.UPDATE: "!",
    Action.DELETE: "-",
    Action.REORDER: "!",
    Action.ACTIVATE: "+",
    Action.DEACTIVATE: "-",
}


def _head(plan: Plan, heading: str, summary: str) -> list[str]:
    title = f"## {heading}: `{plan.environment}`"
    lines = [title, "", summary, ""]
    warning = secret_warning(plan)
    if warning:
        lines += ["> [!WARNING]", *(f"> {line.strip()}" for line in warning), ""]
    if plan.partial:
        lines += [f"Partial plan, only: {', '.join(f'`{o}`' for o in plan.only)}", ""]
    if plan.changes:
        lines += ["| action | count |", "|---|---:|"]
        lines += [f"| {a.value} | {plan.summary.count(a)} |" for a in Action if plan.summary.count(a)]
        lines.append("")
    return lines + _risky(plan)


def _risky(plan: Plan) -> list[str]:
    risky = [c for c in plan.changes if c.risky]
    conflicts = conflicting_changes(plan) if plan.steps else []  # a drift report applies nothing
    paused = paused_connections(plan)
    if not (risky or conflicts or paused):
        return []
    lines = ["### Risky changes", ""]
    lines += [f"- **{c.action.value}** `{c.address}`: {c.risk}" for c in risky]
    lines += [f"- **{c.action.value}** `{c.address}`: {CONFLICT_TEXT}" for c in conflicts]
    lines += [f"- **pause** `connection.{name}`: {PAUSE_TEXT}" for name in paused]
    return [*lines, ""]


def _section(name: str, changes: list[Change]) -> str:
    title = f"connection {name}" if name else "tenant-wide"
    body = [f"<details><summary><b>{title}</b> ({len(changes)} changes)</summary>", "", "```diff"]
    for change in changes:
        mark = _DIFF_MARK[change.action]
        body.append(f"{mark} {headline(change)}")
        body.extend(f"{mark}     {line}" for line in attribute_lines(change))
        if change.unchanged:
            body.append(f"#     ({change.unchanged} unchanged attributes hidden)")
        body.append(f"#     {reason_text(change)}")
    body += ["```", "", "</details>", ""]
    return "\n".join(body)


def _tail(plan: Plan) -> list[str]:
    lines: list[str] = []
    if plan.unmanaged:
        lines += ["### Not managed by this configuration", ""]
        lines += [f"- `{u.address}`: {u.hint}" for u in plan.unmanaged]
        lines.append("")
    if plan.notes:
        lines += ["### Notes", ""] + [f"- {n}" for n in plan.notes] + [""]
    return lines


def _diagram(plan: Plan) -> str:
    block = mermaid_block(plan.changes)
    return f"### Changed mappings\n\n{block}\n\n" if block else ""


def format_plan_markdown(
    plan: Plan,
    limit: int = LIMIT,
    *,
    heading: str = "syncspec plan",
    summary: str | None = None,
    diagram: bool = True,
) -> str:
    groups: dict[str, list[Change]] = {}
    for change in plan.changes:
        groups.setdefault(change.connection, []).append(change)
    names = sorted(groups, key=lambda g: (g == "", g))
    sections = [_section(n, groups[n]) for n in names]
    head = "\n".join(_head(plan, heading, summary_line(plan) if summary is None else summary))
    tail = "\n".join(_tail(plan))
    kept = len(sections)
    drawn = _diagram(plan) if diagram else ""

    def assemble(count: int) -> str:
        cut = names[count:]
        note = ""
        if cut:
            shown = ", ".join(n or "tenant-wide" for n in cut)
            note = (
                f"**Cut to fit a comment:** {len(cut)} sections not shown ({shown}); see the full plan.\n\n"
            )
        return head + "\n" + drawn + note + "\n".join(sections[:count]) + "\n" + tail

    text = assemble(kept)
    if len(text) > limit and drawn:  # the tables below say what the diagram shows: it goes first
        drawn = ""
        text = assemble(kept)
    while len(text) > limit and kept > 0:
        kept -= 1
        text = assemble(kept)
    if len(text) > limit:  # even the head is too long (thousands of risky changes): cut hard
        marker = "\n\n**Cut to fit a comment.**\n"
        text = text[: limit - len(marker)] + marker
    return text


def render_plan_markdown(plan: Plan, stream: TextIO) -> None:
    stream.write(format_plan_markdown(plan))
