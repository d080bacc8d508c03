"""`syncspec drift`: report changes made in the tenant outside syncspec (for scheduled CI jobs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from syncspec.cli.fleet import environment_options, selection, streams

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
    from syncspec.workspace.commands import DriftCommand, run_drift

    chosen = selection(environments, all_environments, fail_fast, parallelism, shard)
    return run_drift(DriftCommand(chosen, output, no_color), streams())
