"""`syncspec fleet merge FILE...`: one summary and one PR comment for a sharded fleet run."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from syncspec.model.fleet import EnvRun


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
    from dataclasses import replace

    from syncspec.model.errors import UsageError
    from syncspec.plan.fleet_merge import fleet_result_from_document, merge_fleet_results
    from syncspec.render.fleet_doc import render_fleet_json, render_fleet_markdown
    from syncspec.render.fleet_text import render_summary
    from syncspec.render.style import Style

    shards = []
    for path in files:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise UsageError(f"{path}: cannot read a fleet result ({exc})") from exc
        shards.append((str(path), fleet_result_from_document(document, str(path))))
    result = merge_fleet_results(shards)
    if output == "json":
        render_fleet_json(result, sys.stdout)
    elif output == "markdown":
        runs = tuple(replace(run, output=_markdown(result.command, run)) for run in result.runs)
        render_fleet_markdown(replace(result, runs=runs), sys.stdout)
    else:
        render_summary(result, sys.stdout, Style.for_stream(sys.stdout, no_color=no_color))
    return result.exit_code


def _markdown(command: str, run: EnvRun) -> str:
    """A plan or drift environment's markdown, from the plan document its shard wrote."""
    import io

    from syncspec.model.errors import SyncspecError
    from syncspec.plan.planfile import read_plan
    from syncspec.render.style import Style

    if command not in ("plan", "drift") or not isinstance(run.document, dict):
        return ""
    try:
        plan = read_plan(json.dumps(run.document), unverified_ok=True)
    except SyncspecError:
        return "_(this environment's plan document could not be read)_\n"
    buffer = io.StringIO()
    if command == "drift":
        from syncspec.render.drift_output import render_drift

        render_drift(plan, "markdown", buffer, Style.plain())
    else:
        from syncspec.render.plan_output import render_plan

        render_plan(plan, "markdown", buffer, Style.plain())
    return buffer.getvalue()
