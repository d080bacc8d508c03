"""`plan`, `drift` and `apply` as values: what the options asked for, and the one call that runs it.

The click commands build one of these and call `run_*`; everything between the options
and the exit code (one environment or a fleet, saved plans, refusals) is decided here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from syncspec.model.errors import UsageError
from syncspec.workspace.fleet import (
    FleetSettings,
    Selection,
    Streams,
    is_fleet,
    run_fleet,
    run_one,
    select,
    single,
)
from syncspec.workspace.jobs import PARTIAL_PLANS, ApplyJob, DriftJob, PlanJob
from syncspec.workspace.saved_plan import read_saved_plan
from syncspec.workspace.session import PlanRequest

if TYPE_CHECKING:
    from syncspec.render.machine import EventStream
    from syncspec.render.style import Style


@dataclass(frozen=True)
class PlanCommand:
    selection: Selection
    request: PlanRequest
    output: str = "text"
    detailed_exitcode: bool = False
    save_to: Path | None = None
    no_color: bool = False


@dataclass(frozen=True)
class DriftCommand:
    selection: Selection
    output: str = "text"
    no_color: bool = False


@dataclass(frozen=True)
class ApplyCommand:
    selection: Selection
    request: PlanRequest
    lock_timeout: float
    command_line: str  # what the journal records as the command
    planfile: Path | None = None
    auto_approve: bool = False
    output: str = "text"
    no_color: bool = False


def run_plan(command: PlanCommand, streams: Streams) -> int:
    """`--output json` is the plan document (an error document when planning fails), `jsonl`
    the versioned event stream; a fleet prints one JSON document for either."""
    selected = _selected(command.selection, streams)
    if selected is not None and is_fleet(selected, command.selection.shard):
        if command.save_to is not None:
            raise UsageError("--out saves one environment's plan; select one environment to use it")
        if command.request.only:
            streams.err.write(PARTIAL_PLANS + "\n")
        job = PlanJob(command.request, command.detailed_exitcode)
        output = "json" if command.output == "jsonl" else command.output  # a fleet is one document
        return _fleet("plan", output, command.selection, command.no_color, selected, job, streams)
    from syncspec.plan.signing import plan_key
    from syncspec.render.machine import error_document_on_failure

    key = plan_key(streams.env) if command.save_to is not None else None
    job = PlanJob(command.request, command.detailed_exitcode, command.save_to, key)
    name = single(command.selection.patterns, selected)
    style = _style(streams, command.no_color)
    if command.output == "jsonl":
        events = _event_stream(streams, "plan")
        with events.errors_reported():
            return run_one(job, name, streams, "jsonl", style, no_color=command.no_color, events=events)
    if command.output == "json":
        with error_document_on_failure(streams.out):
            return run_one(job, name, streams, command.output, style, no_color=command.no_color)
    return run_one(job, name, streams, command.output, style, no_color=command.no_color)


def run_drift(command: DriftCommand, streams: Streams) -> int:
    selected = _selected(command.selection, streams)
    if selected is not None and is_fleet(selected, command.selection.shard):
        return _fleet(
            "drift", command.output, command.selection, command.no_color, selected, DriftJob(), streams
        )
    name = single(command.selection.patterns, selected)
    return run_one(DriftJob(), name, streams, command.output, _style(streams, command.no_color))


def run_apply(command: ApplyCommand, streams: Streams, approve: Callable[[TextIO | None], bool]) -> int:
    """`approve` asks a person (unless --auto-approve); it is never called in a fleet. Apply's
    JSON output (`json` or `jsonl`) is the versioned event stream; a fleet's one document."""
    if command.output == "jsonl":
        command = replace(command, output="json")
    selected = _selected(command.selection, streams)
    if selected is not None and is_fleet(selected, command.selection.shard):
        if command.planfile is not None:
            raise UsageError("a saved plan belongs to one environment; select one environment to apply it")
        if not command.auto_approve:
            raise UsageError(
                f"applying {len(selected)} environments at once needs --auto-approve",
                hint="review them first with 'syncspec plan' and the same -e patterns",
            )
        job = ApplyJob(command.request, command.lock_timeout)  # each environment's own command line
        return _fleet("apply", command.output, command.selection, command.no_color, selected, job, streams)
    if command.output != "json":
        return _apply_one(command, selected, streams, approve, None)
    events = _event_stream(streams, "apply")
    with events.errors_reported():  # a refusal (a broken plan file, say) is an event too
        return _apply_one(command, selected, streams, approve, events)


def _apply_one(
    command: ApplyCommand,
    selected: list[str] | None,
    streams: Streams,
    approve: Callable[[TextIO | None], bool],
    events: EventStream | None,
) -> int:
    if command.planfile is not None and command.request != PlanRequest():
        raise UsageError(
            "--only, --allow-delete, --allow-delete-all, --max-delete-percent and --resend-secrets "
            "shape a new plan; a saved plan is applied as it is"
        )
    job = ApplyJob(
        command.request,
        command.lock_timeout,
        command.command_line,
        parallelism=command.selection.parallelism,
        saved=read_saved_plan(command.planfile, streams.env) if command.planfile is not None else None,
        approve=None if command.auto_approve else approve,
    )
    name = single(command.selection.patterns, selected)
    style = _style(streams, command.no_color)
    return run_one(job, name, streams, command.output, style, no_color=command.no_color, events=events)


def _event_stream(streams: Streams, command: str) -> EventStream:
    """The JSON-lines stream on stdout, its first line the version line."""
    from syncspec.render.machine import EventStream

    events = EventStream(streams.out)
    events.version(command)
    return events


def _selected(selection: Selection, streams: Streams) -> list[str] | None:
    return select(selection.patterns, selection.all_environments, streams.cwd, shard=selection.shard)


def _fleet(
    verb: str,
    output: str,
    selection: Selection,
    no_color: bool,
    selected: list[str],
    job: PlanJob | DriftJob | ApplyJob,
    streams: Streams,
) -> int:
    settings = FleetSettings(verb, output, selection.parallelism, selection.fail_fast, no_color)
    return run_fleet(settings, selected, job, streams)


def _style(streams: Streams, no_color: bool) -> Style:
    from syncspec.render.style import Style

    return Style.for_stream(streams.out, no_color=no_color)
