"""The registry of plan renderers: what `--output` offers for plan, show and apply."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from syncspec.plan.model import Plan
from syncspec.render.plan_json import render_plan_json
from syncspec.render.plan_markdown import render_plan_markdown
from syncspec.render.plan_text import render_plan_text
from syncspec.render.style import Style

PlanRenderer = Callable[[Plan, TextIO, Style], None]

PLAN_RENDERERS: dict[str, PlanRenderer] = {
    "text": render_plan_text,
    "json": lambda plan, stream, style: render_plan_json(plan, stream),
    "markdown": lambda plan, stream, style: render_plan_markdown(plan, stream),
    "html": lambda plan, stream, style: _render_plan_html(plan, stream),
}


def _render_plan_html(plan: Plan, stream: TextIO) -> None:
    # imported on use: Jinja2 and the templates cost nothing to the text and JSON outputs
    from syncspec.render.report import ReportInput, render_report_html

    stream.write(render_report_html(ReportInput(plan=plan, title="syncspec plan")))


def render_plan(plan: Plan, output: str, stream: TextIO, style: Style) -> None:
    PLAN_RENDERERS[output](plan, stream, style)
