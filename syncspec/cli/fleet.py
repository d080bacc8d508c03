"""The options every environment-running command shares (`-e`, `--all-environments`, ...).

What a selection of several environments does is workspace/fleet.py's business.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from syncspec.model.shard import Shard
    from syncspec.workspace.fleet import Selection, Streams

F = TypeVar("F", bound=Callable[..., Any])


def environment_options(*, parallelism: bool) -> Callable[[F], F]:
    """`-e` (repeatable, globs), `--all-environments`, `--fail-fast` and, unless the command
    already has it, `--parallelism`."""

    def decorate(function: F) -> F:
        options = [
            click.option(
                "-e",
                "--env",
                "environments",
                multiple=True,
                metavar="ENV",
                help="Environment, or a glob over environment names (repeatable; several run concurrently). "
                "Default: SYNCSPEC_ENV, then the project's.",
            ),
            click.option("--all-environments", is_flag=True, help="Run every environment of the project."),
            click.option(
                "--shard",
                metavar="K/N",
                callback=_parse_shard,
                help="Run only the K-th of N shards of the selected environments (all of them without -e), "
                "a stable split for a CI matrix; 'syncspec fleet merge' joins the shards' --output json.",
            ),
            click.option(
                "--fail-fast",
                is_flag=True,
                help="With several environments: stop starting more after a failure.",
            ),
        ]
        if parallelism:
            options.append(
                click.option(
                    "--parallelism",
                    type=click.IntRange(1, 64),
                    default=4,
                    show_default=True,
                    help="With several environments: how many run at once.",
                )
            )
        for option in reversed(options):
            function = option(function)
        return function

    return decorate


def _parse_shard(ctx: click.Context, param: click.Parameter, value: str | None) -> Shard | None:
    from syncspec.model.shard import parse_shard

    return None if value is None else parse_shard(value)


def selection(
    patterns: tuple[str, ...],
    all_environments: bool,
    fail_fast: bool,
    parallelism: int,
    shard: Shard | None = None,
) -> Selection:
    from syncspec.workspace.fleet import Selection

    return Selection(patterns, all_environments, fail_fast, parallelism, shard)


def streams() -> Streams:
    """The command's working directory, environment variables and terminal streams."""
    from syncspec.workspace.fleet import Streams

    return Streams(Path.cwd(), dict(os.environ), sys.stdout, sys.stderr)
