"""Diagnostics: what validate, rules and plan report, collected rather than raised.

Locations are 1-based for line and column (like editors and SARIF); a location may
name a file without a line when the problem is the file itself (unreadable, empty).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True, order=True)
class Location:
    """Where a diagnostic points: a file, and optionally a 1-based line and column."""

    file: str
    line: int = 0
    column: int = 0
    json_path: str = "$"

    def __post_init__(self) -> None:
        if self.line < 0 or self.column < 0:
            raise ValueError(f"line and column are 1-based (0 = unknown), got {self.line}:{self.column}")

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column or 1}"
        return self.file


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in desired state, metadata or a plan."""

    severity: Severity
    code: str
    message: str
    location: Location | None = None
    hint: str = ""
    address: str = ""
    related: tuple[Location, ...] = field(default=())

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, int, str, str]:
        loc = self.location
        return (
            loc.file if loc else "",
            loc.line if loc else 0,
            loc.column if loc else 0,
            self.severity.rank,
            self.code,
            self.message,
        )


def sorted_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sort by file, line, column, then severity: the order every renderer prints."""
    unique = dict.fromkeys(diagnostics)  # the same finding reached twice is shown once
    return sorted(unique, key=Diagnostic.sort_key)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


@dataclass(frozen=True)
class Report:
    """What a validate run found: every diagnostic, and how many files were read."""

    diagnostics: tuple[Diagnostic, ...]
    files_checked: int
    notes: tuple[str, ...] = ()  # one-line remarks, e.g. "semantic rules skipped: no metadata"

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity is Severity.WARNING)
