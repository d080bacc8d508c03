"""`syncspec fmt`: rewrite configuration files in canonical form, comments kept."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from syncspec.workspace.fmt import FmtOptions, run_fmt


@click.command("fmt")
@click.option("--check", is_flag=True, help="Write nothing; list files that would change and exit 1 if any.")
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff instead of rewriting files.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def fmt(check: bool, show_diff: bool, paths: tuple[Path, ...]) -> int:
    """Rewrite configuration files in canonical form, keeping comments.

    PATHS are files or directories; by default the project file and every YAML file
    under the config directory (`connections/`, or `config_dir` of ./syncspec.yaml).
    """
    options = FmtOptions(paths=paths, check=check, diff=show_diff)
    return run_fmt(options, cwd=Path.cwd(), out=sys.stdout, err=sys.stderr)
