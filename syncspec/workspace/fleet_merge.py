"""`syncspec fleet merge`: the shards' `--output json` documents read back into one fleet result."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from syncspec.model.errors import SyncspecError, UsageError

if TYPE_CHECKING:
    from syncspec.model.fleet import EnvRun, FleetResult


def merge_shard_files(files: Sequence[Path]) -> FleetResult:
    """One result of all the shards' environments, as one run over them all would give."""
    from syncspec.plan.fleet_merge import fleet_result_from_document, merge_fleet_results

    shards = []
    for path in files:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise UsageError(f"{path}: cannot read a fleet result ({exc})") from exc
        shards.append((str(path), fleet_result_from_document(document, str(path))))
    return merge_fleet_results(shards)


def with_markdown(result: FleetResult) -> FleetResult:
    """The result with each plan or drift environment's markdown, for the pull-request comment."""
    runs = tuple(replace(run, output=_markdown(result.command, run)) for run in result.runs)
    return replace(result, runs=runs)


def _markdown(command: str, run: EnvRun) -> str:
    """A plan or drift environment's markdown, from the plan document its shard wrote."""
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
