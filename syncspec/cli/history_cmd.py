"""`syncspec history`: the applies the journal records, oldest first."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from syncspec.model.exitcodes import ExitCode


@click.command("history")
@click.option("-e", "--env", "environment", help="Environment (default: SYNCSPEC_ENV, then the project's).")
@click.option("--output", type=click.Choice(("text", "json")), default="text", show_default=True)
def history(environment: str | None, output: str) -> int:
    """List applies: who, when, plan id, result, changes."""
    from syncspec.render.apply_json import render_history_json
    from syncspec.render.apply_text import render_history_text
    from syncspec.workspace.records import read_history

    found = read_history(Path.cwd(), environment, dict(os.environ))
    if found.note:
        click.echo(found.note, err=True)
    if output == "json":
        render_history_json(list(found.records), sys.stdout)
    else:
        render_history_text(list(found.records), sys.stdout)
    return ExitCode.OK
