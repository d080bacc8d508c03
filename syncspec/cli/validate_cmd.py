"""`syncspec validate`: schema, cross-document and (with metadata) semantic checks."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from syncspec.model.exitcodes import ExitCode

if TYPE_CHECKING:
    from syncspec.model.diagnostics import Report

FORMATS = ("text", "json", "github", "sarif", "codequality")


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
    from syncspec.model.diagnostics import Report
    from syncspec.render.diagnostics import render_report
    from syncspec.render.style import Style

    env = dict(os.environ)
    if whole_project:
        from syncspec.spec.project import find_project
        from syncspec.spec.projects import owning_projects

        # No files (a commit that only deletes, or touches no YAML): the project here, if any.
        here = find_project(Path.cwd())
        projects: list[Path | None] = list(owning_projects(paths) if paths else [here] if here else [])
        reports = [_validate_one([], environment, offline, no_rules, env, project) for project in projects]
        report = _combined(reports) if reports else Report((), 0, ("no syncspec project among the files",))
    else:
        report = _validate_one(list(paths), environment, offline, no_rules, env, None)
    render_report(report, fmt, sys.stdout, Style.for_stream(sys.stdout, no_color=no_color))
    return ExitCode.ERROR if report.errors else ExitCode.OK


def _validate_one(
    paths: list[Path],
    environment: str | None,
    offline: bool,
    no_rules: bool,
    env: dict[str, str],
    project_file: Path | None,
) -> Report:
    from dataclasses import replace

    from syncspec.model.diagnostics import sorted_diagnostics
    from syncspec.spec.validate import validate as run_validation

    run = run_validation(paths, cwd=Path.cwd(), environment=environment, env=env, project_file=project_file)
    report = run.report
    if not no_rules:
        from syncspec.cli.semantic import semantic_check

        semantic = semantic_check(run, offline=offline, env=env)
        report = replace(
            report,
            diagnostics=tuple(sorted_diagnostics([*report.diagnostics, *semantic.diagnostics])),
            notes=(*report.notes, *semantic.notes),
        )
    return report


def _combined(reports: list[Report]) -> Report:
    from syncspec.model.diagnostics import Report, sorted_diagnostics

    return Report(
        tuple(sorted_diagnostics([d for r in reports for d in r.diagnostics])),
        sum(r.files_checked for r in reports),
        tuple(note for r in reports for note in r.notes),
    )
