"""`syncspec show`: render a saved plan file."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from syncspec.model.exitcodes import ExitCode


@click.command("show")
@click.argument("plan_file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--output", type=click.Choice(("text", "json", "markdown")), default="text", show_default=True)
@click.option("--no-color", is_flag=True, help="Never colour the output.")
def show(plan_file: Path, output: str, no_color: bool) -> int:
    """Render PLAN_FILE (written by `syncspec plan --out`) as text, JSON or markdown."""
    from syncspec.plan.planfile import read_plan
    from syncspec.render.plan_output import render_plan
    from syncspec.render.style import Style

    saved = read_plan(plan_file.read_text(encoding="utf-8"))
    render_plan(saved, output, sys.stdout, Style.for_stream(sys.stdout, no_color=no_color))
    return ExitCode.OK
