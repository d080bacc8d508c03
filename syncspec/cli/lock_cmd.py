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
    from syncspec.workspace.records import lock_status

    view = lock_status(Path.cwd(), environment, dict(os.environ))
    current, where, name = view.current, view.state, view.environment
    if output == "json":
        document = {
            "environment": name,
            "state": where,
            "locked": current is not None,
            "stale": bool(current and current.stale),
            "lock": current.lock.to_dict() if current else None,
        }
        click.echo(json.dumps(document, sort_keys=True))
        return ExitCode.OK
    if current is None:
        click.echo(f"Environment {name!r} is not locked ({where}).")
        return ExitCode.OK
    click.echo(f"Environment {name!r}: {current.lock.describe()} ({where}).")
    if current.stale:
        click.echo(
            f"  stale: that process is gone; if no apply is running, "
            f"break it with: syncspec unlock {current.lock.lock_id} -e {name}"
        )
    return ExitCode.OK
