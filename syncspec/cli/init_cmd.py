"""`syncspec init`: a new project with the example configuration and a seeded local tenant."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from syncspec.workspace.init_project import InitOptions, run_init


@click.command("init")
@click.argument("directory", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--force", is_flag=True, help="Write into a directory that is not empty (overwrites our files)."
)
def init(directory: Path, force: bool) -> int:
    """Create a project in DIRECTORY (default: here) with the example configuration."""
    return run_init(InitOptions(directory, force), cwd=Path.cwd(), out=sys.stdout, err=sys.stderr)
