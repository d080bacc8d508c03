"""Fleet runs: `plan`, `apply` and `drift` over several environments of one project at once.

`-e` takes environment names or shell globs (repeatable), or `--all-environments` takes
them all. When the selection is one environment the job runs on the terminal's own
streams (a fleet of one: no heading, no summary); when it is several, each runs in its
own Session (own target, own state backend and so own lock) on a thread pool, its output
is captured and printed in one piece under a heading as it finishes, and a summary table
closes the run.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, cast

from syncspec.workspace.fleet_runner import FleetRunner, has_glob, match_environments
from syncspec.workspace.jobs import Display, EnvironmentJob
from syncspec.workspace.project import checked_project
from syncspec.workspace.session import Session

if TYPE_CHECKING:
    from syncspec.model.fleet import EnvRun, FleetResult, JobOutput
    from syncspec.model.shard import Shard
    from syncspec.render.machine import EventStream
    from syncspec.render.style import Style


@dataclass(frozen=True)
class Selection:
    """Which environments a command runs on, and how a fleet of them runs."""

    patterns: tuple[str, ...] = ()  # names or globs; empty: SYNCSPEC_ENV, then the project's
    all_environments: bool = False
    fail_fast: bool = False
    parallelism: int = 4  # environments at once
    shard: Shard | None = None  # `--shard K/N`: only that share of the selected environments


@dataclass(frozen=True)
class Streams:
    """Where a command writes: its output, its notes, and the environment it runs in."""

    cwd: Path
    env: Mapping[str, str]
    out: TextIO
    err: TextIO


def select(
    patterns: Sequence[str], all_environments: bool, cwd: Path, *, shard: Shard | None = None
) -> list[str] | None:
    """The environments to run, or None when the command should run as a single environment
    with `patterns[0]` (or the default): no globs, at most one name, no --all-environments, no
    --shard. A shard is always a fleet run (its JSON is one of the documents `fleet merge` takes),
    possibly of one environment or none."""
    single_run = not all_environments and len(patterns) <= 1 and not any(has_glob(p) for p in patterns)
    if shard is None and single_run:
        return None
    project = checked_project(cwd)
    everything = all_environments or (shard is not None and not patterns)
    selected = match_environments(list(project.environments), patterns, everything=everything)
    if shard is None:
        return selected
    from syncspec.model.shard import environments_of_shard

    return environments_of_shard(selected, shard)


def is_fleet(selected: list[str] | None, shard: Shard | None) -> bool:
    """Several environments, or a shard (even of one or none): a fleet run."""
    return selected is not None and (len(selected) > 1 or shard is not None)


def single(patterns: Sequence[str], selected: list[str] | None) -> str | None:
    """The one environment name a single run uses (None: SYNCSPEC_ENV or the project's default)."""
    if selected is not None:
        return selected[0]
    return patterns[0] if patterns else None


def run_one(
    job: EnvironmentJob,
    name: str | None,
    streams: Streams,
    output: str,
    style: Style,
    *,
    no_color: bool = False,
    events: EventStream | None = None,
) -> int:
    """`job` on one environment, writing straight to the streams; its exit code. With `events`
    (versioned JSON lines) the notes become events too; the caller reports an error that ends
    the run on them (`EventStream.errors_reported`)."""
    if events is None:
        with Session(streams.cwd, dict(streams.env), name, notes=streams.err) as session:
            return job(session, Display(streams.out, output, style, no_color=no_color)).code
    from syncspec.render.machine import NoteLines

    notes = cast(TextIO, NoteLines(events, streams.err))  # write/flush/isatty: all a note needs
    with Session(streams.cwd, dict(streams.env), name, notes=notes) as session:
        return job(session, Display(streams.out, output, style, events=events, no_color=no_color)).code


@dataclass(frozen=True)
class FleetSettings:
    command: str
    output: str
    parallelism: int
    fail_fast: bool
    no_color: bool


def run_fleet(
    settings: FleetSettings, environments: Sequence[str], job: EnvironmentJob, streams: Streams
) -> int:
    """Run `job` over `environments`, print as the output format asks, return the worst exit code."""
    from syncspec.render.fleet_doc import render_fleet_json, render_fleet_markdown
    from syncspec.render.fleet_text import render_env_block, render_summary
    from syncspec.render.style import Style

    _preload()
    out, err = streams.out, streams.err
    style = Style.for_stream(out, no_color=settings.no_color)
    buffered = _in_buffers(job, streams, settings.output)
    runner = FleetRunner(settings.command, buffered, settings.parallelism, settings.fail_fast)

    def on_done(run: EnvRun) -> None:
        if settings.output == "text":
            buffer = io.StringIO()
            render_env_block(run, buffer, style)
            _write(out, buffer.getvalue())  # one write per environment: never interleaved
        elif run.notes or run.error:
            _write(err, _prefixed(run))

    _write(
        err, f"note: {settings.command} on {len(environments)} environments, {settings.parallelism} at once\n"
    )
    result: FleetResult = runner.collect(environments, on_done)
    if settings.output == "json":
        render_fleet_json(result, out)
    elif settings.output == "markdown":
        render_fleet_markdown(result, out)
    else:
        render_summary(result, out, style)
    return result.exit_code


def _in_buffers(
    job: EnvironmentJob, streams: Streams, output: str
) -> Callable[[str, TextIO, TextIO], JobOutput]:
    """The fleet runner's job: one environment's own Session, writing into its buffers."""
    from syncspec.render.style import Style

    def run(name: str, out: TextIO, notes: TextIO) -> JobOutput:
        with Session(streams.cwd, dict(streams.env), name, notes=notes) as session:
            return job(session, Display(out, output, Style.plain(), in_fleet=True))

    return run


def _write(stream: TextIO, text: str) -> None:
    stream.write(text)
    stream.flush()


def _prefixed(run: EnvRun) -> str:
    text = run.notes + (run.error + "\n" if run.error else "")
    return "".join(f"[{run.environment}] {line}\n" for line in text.splitlines())


def _preload() -> None:
    """Import what every run needs before the threads start, so no two threads import one module."""
    import syncspec.apply.applier
    import syncspec.plan.drift
    import syncspec.plan.planfile
    import syncspec.plan.planner
    import syncspec.render.drift_output
    import syncspec.render.plan_output
    import syncspec.spec.validate
    import syncspec.targets.factory  # noqa: F401
