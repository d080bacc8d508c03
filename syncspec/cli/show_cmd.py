"""`syncspec show`: render a saved plan file."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from syncspec.model.exitcodes import ExitCode


@click.command("show")
@click.argument("plan_file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option(
    "--output", type=click.Choice(("text", "json", "markdown", "html")), default="text", show_default=True
)
@click.option("--no-color", is_flag=True, help="Never colour the output.")
def show(plan_file: Path, output: str, no_color: bool) -> int:
    """Render PLAN_FILE (written by `syncspec plan --out`) as text, JSON, markdown or HTML.

    HTML is the report page of the plan alone; `syncspec report --plan` overlays it on the
    configuration.

    Exit 1 when the file was changed after it was made (its content does not match its
    plan_id) or, with SYNCSPEC_PLAN_KEY set, when it is unsigned or signed with another key.
    """
    from syncspec.render.plan_output import render_plan
    from syncspec.render.style import Style
    from syncspec.workspace.saved_plan import read_plan_to_show

    saved, unchecked_signature = read_plan_to_show(plan_file, os.environ)
    if unchecked_signature:
        click.echo("note: the plan is signed; set SYNCSPEC_PLAN_KEY to check its signature", err=True)
    render_plan(saved, output, sys.stdout, Style.for_stream(sys.stdout, no_color=no_color))
    return ExitCode.OK
