"""`syncspec state migrate --from local --to postgres`: move an environment's apply records."""

from __future__ import annotations

import os
from pathlib import Path

import click

from syncspec.model.exitcodes import ExitCode


@click.group("state")
def state() -> None:
    """Manage where apply state (locks, journal, last-applied records) is kept."""


@state.command("migrate")
@click.option("--from", "source", type=click.Choice(("local",)), required=True, help="Backend to read.")
@click.option("--to", "destination", type=click.Choice(("postgres",)), required=True, help="Backend to fill.")
@click.option("-e", "--env", "environment", help="Environment (default: SYNCSPEC_ENV, then the project's).")
def migrate(source: str, destination: str, environment: str | None) -> int:
    """Copy an environment's journal and last-applied records into PostgreSQL.

    The DSN is syncspec.yaml's state.dsn, else $SYNCSPEC_PG_DSN. Nothing is written
    when the environment already has records there. The local files stay in place.
    """
    from syncspec.workspace.records import migrate_state

    moved = migrate_state(Path.cwd(), environment, dict(os.environ), source=source, destination=destination)
    result = moved.result
    if not result.moved_anything:
        click.echo(f"Environment {result.environment!r} has no records in {result.source}: nothing to move.")
        return ExitCode.OK
    click.echo(
        f"Moved {result.journal_events} journal events and {result.applied_addresses} last-applied records "
        f"of environment {result.environment!r} to {result.destination}."
    )
    click.echo(f"  The files in {result.source} are left in place; delete them once the move is checked.")
    if moved.configured_backend != destination:
        click.echo(f"  hint: set state: {{backend: {destination}}} in syncspec.yaml to use them.")
    return ExitCode.OK
