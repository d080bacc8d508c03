"""`syncspec drift` output: a drift report (see `syncspec.plan.drift.drift_report`) as text,
markdown or JSON. It reuses the plan's layout but says drift, not plan: each change reads
`last applied -> live now`, and nothing is offered to apply."""

from __future__ import annotations

from typing import TextIO

from syncspec.plan.drift import drift_count_line
from syncspec.plan.model import Plan
from syncspec.render.messages import NO_DRIFT
from syncspec.render.plan_json import render_plan_json
from syncspec.render.plan_markdown import format_plan_markdown
from syncspec.render.plan_text import change_lines
from syncspec.render.style import Style

LEGEND = "Changed in the tenant outside syncspec (what syncspec last applied -> what the tenant holds now):"


def render_drift_text(report: Plan, stream: TextIO, style: Style) -> None:
    if not report.changes:
        stream.write(NO_DRIFT + "\n")
        return
    out = [style.bold(f"syncspec drift: {report.environment}"), LEGEND, ""]
    out += change_lines(report, style)
    out.append(style.bold(drift_count_line(report)))
    stream.write("\n".join(out) + "\n")


def render_drift_markdown(report: Plan, stream: TextIO) -> None:
    summary = drift_count_line(report) if report.changes else NO_DRIFT
    stream.write(
        format_plan_markdown(
            report, heading="syncspec drift", summary=f"{summary}\n\n{LEGEND}", diagram=False
        )
    )


def render_drift(report: Plan, output: str, stream: TextIO, style: Style) -> None:
    if output == "json":
        render_plan_json(report, stream)
    elif output == "markdown":
        render_drift_markdown(report, stream)
    else:
        render_drift_text(report, stream, style)
