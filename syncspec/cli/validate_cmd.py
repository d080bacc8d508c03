"""`syncspec validate`: schema, cross-document and (with metadata) semantic checks."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from syncspec.model.exitcodes import ExitCode

FORMATS = ("text", "json", "github", "sarif")


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("-e", "--env", "environment", help="Environment whose variables apply (default: SYNCSPEC_ENV).")
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format."
)
@click.option("--no-color", is_flag=True, help="Never colour the output (NO_COLOR is honoured too).")
def validate(paths: tuple[Path, ...], environment: str | None, fmt: str, no_color: bool) -> int:
    """Check configuration files: YAML, JSON Schema and cross-document rules.

    PATHS are files or directories; without them, the project's config directory.
    Exit 0 when valid (warnings allowed), 1 when not.
    """
    from syncspec.render.diagnostics import render_report
    from syncspec.render.style import Style
    from syncspec.spec.validate import validate as run_validation

    run = run_validation(list(paths), cwd=Path.cwd(), environment=environment, env=dict(os.environ))
    render_report(run.report, fmt, sys.stdout, Style.for_stream(sys.stdout, no_color=no_color))
    return ExitCode.ERROR if run.report.errors else ExitCode.OK
