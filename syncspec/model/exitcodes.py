"""Exit codes, in one place (the table in docs/validate.md and README.md)."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    OK = 0  # success, and no changes
    ERROR = 1  # invalid config, failed apply, stale plan, lock held
    CHANGES = 2  # changes present (plan --detailed-exitcode, drift)
    # apply: every step ran, but a saved plan created connections whose field-level work
    # (the fields the tenant discovered on create) it could not plan; plan and apply again
    PARTIAL = 3
    USAGE = 64  # bad command-line use
    INTERRUPTED = 130  # Ctrl-C


def apply_exit_code(result: str) -> ExitCode:
    """The exit code of an apply from its result word (`ApplyResult.result`, the journal's)."""
    if result in ("succeeded", "noop"):
        return ExitCode.OK
    if result == "partial":
        return ExitCode.PARTIAL
    if result == "interrupted":
        return ExitCode.INTERRUPTED
    return ExitCode.ERROR
