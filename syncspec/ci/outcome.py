"""What a syncspec exit code means to a CI step: pass, pass with changes, or fail.

docs/validate.md and README's table: 0 success, 1 error, 2 changes (`plan --detailed-exitcode`,
`drift`), 3 partial (`apply` of a saved plan that created connections: applied as reviewed, their
discovered fields need another plan and apply), 64 usage error, 130 interrupted. A CI step
must never read 64 as success: a mistyped environment or option would otherwise post an empty
plan comment and pass. 2 is success with
changes only where the command is documented to give it; anything not in the table fails.
"""

from __future__ import annotations

from dataclasses import dataclass

from syncspec.model.exitcodes import ExitCode

COMMANDS = ("validate", "plan", "apply", "drift")
_CHANGES_ALLOWED = {"plan", "drift"}  # plan with --detailed-exitcode; drift always


@dataclass(frozen=True)
class Outcome:
    passed: bool
    changes: bool
    summary: str  # one line for the log and the step summary
    warning: bool = False  # passed, but someone has to act (a partial apply)


def outcome(command: str, code: int) -> Outcome:
    if command not in COMMANDS:
        raise ValueError(f"unknown command {command!r}")
    if code == ExitCode.OK:
        return Outcome(True, False, f"syncspec {command}: succeeded, no changes")
    if code == ExitCode.CHANGES and command in _CHANGES_ALLOWED:
        what = "drift found" if command == "drift" else "changes to apply"
        return Outcome(True, True, f"syncspec {command}: {what}")
    if code == ExitCode.PARTIAL and command == "apply":
        return Outcome(
            True,
            True,
            "syncspec apply: partial (exit 3): the reviewed plan is applied; the connections it "
            "created need another plan and apply for their discovered fields",
            warning=True,
        )
    if code == ExitCode.ERROR:
        return Outcome(False, False, f"syncspec {command}: failed (exit 1)")
    if code == ExitCode.USAGE:
        return Outcome(False, False, f"syncspec {command}: usage error (exit 64): check the step's inputs")
    if code == ExitCode.INTERRUPTED:
        return Outcome(False, False, f"syncspec {command}: interrupted (exit 130)")
    return Outcome(False, False, f"syncspec {command}: unexpected exit code {code}")
