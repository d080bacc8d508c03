"""Join the JSON results of a sharded fleet run (`plan|apply|drift --shard K/N --output json`)
into one result, for the summary table and the pull-request comment.

Each shard wrote a fleet document (docs/fleet.md); merging checks they belong together (one
command, one format version, no environment twice) and recomputes the exit code as a single
run over all the environments would have had it: the worst of the environments' codes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from syncspec.model.errors import UsageError
from syncspec.model.exitcodes import ExitCode
from syncspec.model.fleet import EnvRun, FleetResult, RunResult

FLEET_FORMAT_VERSION = 1  # what render/fleet_doc.py writes
_RESULTS = {str(r): r for r in RunResult}


def worst_exit_code(codes: Sequence[int]) -> int:
    """Interrupted beats error, error beats changes, changes beat success (as in one fleet run)."""
    for code in (ExitCode.INTERRUPTED, ExitCode.ERROR, ExitCode.USAGE, ExitCode.CHANGES):
        if code in codes:
            return ExitCode.ERROR if code == ExitCode.USAGE else int(code)
    return ExitCode.OK


def fleet_result_from_document(document: object, source: str) -> FleetResult:
    """One shard's fleet document as a FleetResult; anything else is a located UsageError."""
    if not isinstance(document, Mapping) or "fleet_format_version" not in document:
        raise UsageError(f"{source}: not a fleet result (made by --output json with --shard)")
    if document["fleet_format_version"] != FLEET_FORMAT_VERSION:
        raise UsageError(f"{source}: fleet_format_version {document['fleet_format_version']!r} is not 1")
    try:
        runs = tuple(_run(entry) for entry in document["environments"])
        return FleetResult(str(document["command"]), runs, int(document["exit_code"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise UsageError(f"{source}: malformed fleet result ({exc})") from exc


def _run(entry: Mapping[str, Any]) -> EnvRun:
    result = _RESULTS[entry["result"]]
    changes = entry["changes"]
    return EnvRun(
        environment=str(entry["environment"]),
        code=int(entry["exit_code"]),
        result=result,
        changes=None if changes is None else int(changes),
        duration=float(entry["duration_s"]),
        notes="".join(f"{line}\n" for line in entry.get("notes") or []),
        error=str(entry.get("error") or ""),
        document=entry.get("document"),
    )


def merge_fleet_results(shards: Sequence[tuple[str, FleetResult]]) -> FleetResult:
    """All shards' environments, sorted by name, under the worst exit code."""
    if not shards:
        raise UsageError("no fleet results to merge")
    commands = {result.command for _, result in shards}
    if len(commands) != 1:
        raise UsageError(f"the results are of different commands ({', '.join(sorted(commands))})")
    seen: dict[str, str] = {}
    runs: list[EnvRun] = []
    for source, result in shards:
        for run in result.runs:
            if run.environment in seen:
                raise UsageError(
                    f"environment {run.environment!r} is in both {seen[run.environment]} and {source}",
                    hint="merge the shards of one run: the same -e selection with --shard 1/N .. N/N",
                )
            seen[run.environment] = source
            runs.append(run)
    runs.sort(key=lambda run: run.environment)
    return FleetResult(commands.pop(), tuple(runs), worst_exit_code([run.code for run in runs]))
