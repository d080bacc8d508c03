"""`syncspec validate`: schema, cross-document and (with metadata) semantic checks."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from syncspec.cli.validate_hook import FORMATS
from syncspec.model.exitcodes import ExitCode


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("-e", "--env", "environment", help="Environment whose variables apply (default: SYNCSPEC_ENV).")
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format."
)
@click.option(
    "--offline",
    is_flag=True,
    help="Check rules against the saved metadata snapshot (syncspec metadata pull) instead of the tenant.",
)
@click.option(
    "--no-rules", is_flag=True, help="Only schema and cross-document checks; never read tenant metadata."
)
@click.option(
    "--whole-project",
    is_flag=True,
    help="PATHS only choose the projects they belong to; each is validated whole and every problem in it "
    "reported. Files outside a project's configuration are ignored. For pre-commit, which passes the "
    "changed files.",
)
@click.option("--no-color", is_flag=True, help="Never colour the output (NO_COLOR is honoured too).")
def validate(
    paths: tuple[Path, ...],
    environment: str | None,
    fmt: str,
    offline: bool,
    no_rules: bool,
    whole_project: bool,
    no_color: bool,
) -> int:
    """Check configuration files: YAML, JSON Schema, cross-document and semantic rules.

    PATHS are files or directories; without them, the project's config directory.
    Semantic rules use the environment's tenant when it is reachable (a local tenant
    file that exists), else the metadata snapshot, else they are skipped with a note.
    Exit 0 when valid (warnings allowed), 1 when not.
    """
    from syncspec.render.diagnostics import render_report
    from syncspec.render.style import Style
    from syncspec.workspace.validation import ValidateRequest, run_validate

    request = ValidateRequest(
        paths, environment, offline=offline, rules=not no_rules, whole_project=whole_project
    )
    report = run_validate(request, cwd=Path.cwd(), env=dict(os.environ))
    render_report(report, fmt, sys.stdout, Style.for_stream(sys.stdout, no_color=no_color))
    return ExitCode.ERROR if report.errors else ExitCode.OK
