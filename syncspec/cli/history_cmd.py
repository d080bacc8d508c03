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
    from syncspec.spec.project import find_project, load_project, select_environment
    from syncspec.state.journal import history as build_history
    from syncspec.workspace.state_open import open_environment_state

    env = dict(os.environ)
    project = load_project(find_project(Path.cwd()))
    selected = select_environment(project, environment, environ=env)
    state = open_environment_state(project, selected, env)
    try:
        records = build_history(state.read_journal())
        skipped = getattr(getattr(state, "journal", None), "unreadable", ())  # the local backend's file
        if skipped:
            from syncspec.state.journal import unreadable_note

            click.echo(unreadable_note(state.describe() + "/journal.jsonl", skipped), err=True)
    finally:
        state.close()  # a postgres backend holds a connection
    if output == "json":
        render_history_json(records, sys.stdout)
    else:
        render_history_text(records, sys.stdout)
    return ExitCode.OK
