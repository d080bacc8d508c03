"""`syncspec apply`: apply a saved plan exactly, or plan, show, ask and apply."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from syncspec.cli.fleet import environment_options, selection, streams
from syncspec.cli.lock_timeout import LOCK_TIMEOUT
from syncspec.cli.plan_cmd import plan_request, shaping_options

if TYPE_CHECKING:
    from syncspec.model.shard import Shard

OUTPUTS = ("text", "json", "jsonl")  # JSON either way: the versioned event stream


@click.command("apply")
@click.argument("planfile", required=False, type=click.Path(path_type=Path, dir_okay=False))
@environment_options(parallelism=False)
@click.option(
    "--auto-approve", is_flag=True, help="Apply without asking (required when stdin is no terminal)."
)
@click.option(
    "--parallelism",
    type=click.IntRange(1, 64),
    default=4,
    show_default=True,
    help="Connections at once (with several environments: environments at once).",
)
@click.option(
    "--lock-timeout",
    type=LOCK_TIMEOUT,
    default=0.0,
    show_default=True,
    metavar="SECONDS",
    help="How long to wait for another apply's lock.",
)
@click.option("--output", type=click.Choice(OUTPUTS), default="text", show_default=True)
@shaping_options("Apply")
@click.option("--no-color", is_flag=True, help="Never colour the output.")
def apply(
    planfile: Path | None,
    environments: tuple[str, ...],
    all_environments: bool,
    shard: Shard | None,
    fail_fast: bool,
    auto_approve: bool,
    parallelism: int,
    lock_timeout: float,
    output: str,
    no_color: bool,
    **shaping: Any,
) -> int:
    """Make the tenant match the configuration (or apply exactly PLANFILE).

    Exit 0 (applied, or nothing to do), 1 (refused: stale, expired, edited or wrongly signed
    plan, too many deletes, lock held, not approved; or failed / not converged), 3 (partial:
    a saved plan created connections whose discovered fields it could not plan), 130
    (interrupted; written changes restored).
    With several environments (--auto-approve required): 1 when any failed.
    """
    from syncspec.workspace.commands import ApplyCommand, run_apply

    command = ApplyCommand(
        selection(environments, all_environments, fail_fast, parallelism, shard),
        plan_request(**shaping),
        lock_timeout,
        "syncspec " + " ".join(sys.argv[1:])[:200],
        planfile=planfile,
        auto_approve=auto_approve,
        output=output,
        no_color=no_color,
    )
    return run_apply(command, streams(), _approved)


def _approved(notes: TextIO | None) -> bool:
    """Ask on the terminal; a refusal is told on `notes` (the run's notes: events too in JSON)."""
    told: TextIO = notes if notes is not None else sys.stderr
    if not sys.stdin.isatty():
        told.write(
            "Error: not applying: stdin is not a terminal, so nobody can approve the plan.\n"
            "  hint: review it with 'syncspec plan' and pass --auto-approve, or apply a saved plan file.\n"
        )
        told.flush()
        return False
    answer = click.prompt("Apply these changes? Only 'yes' is accepted", default="", show_default=False)
    if answer.strip() != "yes":
        click.echo("Apply cancelled; nothing was written.", err=True)
        return False
    return True
