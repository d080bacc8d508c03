"""`syncspec lock status`: who holds an environment's apply lock, on any state backend."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from syncspec.model.exitcodes import ExitCode


@click.group("lock")
def lock() -> None:
    """Inspect environment apply locks."""


@lock.command("status")
@click.option("-e", "--env", "environment", help="Environment (default: SYNCSPEC_ENV, then the project's).")
@click.option("--output", type=click.Choice(("text", "json")), default="text", show_default=True)
def status(environment: str | None, output: str) -> int:
    """Show the environment's lock: holder, host, pid, command, time and lock id."""
    from syncspec.spec.project import find_project, load_project, select_environment
    from syncspec.workspace.state_open import open_environment_state

    environ = dict(os.environ)
    project = load_project(find_project(Path.cwd()))
    selected = select_environment(project, environment, environ=environ)
    state = open_environment_state(project, selected, environ)
    try:
        current = state.current_lock()
        where = state.describe()
    finally:
        state.close()
    if output == "json":
        document = {
            "environment": selected.name,
            "state": where,
            "locked": current is not None,
            "stale": bool(current and current.stale),
            "lock": current.lock.to_dict() if current else None,
        }
        click.echo(json.dumps(document, sort_keys=True))
        return ExitCode.OK
    if current is None:
        click.echo(f"Environment {selected.name!r} is not locked ({where}).")
        return ExitCode.OK
    click.echo(f"Environment {selected.name!r}: {current.lock.describe()} ({where}).")
    if current.stale:
        click.echo(
            f"  stale: that process is gone; if no apply is running, "
            f"break it with: syncspec unlock {current.lock.lock_id} -e {selected.name}"
        )
    return ExitCode.OK
