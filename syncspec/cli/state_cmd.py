"""`syncspec state migrate --from local --to postgres`: move an environment's apply records."""

from __future__ import annotations

import datetime as dt
import getpass
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
    from syncspec.spec.project import find_project, load_project, select_environment
    from syncspec.state.local import open_state
    from syncspec.state.migrate import migrate_records
    from syncspec.state.postgres import PostgresState
    from syncspec.workspace.state_open import open_environment_state

    environ = dict(os.environ)
    project = load_project(find_project(Path.cwd()))
    selected = select_environment(project, environment, environ=environ)
    local = open_state(project.root, selected.name, {"backend": source})
    settings = {key: value for key, value in project.state.items() if key != "backend"}
    remote = open_environment_state(project, selected, environ, settings={**settings, "backend": destination})
    try:
        assert isinstance(remote, PostgresState)
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        result = migrate_records(local, remote, owner=_owner(environ), now=now)
    finally:
        remote.close()
        local.close()
    if not result.moved_anything:
        click.echo(f"Environment {result.environment!r} has no records in {result.source}: nothing to move.")
        return ExitCode.OK
    click.echo(
        f"Moved {result.journal_events} journal events and {result.applied_addresses} last-applied records "
        f"of environment {result.environment!r} to {result.destination}."
    )
    click.echo(f"  The files in {result.source} are left in place; delete them once the move is checked.")
    if project.state.get("backend") != destination:
        click.echo(f"  hint: set state: {{backend: {destination}}} in syncspec.yaml to use them.")
    return ExitCode.OK


def _owner(environ: dict[str, str]) -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return environ.get("USER", "unknown")
