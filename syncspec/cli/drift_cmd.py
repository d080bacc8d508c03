"""`syncspec drift`: report changes made in the tenant outside syncspec (for scheduled CI jobs)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from syncspec.cli.fleet import environment_options
from syncspec.model.exitcodes import ExitCode

if TYPE_CHECKING:
    from syncspec.model.shard import Shard


@click.command("drift")
@environment_options(parallelism=True)
@click.option("--output", type=click.Choice(("text", "json", "markdown")), default="text", show_default=True)
@click.option("--no-color", is_flag=True, help="Never colour the output.")
def drift(
    environments: tuple[str, ...],
    all_environments: bool,
    shard: Shard | None,
    fail_fast: bool,
    parallelism: int,
    output: str,
    no_color: bool,
) -> int:
    """Compare the live tenant with what syncspec last applied.

    Each change reads `last applied -> live now`: what syncspec last wrote, then what the
    tenant holds. A conflict (the files changed the same attribute too) says what the
    configuration now asks for.

    Exit 0 when nothing changed outside syncspec, 2 when something did, 1 on error
    (including: no apply recorded yet for this environment, so there is nothing to compare).
    With several environments: the worst of their exit codes (1, then 2, then 0).
    """
    from syncspec.cli.fleet import FleetSettings, drift_job, is_fleet, run_fleet, select, single
    from syncspec.cli.session import PlanRequest, Session
    from syncspec.model.errors import StateError
    from syncspec.plan.drift import drift_report
    from syncspec.render.drift_output import render_drift
    from syncspec.render.style import Style

    selected = select(environments, all_environments, shard=shard)
    if is_fleet(selected, shard):
        assert selected is not None
        settings = FleetSettings("drift", output, parallelism, fail_fast, no_color)
        return run_fleet(settings, selected, drift_job(output))
    environment = single(environments, selected)
    with Session(Path.cwd(), dict(os.environ), environment, notes=sys.stderr) as session:
        last_applied = session.last_applied()
        if not last_applied.values:
            raise StateError(
                f"no apply is recorded for environment {session.environment.name!r}, so drift cannot be told "
                "apart from configuration changes",
                hint="run 'syncspec apply' once; drift compares the tenant with what it applied",
            )
        result = drift_report(session.make_plan(PlanRequest()), last_applied)
    render_drift(result, output, sys.stdout, Style.for_stream(sys.stdout, no_color=no_color))
    return ExitCode.CHANGES if result.changes else ExitCode.OK
