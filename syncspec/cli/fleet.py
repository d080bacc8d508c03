"""Fleet runs: `plan`, `apply` and `drift` over several environments of one project at once.

`-e` takes environment names or shell globs (repeatable), or `--all-environments` takes
them all. When the selection is one environment the command runs exactly as before;
when it is several, each runs in its own Session (own target, own state backend and so
own lock) on a thread pool, its output is captured and printed in one piece under a
heading as it finishes, and a summary table closes the run.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

import click

if TYPE_CHECKING:
    from syncspec.cli.fleet_run import EnvRun, FleetResult, JobOutput
    from syncspec.cli.session import PlanRequest
    from syncspec.model.shard import Shard

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


def select(
    patterns: Sequence[str], all_environments: bool, cwd: Path | None = None, *, shard: Shard | None = None
) -> list[str] | None:
    """The environments to run, or None when the command should run as a single environment
    with `patterns[0]` (or the default): no globs, at most one name, no --all-environments, no
    --shard. A shard is always a fleet run (its JSON is one of the documents `fleet merge` takes),
    possibly of one environment or none."""
    from syncspec.cli.fleet_run import has_glob, match_environments

    if (
        shard is None
        and not all_environments
        and len(patterns) <= 1
        and not any(has_glob(p) for p in patterns)
    ):
        return None
    project = _project(cwd or Path.cwd())
    everything = all_environments or (shard is not None and not patterns)
    selected = match_environments(list(project.environments), patterns, everything=everything)
    if shard is None:
        return selected
    from syncspec.model.shard import environments_of_shard

    return environments_of_shard(selected, shard)


def is_fleet(selected: list[str] | None, shard: Shard | None) -> bool:
    return selected is not None and (len(selected) > 1 or shard is not None)


def single(patterns: Sequence[str], selected: list[str] | None) -> str | None:
    """The one environment name a single run uses (None: SYNCSPEC_ENV or the project's default)."""
    if selected is not None:
        return selected[0]
    return patterns[0] if patterns else None


@dataclass(frozen=True)
class FleetSettings:
    command: str
    output: str
    parallelism: int
    fail_fast: bool
    no_color: bool


def run_fleet(settings: FleetSettings, environments: Sequence[str], job: Callable[..., JobOutput]) -> int:
    """Run `job` over `environments`, print as the output format asks, return the worst exit code."""
    from syncspec.cli.fleet_run import FleetRunner
    from syncspec.render.fleet_doc import render_fleet_json, render_fleet_markdown
    from syncspec.render.fleet_text import render_env_block, render_summary
    from syncspec.render.style import Style

    _preload()
    style = Style.for_stream(sys.stdout, no_color=settings.no_color)
    runner = FleetRunner(settings.command, job, settings.parallelism, settings.fail_fast)

    def on_done(run: EnvRun) -> None:
        if settings.output == "text":
            block = _block(run, style, render_env_block)
            click.echo(block, nl=False)  # one write per environment: never interleaved
        elif run.notes or run.error:
            click.echo(_prefixed(run), err=True, nl=False)

    click.echo(
        f"note: {settings.command} on {len(environments)} environments, {settings.parallelism} at once",
        err=True,
    )
    result: FleetResult = runner.collect(environments, on_done)
    if settings.output == "json":
        render_fleet_json(result, sys.stdout)
    elif settings.output == "markdown":
        render_fleet_markdown(result, sys.stdout)
    else:
        render_summary(result, sys.stdout, style)
    return result.exit_code


def _block(run: EnvRun, style: Any, render: Callable[..., None]) -> str:
    import io

    buffer = io.StringIO()
    render(run, buffer, style)
    return buffer.getvalue()


def _prefixed(run: EnvRun) -> str:
    text = run.notes + (run.error + "\n" if run.error else "")
    return "".join(f"[{run.environment}] {line}\n" for line in text.splitlines())


def _project(cwd: Path) -> Any:
    from syncspec.model.diagnostics import has_errors
    from syncspec.model.errors import ConfigError
    from syncspec.spec.project import find_project, load_project

    project = load_project(find_project(cwd), root=cwd)
    if has_errors(project.diagnostics):
        raise ConfigError(
            "syncspec.yaml has problems, so no environments can be chosen safely", project.diagnostics
        )
    return project


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


# --- the jobs: one environment each -------------------------------------------------------


def plan_job(output: str, detailed_exitcode: bool, request: PlanRequest) -> Any:
    from syncspec.cli.fleet_run import JobOutput, RunResult
    from syncspec.cli.session import Session
    from syncspec.model.exitcodes import ExitCode

    def job(name: str, out: TextIO, notes: TextIO) -> JobOutput:
        with Session(Path.cwd(), dict(os.environ), name, notes=notes) as session:
            result = session.make_plan(request)
        document = _render(result, output, out)
        count = len(result.changes)
        code = ExitCode.CHANGES if detailed_exitcode and count else ExitCode.OK
        return JobOutput(code, RunResult.CHANGES if count else RunResult.NO_CHANGES, count, document)

    return job


def drift_job(output: str) -> Any:
    from syncspec.cli.fleet_run import JobOutput, RunResult
    from syncspec.cli.session import PlanRequest, Session
    from syncspec.model.errors import StateError
    from syncspec.model.exitcodes import ExitCode
    from syncspec.plan.drift import drift_report

    def job(name: str, out: TextIO, notes: TextIO) -> JobOutput:
        with Session(Path.cwd(), dict(os.environ), name, notes=notes) as session:
            last_applied = session.last_applied()
            if not last_applied.values:
                raise StateError(
                    f"no apply is recorded for environment {name!r}, so drift cannot be told apart from "
                    "configuration changes",
                    hint="run 'syncspec apply' once; drift compares the tenant with what it applied",
                )
            result = drift_report(session.make_plan(PlanRequest()), last_applied)
        document = _render(result, output, out, drift=True)
        count = len(result.changes)
        code = ExitCode.CHANGES if count else ExitCode.OK
        return JobOutput(code, RunResult.DRIFTED if count else RunResult.NO_CHANGES, count, document)

    return job


def _render(plan: Any, output: str, out: TextIO, *, drift: bool = False) -> object:
    """Text and markdown go to the environment's buffer; JSON becomes part of the combined document."""
    from syncspec.plan.planfile import write_plan
    from syncspec.render.plan_output import render_plan
    from syncspec.render.style import Style

    if output == "json":
        return json.loads(write_plan(plan))
    if drift:
        from syncspec.render.drift_output import render_drift

        render_drift(plan, output, out, Style.plain())
        return None
    render_plan(plan, output, out, Style.plain())
    return None
