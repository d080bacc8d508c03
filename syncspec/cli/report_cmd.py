"""`syncspec report`: the configuration (and a saved plan) as one self-contained HTML page."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from syncspec.model.exitcodes import ExitCode


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
    from syncspec.workspace.report import ReportOptions, build_report

    options = ReportOptions(Path.cwd(), environment, plan_file, offline, commit)
    page = build_report(options, dict(os.environ))
    for note in page.notes:
        click.echo(f"note: {note}", err=True)
    _write(page.html, out)
    if page.errors:
        click.echo(
            f"error: the configuration has {page.errors} errors, shown on the page (syncspec validate)",
            err=True,
        )
    return ExitCode.ERROR if page.errors else ExitCode.OK


def _write(html: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(html)
        return
    out.write_text(html, encoding="utf-8")
    click.echo(f"wrote {out}", err=True)
