"""The exception tree. Everything syncspec raises on purpose derives from SyncspecError.

    SyncspecError                 (exit 1 unless stated)
     ├── UsageError               bad command-line use (exit 64)
     ├── ConfigError              desired-state files are unusable; carries diagnostics
     ├── TargetError              the target could not be reached or answered badly
     │    └── AgentError          the tenant refused an ErpSync agent call (SuperOffice's message)
     ├── PlanError                a plan cannot be made, read, or is stale
     ├── ApplyError               an apply failed (after rollback was attempted)
     └── StateError               locks, journal, last-applied records

Nothing here depends on click: the CLI's error boundary maps these to exit codes.
"""

from __future__ import annotations

from collections.abc import Sequence

from syncspec.model.diagnostics import Diagnostic


class SyncspecError(Exception):
    """Base of every error syncspec raises deliberately."""

    hint: str = ""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        if hint:
            self.hint = hint


class UsageError(SyncspecError):
    """The command line asks for something impossible."""


class ConfigError(SyncspecError):
    """Desired-state files cannot be used; `diagnostics` says where and why."""

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic] = (), *, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.diagnostics = tuple(diagnostics)


class TargetError(SyncspecError):
    """A target could not be reached, or answered in a way syncspec cannot use."""


class AgentError(TargetError):
    """The tenant refused an ErpSync agent call.

    `method` is SuperOffice's method name (e.g. ``SaveConnection``). `subject` names the
    object the call was about (e.g. ``ErpConnectionId=5``). `detail` is SuperOffice's
    `MessageDetail` over REST. `reasons` and `error_code` are the embedded tenant's own
    (in-process only: SuperOffice's documented error object carries neither).
    """

    def __init__(
        self,
        method: str,
        message: str,
        *,
        reasons: Sequence[str] = (),
        error_code: str = "",
        detail: str = "",
        subject: str = "",
        hint: str = "",
    ) -> None:
        called = f"{method}({subject})" if subject else method
        text = f"{called}: {message}"
        if detail and detail not in message:
            text = f"{text} ({' / '.join(line for line in detail.splitlines() if line.strip())})"
        super().__init__(text, hint=hint)
        self.method = method
        self.reason_text = message
        self.reasons = tuple(reasons)
        self.error_code = error_code
        self.detail = detail
        self.subject = subject


class PlanError(SyncspecError):
    """A plan cannot be made, read or applied as it is (e.g. stale, expired)."""


class ApplyError(SyncspecError):
    """An apply failed; the message says what was restored."""


class StateError(SyncspecError):
    """Locks, journal or last-applied records could not be used."""
