"""Exit codes, in one place (the table in docs/validate.md and README.md)."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    OK = 0  # success, and no changes
    ERROR = 1  # invalid config, failed apply, stale plan, lock held
    CHANGES = 2  # changes present (plan --detailed-exitcode, drift)
    USAGE = 64  # bad command-line use
    INTERRUPTED = 130  # Ctrl-C
