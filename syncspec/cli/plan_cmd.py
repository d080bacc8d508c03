"""`syncspec plan`: what apply would change, for a reviewer, a CI job or a saved plan file."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from syncspec.cli.fleet import environment_options
from syncspec.model.exitcodes import ExitCode

OUTPUTS = ("text", "json", "markdown")


@click.command("plan")
@environment_options(parallelism=True)
@click.option(
    "--out", "out_file", type=click.Path(path_type=Path), help="Also write the plan file (JSON) here."
)
@click.option(
    "--output", type=click.Choice(OUTPUTS), default="text", show_default=True, help="How to show it."
)
@click.option("--detailed-exitcode", is_flag=True, help="Exit 2 when there are changes, 0 when none.")
@click.option(
    "--only", multiple=True, metavar="ADDR", help="Limit to addresses starting with ADDR (repeatable)."
)
@click.option(
    "--allow-delete", is_flag=True, help="Plan deletes of connections and connectors not in the config."
)
@click.option("--no-color", is_flag=True, help="Never colour the output.")
def plan(
    environments: tuple[str, ...],
    all_environments: bool,
    fail_fast: bool,
    parallelism: int,
    out_file: Path | None,
    output: str,
    detailed_exitcode: bool,
    only: tuple[str, ...],
    allow_delete: bool,
    no_color: bool,
) -> int:
    """Compare the configuration with the live tenant and show the ordered changes.

    Exit 0 (no changes, or changes without --detailed-exitcode), 2 (changes, with
    --detailed-exitcode), 1 (error: invalid configuration, unreachable target).
    With several environments: the worst of their exit codes (1, then 2, then 0).
    """
    from syncspec.cli.fleet import select, single
    from syncspec.cli.session import PlanRequest, Session
    from syncspec.plan.planfile import write_plan
    from syncspec.render.plan_output import render_plan
    from syncspec.render.style import Style
    from syncspec.state.files import write_private

    selected = select(environments, all_environments)
    if selected is not None and len(selected) > 1:
        return _fleet(
            selected,
            output,
            detailed_exitcode,
            only,
            allow_delete,
            no_color,
            out_file,
            parallelism,
            fail_fast,
        )
    environment = single(environments, selected)
    with Session(Path.cwd(), dict(os.environ), environment, notes=sys.stderr) as session:
        result = session.make_plan(PlanRequest(allow_delete=allow_delete, only=only))
        if only:
            click.echo("warning: --only makes this a partial plan; other changes are not shown.", err=True)
        if out_file is not None:
            write_private(out_file, write_plan(result))  # owner-only (0600; new folders 0700), atomic
            click.echo(f"note: plan saved to {out_file}", err=True)
        render_plan(result, output, sys.stdout, Style.for_stream(sys.stdout, no_color=no_color))
    if detailed_exitcode and result.changes:
        return ExitCode.CHANGES
    return ExitCode.OK


def _fleet(
    selected: list[str],
    output: str,
    detailed_exitcode: bool,
    only: tuple[str, ...],
    allow_delete: bool,
    no_color: bool,
    out_file: Path | None,
    parallelism: int,
    fail_fast: bool,
) -> int:
    from syncspec.cli.fleet import FleetSettings, plan_job, run_fleet
    from syncspec.model.errors import UsageError

    if out_file is not None:
        raise UsageError("--out saves one environment's plan; select one environment to use it")
    if only:
        click.echo("warning: --only makes these partial plans; other changes are not shown.", err=True)
    settings = FleetSettings("plan", output, parallelism, fail_fast, no_color)
    return run_fleet(settings, selected, plan_job(output, detailed_exitcode, allow_delete, only))
