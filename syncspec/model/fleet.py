"""What a fleet run (plan/apply/drift over many environments) came to: plain values for renderers."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class RunResult(enum.StrEnum):
    """How one environment's run ended, as the summary table shows it."""

    NO_CHANGES = "no changes"
    CHANGES = "changes"
    APPLIED = "applied"
    DRIFTED = "drifted"
    FAILED = "failed"
    SKIPPED = "skipped"
    INTERRUPTED = "interrupted"


@dataclass(frozen=True)
class JobOutput:
    """What a job returns: its exit code, result, number of changes and a JSON-able document."""

    code: int
    result: RunResult
    changes: int
    document: object = None


@dataclass(frozen=True)
class EnvRun:
    """One environment's run: what it came to, how long it took and what it printed."""

    environment: str
    code: int
    result: RunResult
    changes: int | None
    duration: float
    output: str = ""
    notes: str = ""
    error: str = ""
    document: object = None


@dataclass(frozen=True)
class FleetResult:
    command: str
    runs: tuple[EnvRun, ...]
    exit_code: int

    def count(self, result: RunResult) -> int:
        return sum(1 for run in self.runs if run.result == result)

    def counts(self) -> dict[str, int]:
        """How many environments ended each way, by result name (sorted)."""
        return {str(r): self.count(r) for r in sorted(RunResult, key=str) if self.count(r)}
