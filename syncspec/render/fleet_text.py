"""Fleet runs as text: each environment's output under its heading, then one summary table."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from syncspec.render.style import Style

if TYPE_CHECKING:
    from syncspec.model.fleet import EnvRun, FleetResult

_RESULT_COLOUR = {
    "no changes": "green",
    "applied": "green",
    "changes": "yellow",
    "drifted": "yellow",
    "failed": "red",
    "interrupted": "red",
    "skipped": "dim",
}


def render_env_block(run: EnvRun, stream: TextIO, style: Style) -> None:
    """One environment's heading and everything it printed, ending with a blank line."""
    stream.write(style.bold(f"=== {run.environment}: {_result(run, style)} ({_seconds(run)}) ===") + "\n")
    for text in (run.output, run.notes, run.error):
        if text:
            stream.write(text if text.endswith("\n") else text + "\n")
    stream.write("\n")


def summary_rows(result: FleetResult) -> list[tuple[str, str, str, str]]:
    """(environment, changes, result, duration) per environment, in selection order."""
    return [
        (
            run.environment,
            "-" if run.changes is None else str(run.changes),
            str(run.result),
            _seconds(run),
        )
        for run in result.runs
    ]


def summary_line(result: FleetResult) -> str:
    parts = ", ".join(f"{n} {name}" for name, n in result.counts().items())
    return f"{result.command}: {len(result.runs)} environments: {parts}; exit {result.exit_code}"


def render_summary(result: FleetResult, stream: TextIO, style: Style) -> None:
    header = ("environment", "changes", "result", "duration")
    rows = summary_rows(result)
    widths = [max([len(header[i]), *(len(row[i]) for row in rows)]) for i in range(4)]  # rows may be none
    stream.write(style.bold(_line(header, widths)) + "\n")
    stream.write("  ".join("-" * w for w in widths) + "\n")
    for run, row in zip(result.runs, rows, strict=True):
        painted = _line(row, widths)
        colour = _RESULT_COLOUR.get(str(run.result))
        stream.write((style.paint(painted, colour) if colour else painted) + "\n")
    stream.write("\n" + summary_line(result) + "\n")


def _line(cells: tuple[str, ...], widths: list[int]) -> str:
    # changes and duration are numbers: right-aligned
    aligned = [
        cell.rjust(width) if index in (1, 3) else cell.ljust(width)
        for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
    ]
    return "  ".join(aligned).rstrip()


def _result(run: EnvRun, style: Style) -> str:
    colour = _RESULT_COLOUR.get(str(run.result))
    return style.paint(str(run.result), colour) if colour else str(run.result)


def _seconds(run: EnvRun) -> str:
    return f"{run.duration:.2f}s"
