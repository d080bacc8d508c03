"""What an apply reports: per-step outcomes, per-connection results, and the hooks that hear them.

The applier never prints; renderers implement `ApplyHooks`. Hooks are called one at a
time (the applier serialises them), from whichever thread runs the connection.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Protocol

from syncspec.plan.model import Plan, Step


class ConnectionStatus(enum.StrEnum):
    APPLIED = "applied"  # every step ran and a re-read confirms the plan's values
    NOT_CONVERGED = "not_converged"  # every step ran, but the tenant normalised or refused values
    # every step ran and converged, but the connection was created by a saved plan: the fields
    # the tenant discovered on create could not be planned, so their field-level work is left
    PARTIAL = "partial"
    RESTORED = "restored"  # a step failed; what was written is back to its before values
    RESTORE_FAILED = "restore_failed"  # a step failed and so did (part of) the restore
    STALE = "stale"  # the live object changed since the plan: nothing written
    SKIPPED = "skipped"  # not started (an earlier failure or an interrupt)


@dataclass(frozen=True)
class StepOutcome:
    index: int  # 1-based position in the plan's steps
    step: Step
    ok: bool
    error: str = ""


@dataclass(frozen=True)
class ConnectionResult:
    """How one unit ended: a connection, or `connectors` / `sync_priority` for the global steps."""

    name: str
    status: ConnectionStatus
    steps_total: int
    steps_done: int = 0
    failed_step: str = ""  # e.g. "save_actor_mapping (connection.x.actor.Customer)"
    error: str = ""
    restored: tuple[str, ...] = ()  # what the restore wrote back
    restore_errors: tuple[str, ...] = ()
    not_converged: tuple[str, ...] = ()  # "address attribute: wanted X, tenant has Y"
    notes: tuple[str, ...] = ()
    next_command: str = ""  # what finishes the job when the restore failed (or a partial one)
    # PARTIAL: the planned values below the created connection the tenant still lacks
    # ("address attribute: wanted X, tenant has Y"); the fields it discovered may need more
    pending: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status in (
            ConnectionStatus.APPLIED,
            ConnectionStatus.NOT_CONVERGED,
            ConnectionStatus.PARTIAL,
        )


@dataclass(frozen=True)
class ApplyResult:
    apply_id: str
    plan_id: str
    environment: str
    started_at: str
    finished_at: str
    units: tuple[ConnectionResult, ...] = ()
    steps_total: int = 0
    interrupted: bool = False
    noop: bool = False
    notes: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.interrupted and all(u.status is ConnectionStatus.APPLIED for u in self.units)

    @property
    def failed(self) -> bool:
        return self.interrupted or any(not u.ok for u in self.units)

    @property
    def partial(self) -> bool:
        """Nothing failed, but a created connection's field-level work is left for the next plan."""
        return not self.failed and any(u.status is ConnectionStatus.PARTIAL for u in self.units)

    @property
    def result(self) -> str:
        """succeeded | partial | not_converged | failed | interrupted | noop (the journal's and
        history's word)."""
        if self.noop:
            return "noop"
        if self.interrupted:
            return "interrupted"
        if self.failed:
            return "failed"
        if self.ok:
            return "succeeded"
        if any(u.status is ConnectionStatus.NOT_CONVERGED for u in self.units):
            return "not_converged"
        return "partial"

    @property
    def steps_done(self) -> int:
        return sum(u.steps_done for u in self.units)


class ApplyHooks(Protocol):
    """Progress callbacks; every method has a no-op default in `NullHooks`."""

    def on_apply_start(self, plan: Plan, steps_total: int) -> None: ...

    def on_step_start(self, index: int, step: Step) -> None: ...

    def on_step_done(self, outcome: StepOutcome) -> None: ...

    def on_steps_added(self, connection: str, steps: int) -> None:
        """A connection created by this apply: `steps` more for the fields the tenant discovered
        (its held-back activation among them), counted as a phase of their own."""

    def on_connection_done(self, result: ConnectionResult) -> None: ...

    def on_apply_done(self, result: ApplyResult) -> None: ...


class NullHooks:
    def on_apply_start(self, plan: Plan, steps_total: int) -> None:
        return None

    def on_step_start(self, index: int, step: Step) -> None:
        return None

    def on_step_done(self, outcome: StepOutcome) -> None:
        return None

    def on_steps_added(self, connection: str, steps: int) -> None:
        return None

    def on_connection_done(self, result: ConnectionResult) -> None:
        return None

    def on_apply_done(self, result: ApplyResult) -> None:
        return None
