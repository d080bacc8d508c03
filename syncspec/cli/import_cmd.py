"""`syncspec import`: write the live tenant's configuration as YAML in the recommended layout."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from syncspec.workspace.importer import ImportOptions, run_import


@click.command("import")
@click.option("-e", "--env", "environment", metavar="ENV", help="Environment whose tenant is read.")
@click.option(
    "--connection",
    "connections",
    multiple=True,
    metavar="NAME",
    help="Import only this connection (repeatable); the sync priority is then not written.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write under this directory instead of the project's config directory.",
)
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
def import_(environment: str | None, connections: tuple[str, ...], out: Path | None, force: bool) -> int:
    """Write the live tenant's ERP sync configuration as YAML files.

    A plan right after shows no changes. Secrets are written as ${env:NAME} references;
    the command lists the variables to set.
    """
    options = ImportOptions(Path.cwd(), environment, connections, out, force)
    return run_import(options, env=dict(os.environ), out=sys.stdout, err=sys.stderr)
