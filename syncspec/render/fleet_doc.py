"""Fleet runs as one document: JSON (for CI) or markdown (for a pull-request comment)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, TextIO

from syncspec.render.fleet_text import summary_line, summary_rows

if TYPE_CHECKING:
    from syncspec.model.fleet import FleetResult

FLEET_FORMAT_VERSION = 1


def fleet_object(result: FleetResult) -> dict[str, object]:
    """The combined document: a summary and, per environment, its outcome and its own document
    (the plan for plan/drift, the apply events for apply)."""
    return {
        "fleet_format_version": FLEET_FORMAT_VERSION,
        "command": result.command,
        "exit_code": result.exit_code,
        "summary": result.counts(),
        "environments": [
            {
                "environment": run.environment,
                "result": str(run.result),
                "exit_code": run.code,
                "changes": run.changes,
                "duration_s": round(run.duration, 3),
                "error": run.error or None,
                "notes": run.notes.splitlines(),
                "document": run.document,
            }
            for run in result.runs
        ],
    }


def render_fleet_json(result: FleetResult, stream: TextIO) -> None:
    stream.write(json.dumps(fleet_object(result), indent=2, ensure_ascii=False) + "\n")


def render_fleet_markdown(result: FleetResult, stream: TextIO) -> None:
    stream.write(f"# syncspec {result.command}: {len(result.runs)} environments\n\n")
    stream.write("| environment | changes | result | duration |\n|---|---:|---|---:|\n")
    for row in summary_rows(result):
        stream.write("| " + " | ".join(_cell(cell) for cell in row) + " |\n")
    stream.write(f"\n{summary_line(result)}\n")
    for run in result.runs:
        stream.write(f"\n## {run.environment}: {run.result}\n\n")
        if run.output:
            stream.write(run.output if run.output.endswith("\n") else run.output + "\n")
        if run.error:
            stream.write("```text\n" + run.error.replace("```", "'''") + "\n```\n")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
