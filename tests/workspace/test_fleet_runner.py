"""The fleet runner on its own: selection by globs, the worst exit code, fail-fast, captured output."""

from __future__ import annotations

import threading
from typing import TextIO

import pytest

from syncspec.model.diagnostics import Diagnostic, Severity
from syncspec.model.errors import ConfigError, StateError, UsageError
from syncspec.workspace.fleet_runner import (
    FleetRunner,
    JobOutput,
    RunResult,
    match_environments,
    worst_exit_code,
)

KNOWN = ["prod-eu", "prod-us", "test-eu", "dev"]


@pytest.mark.parametrize(
    ("patterns", "everything", "expected"),
    [
        (["prod-*"], False, ["prod-eu", "prod-us"]),
        (["*-eu", "dev"], False, ["prod-eu", "test-eu", "dev"]),
        (["dev", "prod-?s"], False, ["prod-us", "dev"]),
        (["[pt]*-eu", "*-eu"], False, ["prod-eu", "test-eu"]),
        ([], True, KNOWN),
    ],
)
def test_globs_select_in_project_order_without_duplicates(
    patterns: list[str], everything: bool, expected: list[str]
) -> None:
    assert match_environments(KNOWN, patterns, everything=everything) == expected


def test_a_pattern_that_matches_nothing_is_a_usage_error_naming_the_known_ones() -> None:
    with pytest.raises(UsageError, match=r"no environment matches 'stage-\*'; known: prod-eu, prod-us"):
        match_environments(KNOWN, ["prod-*", "stage-*"], everything=False)
    with pytest.raises(UsageError, match="not both"):
        match_environments(KNOWN, ["dev"], everything=True)


@pytest.mark.parametrize(
    ("codes", "worst"),
    [([], 0), ([0, 0], 0), ([0, 2, 0], 2), ([2, 1, 0], 1), ([1, 2], 1), ([2, 130, 1], 130), ([64, 2], 1)],
)
def test_the_worst_exit_code_wins_one_beats_two_beats_zero(codes: list[int], worst: int) -> None:
    assert worst_exit_code(codes) == worst


def _job(failing: set[str], started: list[str]) -> FleetRunner:
    lock = threading.Lock()

    def job(name: str, out: TextIO, notes: TextIO) -> JobOutput:
        with lock:
            started.append(name)
        out.write(f"first line of {name}\n")
        notes.write(f"note: about {name}\n")
        if name in failing:
            raise StateError(f"{name} is broken", hint="fix it")
        out.write(f"last line of {name}\n")
        return JobOutput(2 if name.endswith("2") else 0, RunResult.CHANGES, len(name))

    return FleetRunner("plan", job, parallelism=3)


def test_every_environment_runs_and_one_failure_does_not_stop_the_others() -> None:
    started: list[str] = []
    runner = _job({"env-1"}, started)
    seen: list[str] = []
    result = runner.collect([f"env-{n}" for n in range(6)], lambda run: seen.append(run.environment))
    assert sorted(started) == sorted(seen) == [f"env-{n}" for n in range(6)]
    assert [run.environment for run in result.runs] == [f"env-{n}" for n in range(6)]
    assert result.exit_code == 1
    failed = result.runs[1]
    assert failed.result == RunResult.FAILED and failed.changes is None
    assert failed.error == "Error: env-1 is broken\n  hint: fix it"
    assert failed.output == "first line of env-1\n"  # what it printed before failing is kept
    ok = result.runs[2]
    assert (ok.code, ok.changes) == (2, 5)
    assert ok.output == "first line of env-2\nlast line of env-2\n"
    assert ok.notes == "note: about env-2\n"


def test_fail_fast_reports_the_ones_not_started_as_skipped() -> None:
    started: list[str] = []
    runner = _job({"b"}, started)
    runner.parallelism = 1
    runner.fail_fast = True
    result = runner.collect(["a", "b", "c", "d"], lambda run: None)
    assert started == ["a", "b"]
    assert [run.result for run in result.runs] == [
        RunResult.CHANGES,
        RunResult.FAILED,
        RunResult.SKIPPED,
        RunResult.SKIPPED,
    ]
    assert result.exit_code == 1
    assert result.count(RunResult.SKIPPED) == 2


def test_a_config_error_lists_its_diagnostics_and_an_unexpected_one_no_traceback() -> None:
    diagnostic = Diagnostic(Severity.ERROR, "SS214", "environment variable X is not set")

    def job(name: str, out: TextIO, notes: TextIO) -> JobOutput:
        if name == "config":
            raise ConfigError("the configuration is not valid", [diagnostic])
        raise KeyError("surprise")

    result = FleetRunner("drift", job).collect(["config", "bug"], lambda run: None)
    assert result.runs[0].error.splitlines() == [
        "Error: the configuration is not valid",
        "  error SS214 environment variable X is not set",
    ]
    assert result.runs[1].error == "Unexpected error: KeyError: 'surprise'"
    assert "Traceback" not in result.runs[1].error
