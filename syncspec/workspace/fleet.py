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
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from syncspec.workspace.fleet_runner import EnvRun, FleetResult, JobOutput
    from syncspec.workspace.session import PlanRequest


def select(patterns: Sequence[str], all_environments: bool, cwd: Path | None = None) -> list[str] | None:
    """The environments to run, or None when the command should run as a single environment
    with `patterns[0]` (or the default): no globs, at most one name, no --all-environments."""
    from syncspec.workspace.fleet_runner import has_glob, match_environments

    if not all_environments and len(patterns) <= 1 and not any(has_glob(p) for p in patterns):
        return None
    project = _project(cwd or Path.cwd())
    return match_environments(list(project.environments), patterns, everything=all_environments)


@dataclass(frozen=True)
class FleetSettings:
    command: str
    output: str
    parallelism: int
    fail_fast: bool
    no_color: bool


def run_fleet(settings: FleetSettings, environments: Sequence[str], job: Callable[..., JobOutput]) -> int:
    """Run `job` over `environments`, print as the output format asks, return the worst exit code."""
    from syncspec.render.fleet_doc import render_fleet_json, render_fleet_markdown
    from syncspec.render.fleet_text import render_env_block, render_summary
    from syncspec.render.style import Style
    from syncspec.workspace.fleet_runner import FleetRunner

    _preload()
    style = Style.for_stream(sys.stdout, no_color=settings.no_color)
    runner = FleetRunner(settings.command, job, settings.parallelism, settings.fail_fast)

    def on_done(run: EnvRun) -> None:
        if settings.output == "text":
            block = _block(run, style, render_env_block)
            _write(sys.stdout, block)  # one write per environment: never interleaved
        elif run.notes or run.error:
            _write(sys.stderr, _prefixed(run))

    _write(
        sys.stderr,
        f"note: {settings.command} on {len(environments)} environments, {settings.parallelism} at once\n",
    )
    result: FleetResult = runner.collect(environments, on_done)
    if settings.output == "json":
        render_fleet_json(result, sys.stdout)
    elif settings.output == "markdown":
        render_fleet_markdown(result, sys.stdout)
    else:
        render_summary(result, sys.stdout, style)
    return result.exit_code


def _write(stream: TextIO, text: str) -> None:
    stream.write(text)
    stream.flush()


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
    from syncspec.model.exitcodes import ExitCode
    from syncspec.workspace.fleet_runner import JobOutput, RunResult
    from syncspec.workspace.session import Session

    def job(name: str, out: TextIO, notes: TextIO) -> JobOutput:
        with Session(Path.cwd(), dict(os.environ), name, notes=notes) as session:
            result = session.make_plan(request)
        document = _render(result, output, out)
        count = len(result.changes)
        code = ExitCode.CHANGES if detailed_exitcode and count else ExitCode.OK
        return JobOutput(code, RunResult.CHANGES if count else RunResult.NO_CHANGES, count, document)

    return job


def drift_job(output: str) -> Any:
    from syncspec.model.errors import StateError
    from syncspec.model.exitcodes import ExitCode
    from syncspec.plan.drift import drift_report
    from syncspec.workspace.fleet_runner import JobOutput, RunResult
    from syncspec.workspace.session import PlanRequest, Session

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
