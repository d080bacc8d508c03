"""`syncspec unlock LOCK_ID`: break an environment's lock (by its id only, never blindly)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from syncspec.model.exitcodes import ExitCode


@click.command("unlock")
@click.argument("lock_id")
@click.option("-e", "--env", "environment", help="Environment (default: SYNCSPEC_ENV, then the project's).")
def unlock(lock_id: str, environment: str | None) -> int:
    """Remove the lock LOCK_ID, left by an apply whose process is gone.

    Check first that no apply is running: after a killed apply, run `syncspec plan`
    to see what it left unfinished.
    """
    from syncspec.workspace.records import break_lock

    name, removed = break_lock(Path.cwd(), environment, dict(os.environ), lock_id)
    click.echo(f"Removed {removed.describe()}.")
    click.echo(f"  hint: run 'syncspec plan -e {name}' to see what the interrupted apply left.")
    return ExitCode.OK
