"""`syncspec plan`: what apply would change, for a reviewer, a CI job or a saved plan file."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from syncspec.cli.fleet import environment_options
from syncspec.model.exitcodes import ExitCode

if TYPE_CHECKING:
    from syncspec.cli.session import PlanRequest
    from syncspec.model.shard import Shard

OUTPUTS = ("text", "json", "markdown")
F = TypeVar("F", bound=Callable[..., Any])


def shaping_options(verb: str) -> Callable[[F], F]:
    """The options that shape a new plan, shared by `plan` and `apply` (`verb` words the help)."""

    def decorate(command: F) -> F:
        for option in reversed(
            [
                click.option(
                    "--only",
                    multiple=True,
                    metavar="ADDR",
                    help="Limit to addresses at or under ADDR (repeatable); an ADDR matching "
                    "nothing is an error.",
                ),
                click.option(
                    "--allow-delete",
                    is_flag=True,
                    help=f"{verb} deletes of connections and connectors not in the config.",
                ),
                click.option(
                    "--allow-delete-all",
                    is_flag=True,
                    help=f"{verb} deletes even of every connection, or of more than "
                    "--max-delete-percent of them (implies --allow-delete).",
                ),
                click.option(
                    "--max-delete-percent",
                    type=click.IntRange(0, 100),
                    default=None,
                    metavar="N",
                    help="Refuse a plan deleting more than N% of the connections "
                    "[default: max_delete_percent in syncspec.yaml, else 50].",
                ),
                click.option(
                    "--resend-secrets",
                    multiple=True,
                    metavar="ADDR",
                    help="Send the secrets of connection ADDR (or just ADDR.config.KEY) again, "
                    "whether or not they changed (repeatable).",
                ),
            ]
        ):
            command = option(command)
        return command

    return decorate


def plan_request(**shaping: Any) -> PlanRequest:
    """The PlanRequest the shaping options ask for."""
    from syncspec.cli.session import PlanRequest

    return PlanRequest(
        allow_delete=bool(shaping["allow_delete"]),
        only=tuple(shaping["only"]),
        allow_delete_all=bool(shaping["allow_delete_all"]),
        max_delete_percent=shaping["max_delete_percent"],
        resend_secrets=tuple(shaping["resend_secrets"]),
    )


@click.command("plan")
@environment_options(parallelism=True)
@click.option(
    "--out",
    "out_file",
    type=click.Path(path_type=Path),
    help="Also write the plan file (JSON) here; signed when SYNCSPEC_PLAN_KEY is set.",
)
@click.option(
    "--output", type=click.Choice(OUTPUTS), default="text", show_default=True, help="How to show it."
)
@click.option("--detailed-exitcode", is_flag=True, help="Exit 2 when there are changes, 0 when none.")
@shaping_options("Plan")
@click.option("--no-color", is_flag=True, help="Never colour the output.")
def plan(
    environments: tuple[str, ...],
    all_environments: bool,
    shard: Shard | None,
    fail_fast: bool,
    parallelism: int,
    out_file: Path | None,
    output: str,
    detailed_exitcode: bool,
    no_color: bool,
    **shaping: Any,
) -> int:
    """Compare the configuration with the live tenant and show the ordered changes.

    Exit 0 (no changes, or changes without --detailed-exitcode), 2 (changes, with
    --detailed-exitcode), 1 (error: invalid or empty configuration, unreachable target,
    too many deletes), 64 (usage: e.g. an --only ADDR that matches nothing).
    With several environments: the worst of their exit codes (1, then 2, then 0).
    """
    from syncspec.cli.fleet import is_fleet, select, single
    from syncspec.cli.session import Session
    from syncspec.plan.planfile import write_plan
    from syncspec.plan.signing import plan_key
    from syncspec.render.plan_output import render_plan
    from syncspec.render.style import Style
    from syncspec.state.files import write_private

    request = plan_request(**shaping)
    selected = select(environments, all_environments, shard=shard)
    if is_fleet(selected, shard):
        assert selected is not None
        settings = (output, detailed_exitcode, no_color, out_file, parallelism, fail_fast)
        return _fleet(selected, request, *settings)
    environment = single(environments, selected)
    key = plan_key(os.environ) if out_file is not None else None
    with Session(Path.cwd(), dict(os.environ), environment, notes=sys.stderr) as session:
        result = session.make_plan(request)
        if request.only:
            click.echo("warning: --only makes this a partial plan; other changes are not shown.", err=True)
        if out_file is not None:
            write_private(out_file, write_plan(result, key))  # owner-only (0600; new folders 0700), atomic
            signed = " (signed with SYNCSPEC_PLAN_KEY)" if key is not None else ""
            click.echo(f"note: plan saved to {out_file}{signed}", err=True)
        render_plan(result, output, sys.stdout, Style.for_stream(sys.stdout, no_color=no_color))
    if detailed_exitcode and result.changes:
        return ExitCode.CHANGES
    return ExitCode.OK


def _fleet(
    selected: list[str],
    request: PlanRequest,
    output: str,
    detailed_exitcode: bool,
    no_color: bool,
    out_file: Path | None,
    parallelism: int,
    fail_fast: bool,
) -> int:
    from syncspec.cli.fleet import FleetSettings, plan_job, run_fleet
    from syncspec.model.errors import UsageError

    if out_file is not None:
        raise UsageError("--out saves one environment's plan; select one environment to use it")
    if request.only:
        click.echo("warning: --only makes these partial plans; other changes are not shown.", err=True)
    settings = FleetSettings("plan", output, parallelism, fail_fast, no_color)
    return run_fleet(settings, selected, plan_job(output, detailed_exitcode, request))
