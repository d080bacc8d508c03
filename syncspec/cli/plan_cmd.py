"""`syncspec plan`: what apply would change, for a reviewer, a CI job or a saved plan file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from syncspec.cli.fleet import environment_options, selection, streams

if TYPE_CHECKING:
    from syncspec.model.shard import Shard
    from syncspec.workspace.session import PlanRequest

# json: the plan document (the plan file); jsonl: versioned events (docs/machine-output.md)
OUTPUTS = ("text", "json", "jsonl", "markdown")
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
    from syncspec.workspace.session import PlanRequest

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
    "--output",
    type=click.Choice(OUTPUTS),
    default="text",
    show_default=True,
    help="How to show it (json: the plan document; jsonl: versioned events, docs/machine-output.md).",
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
    from syncspec.workspace.commands import PlanCommand, run_plan

    command = PlanCommand(
        selection(environments, all_environments, fail_fast, parallelism, shard),
        plan_request(**shaping),
        output=output,
        detailed_exitcode=detailed_exitcode,
        save_to=out_file,
        no_color=no_color,
    )
    return run_plan(command, streams())
