"""`syncspec report`: the configuration (and a saved plan) as one self-contained HTML page."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from syncspec.model.exitcodes import ExitCode

if TYPE_CHECKING:
    from syncspec.model.metadata import Metadata
    from syncspec.plan.model import Plan


@click.command("report")
@click.option(
    "--plan",
    "plan_file",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="A saved plan (syncspec plan --out) to overlay on the configuration.",
)
@click.option("-e", "--env", "environment", help="Environment whose variables apply (default: SYNCSPEC_ENV).")
@click.option(
    "-o", "--out", "out", type=click.Path(path_type=Path, dir_okay=False), help="Write here, not to stdout."
)
@click.option("--offline", is_flag=True, help="Use the saved metadata snapshot, never the tenant.")
@click.option(
    "--commit", default=None, help="Commit shown in the header (default: GITHUB_SHA, CI_COMMIT_SHA)."
)
def report(
    plan_file: Path | None, environment: str | None, out: Path | None, offline: bool, commit: str | None
) -> int:
    """Write an HTML report: mappings, ERP tab, lists, defaults, priority; with --plan, its changes.

    Validation findings are shown on the element they are about. Tenant metadata (ERP field
    names; ID, read-only and mandatory fields) comes from the environment's tenant when it
    answers, else from the metadata snapshot, else the report goes without it.
    Exit 1 when the configuration has errors (the report is still written), 0 otherwise.
    """
    from dataclasses import replace

    from syncspec.cli.semantic import semantic_check
    from syncspec.model.diagnostics import sorted_diagnostics
    from syncspec.render.report import ReportInput, render_report_html
    from syncspec.spec.validate import validate as run_validation

    env = dict(os.environ)
    run = run_validation([], cwd=Path.cwd(), environment=environment, env=env)
    semantic = semantic_check(run, offline=offline, env=env)
    diagnostics = tuple(sorted_diagnostics([*run.report.diagnostics, *semantic.diagnostics]))
    for note in (*run.report.notes, *semantic.notes):
        click.echo(f"note: {note}", err=True)
    given = ReportInput(
        desired=run.desired,
        metadata=_metadata(environment, env, offline=offline),
        diagnostics=diagnostics,
        environment=run.environment.name,
        commit=commit if commit is not None else _commit(env),
    )
    if plan_file is not None:
        saved = _saved_plan(plan_file, env)
        if saved.environment != run.environment.name:
            click.echo(
                f"note: the plan is of environment {saved.environment!r}, the configuration's of "
                f"{run.environment.name!r} (-e selects it)",
                err=True,
            )
        given = replace(given, plan=saved)
    _write(render_report_html(given), out)
    errors = sum(1 for d in diagnostics if d.is_error)
    if errors:
        click.echo(
            f"error: the configuration has {errors} errors, shown on the page (syncspec validate)", err=True
        )
    return ExitCode.ERROR if errors else ExitCode.OK


def _metadata(environment: str | None, env: dict[str, str], *, offline: bool) -> Metadata | None:
    from syncspec.cli.metadata_cmd import read_metadata
    from syncspec.model.errors import SyncspecError

    try:
        metadata, _ = read_metadata(Path.cwd(), environment, env, use_snapshot=offline)
    except SyncspecError as exc:
        click.echo(f"note: report without tenant metadata ({exc.message})", err=True)
        return None
    return metadata


def _saved_plan(path: Path, env: dict[str, str]) -> Plan:
    from syncspec.cli.show_cmd import _plan_text as plan_text
    from syncspec.plan.planfile import read_plan
    from syncspec.plan.signing import plan_key

    return read_plan(plan_text(path), plan_key(env), unverified_ok=True)


def _commit(env: dict[str, str]) -> str:
    # CI systems name the commit they build; outside CI the header says "unknown".
    for name in ("GITHUB_SHA", "CI_COMMIT_SHA", "BUILD_SOURCEVERSION", "SYNCSPEC_COMMIT"):
        if env.get(name):
            return env[name]
    return ""


def _write(html: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(html)
        return
    out.write_text(html, encoding="utf-8")
    click.echo(f"wrote {out}", err=True)
