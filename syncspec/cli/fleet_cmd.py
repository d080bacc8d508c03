"""`syncspec fleet merge FILE...`: one summary and one PR comment for a sharded fleet run."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.group("fleet")
def fleet() -> None:
    """Work with the results of fleet runs (plan, apply, drift over many environments)."""


@fleet.command("merge")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--output",
    type=click.Choice(("text", "markdown", "json")),
    default="text",
    show_default=True,
    help="The summary table (text), a pull-request comment (markdown), or one fleet document (json).",
)
@click.option("--no-color", is_flag=True, help="Never colour the output.")
def merge(files: tuple[Path, ...], output: str, no_color: bool) -> int:
    """Merge the `--output json` documents of `--shard 1/N` .. `N/N` into one result.

    Exits with the code one run over all the environments would have had: the worst of
    theirs (130, then 1, then 2, then 0).
    """
    from syncspec.render.fleet_doc import render_fleet_json, render_fleet_markdown
    from syncspec.render.fleet_text import render_summary
    from syncspec.render.style import Style
    from syncspec.workspace.fleet_merge import merge_shard_files, with_markdown

    result = merge_shard_files(files)
    if output == "json":
        render_fleet_json(result, sys.stdout)
    elif output == "markdown":
        render_fleet_markdown(with_markdown(result), sys.stdout)
    else:
        render_summary(result, sys.stdout, Style.for_stream(sys.stdout, no_color=no_color))
    return result.exit_code
