"""Fleet runs: `plan`, `apply` and `drift` over several environments of one project at once.

`-e` takes environment names or shell globs (repeatable), or `--all-environments` takes
them all. When the selection is one environment the command runs exactly as before;
when it is several, each runs in its own Session (own target, own state backend and so
own lock) on a thread pool, its output is captured and printed in one piece under a
heading as it finishes, and a summary table closes the run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    pass

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


def single(patterns: Sequence[str], selected: list[str] | None) -> str | None:
    """The one environment name a single run uses (None: SYNCSPEC_ENV or the project's default)."""
    if selected is not None:
        return selected[0]
    return patterns[0] if patterns else None
