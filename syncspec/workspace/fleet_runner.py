"""Running one job per environment concurrently, and what each run came to.

Pure of click and of any printing: a job gets its own buffers for output and notes, so
the caller can show each environment's text in one piece under its heading, never
interleaved with another environment's lines.
"""

from __future__ import annotations

import fnmatch
import io
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import TextIO

from syncspec.model.errors import ConfigError, SyncspecError, UsageError
from syncspec.model.exitcodes import ExitCode
from syncspec.model.fleet import EnvRun, FleetResult, JobOutput, RunResult

__all__ = ["EnvRun", "FleetResult", "JobOutput", "RunResult"]

GLOB_CHARS = frozenset("*?[")


# A job runs one environment: (environment name, output buffer, notes buffer) -> JobOutput.
# It raises SyncspecError for anything that stops that environment.
Job = Callable[[str, TextIO, TextIO], JobOutput]


def has_glob(pattern: str) -> bool:
    return any(ch in GLOB_CHARS for ch in pattern)


def match_environments(known: Sequence[str], patterns: Sequence[str], *, everything: bool) -> list[str]:
    """The environments `patterns` (globs) select, in the project's order; every pattern must match."""
    if everything:
        if patterns:
            raise UsageError("give either -e PATTERN or --all-environments, not both")
        if not known:
            raise UsageError("the project defines no environments")
        return list(known)
    chosen: set[str] = set()
    for pattern in patterns:
        hits = [name for name in known if fnmatch.fnmatchcase(name, pattern)]
        if not hits:
            listing = ", ".join(known) or "(none)"
            raise UsageError(
                f"no environment matches {pattern!r}; known: {listing}",
                hint="patterns are shell globs over environment names, e.g. -e 'customer-*'",
            )
        chosen.update(hits)
    return [name for name in known if name in chosen]


def worst_exit_code(codes: Sequence[int]) -> int:
    """The fleet's exit code: interrupted beats error, error beats changes, changes beat success."""
    order = (ExitCode.INTERRUPTED, ExitCode.ERROR, ExitCode.USAGE, ExitCode.CHANGES)
    for code in order:
        if code in codes:
            return ExitCode.ERROR if code == ExitCode.USAGE else int(code)
    return ExitCode.OK


def describe_error(exc: BaseException) -> str:
    """The one-paragraph message an environment's failure is reported with (no traceback)."""
    if isinstance(exc, SyncspecError):
        lines = [f"Error: {exc.message}"]
        if isinstance(exc, ConfigError):
            from syncspec.render.diagnostics import format_text_line
            from syncspec.render.style import Style

            lines.extend("  " + format_text_line(d, Style.plain()) for d in exc.diagnostics[:20])
        if exc.hint:
            lines.append(f"  hint: {exc.hint}")
        return "\n".join(lines)
    return f"Unexpected error: {type(exc).__name__}: {exc}"


@dataclass
class FleetRunner:
    """Runs `job` for each environment, at most `parallelism` at once.

    With `fail_fast`, the first failed environment stops the ones not started yet;
    they are reported as skipped. Runs already under way finish (each holds its own
    lock and an apply must not be cut off between a connection's steps).
    """

    command: str
    job: Job
    parallelism: int = 4
    fail_fast: bool = False
    clock: Callable[[], float] = time.monotonic
    _stop: threading.Event = field(default_factory=threading.Event)

    def run(self, environments: Sequence[str]) -> Iterator[EnvRun]:
        """Each environment's run as it completes (completion order)."""
        workers = max(1, min(self.parallelism, len(environments)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fleet") as pool:
            futures: list[Future[EnvRun]] = [pool.submit(self._one, name) for name in environments]
            try:
                for future in as_completed(futures):
                    yield future.result()
            finally:
                # Interrupted or abandoned: environments not started yet must not start.
                self._stop.set()

    def collect(self, environments: Sequence[str], on_done: Callable[[EnvRun], None]) -> FleetResult:
        """Run them all, calling `on_done` as each finishes; runs come back in selection order."""
        by_name: dict[str, EnvRun] = {}
        for run in self.run(environments):
            by_name[run.environment] = run
            on_done(run)
        runs = tuple(by_name[name] for name in environments)
        return FleetResult(self.command, runs, worst_exit_code([run.code for run in runs]))

    def _one(self, name: str) -> EnvRun:
        if self._stop.is_set():
            return EnvRun(name, ExitCode.OK, RunResult.SKIPPED, None, 0.0, error="not started: --fail-fast")
        out, notes = io.StringIO(), io.StringIO()
        started = self.clock()
        try:
            done = self.job(name, out, notes)
        except KeyboardInterrupt:
            self._stop.set()
            return self._failed(name, started, out, notes, "interrupted", ExitCode.INTERRUPTED)
        except Exception as exc:  # one environment's failure is reported, not raised
            return self._failed(name, started, out, notes, describe_error(exc), ExitCode.ERROR)
        if done.code == ExitCode.ERROR and self.fail_fast:
            self._stop.set()
        return EnvRun(
            name,
            done.code,
            done.result,
            done.changes,
            self.clock() - started,
            out.getvalue(),
            notes.getvalue(),
            document=done.document,
        )

    def _failed(
        self, name: str, started: float, out: io.StringIO, notes: io.StringIO, error: str, code: int
    ) -> EnvRun:
        if self.fail_fast:
            self._stop.set()
        result = RunResult.INTERRUPTED if code == ExitCode.INTERRUPTED else RunResult.FAILED
        return EnvRun(
            name, code, result, None, self.clock() - started, out.getvalue(), notes.getvalue(), error=error
        )
