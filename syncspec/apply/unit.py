"""One unit of an apply: a connection's steps (all-or-nothing), or the global steps before/after.

A connection unit: fresh read (its before values, and the stale check), the steps in
order, then a re-read for convergence. Any failure, `KeyboardInterrupt` included, ends
in a restore; the unit's result says what happened and the journal tells each step.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from syncspec.apply.converge import left_after_create, unconverged
from syncspec.apply.hooks import ConnectionResult, ConnectionStatus, StepOutcome
from syncspec.apply.rollback import Touched, restore_connection
from syncspec.apply.steps import SecretResolver, StepContext, describe, run_step
from syncspec.model.address import Address
from syncspec.model.applied import JsonValue
from syncspec.model.errors import SyncspecError
from syncspec.model.live import LiveConnection, LiveState
from syncspec.plan.fingerprint import live_fingerprint
from syncspec.plan.model import Action, Change, ChangeKind, Plan
from syncspec.plan.ops import Activate, SaveConnection, Step
from syncspec.targets.base import Target

Emit = Callable[[dict[str, JsonValue]], None]  # journal event (apply_id and time added by the caller)
# (connection name, fresh live state) -> the steps that finish a connection created by this
# apply, planned again now that the tenant has discovered its fields
FollowUp = Callable[[str, LiveState], Sequence[Step]]


class Cancelled(Exception):
    """Raised between steps once an interrupt was requested."""


@dataclass
class UnitRun:
    """Everything a unit needs from the apply that runs it."""

    plan: Plan
    target: Target
    secrets: SecretResolver
    emit: Emit
    step_started: Callable[[int, Step], None]
    step_done: Callable[[StepOutcome], None]
    cancel: threading.Event
    environment: str
    read_lock: threading.Lock = field(default_factory=threading.Lock)
    follow_up: FollowUp | None = None
    # (connection, count): the follow-up planned `count` steps for a created connection's fields
    steps_added: Callable[[str, int], None] = lambda name, count: None


@dataclass(frozen=True)
class UnitOutcome:
    result: ConnectionResult
    after: LiveConnection | None = None  # the converged connection, for the last-applied record
    secret_values: Mapping[str, str] | None = None  # config.KEY -> clear value sent (memory only)
    interrupted: bool = False


def _error_text(exc: BaseException, ctx: StepContext) -> str:
    if isinstance(exc, KeyboardInterrupt | Cancelled):
        return "interrupted"
    if isinstance(exc, SyncspecError):
        return ctx.scrub(exc.message)
    return ctx.scrub(f"{type(exc).__name__}: {exc}")


def run_connection(run: UnitRun, name: str, steps: Sequence[tuple[int, Step]]) -> UnitOutcome:
    ctx = StepContext(run.target, name, run.secrets, read_lock=run.read_lock)
    total = len(steps)
    before, refused = _start(run, ctx, name, total)
    if refused is not None:
        return refused
    touched = Touched()
    planned = list(steps)
    finish_later = _finished_later(run, name)
    if finish_later and planned and isinstance(planned[-1][1], Activate):
        # The follow-up plan activates once the fields are configured; activating now would
        # have to be undone by it.
        planned.pop()
    failed = _run_steps(run, ctx, name, before, touched, planned, total, 0)
    if failed is not None:
        return failed
    if finish_later and run.follow_up is not None:
        base = max((index for index, _ in steps), default=0)
        # counted once: the activation popped above is the follow-up plan's now
        popped = len(steps) - len(planned)
        outcome, total = _follow_up(
            run, run.follow_up, ctx, before, touched, base, len(planned), total, popped
        )
        if outcome is not None:
            return outcome
    return _converge(run, ctx, name, total, finished=run.follow_up is not None)


def _start(
    run: UnitRun, ctx: StepContext, name: str, total: int
) -> tuple[LiveConnection | None, UnitOutcome | None]:
    """The connection before the unit's first write, or the outcome that ends the unit unstarted."""
    address = str(Address.connection(name))
    try:
        fresh = ctx.current()  # check_fresh read it under the lock; nothing has written it since
    except (Exception, KeyboardInterrupt) as exc:
        skipped = _failed(name, total, ConnectionStatus.SKIPPED, "", _error_text(exc, ctx))
        run.emit({"event": "connection_end", "connection": name, "status": "skipped", "error": skipped.error})
        return None, UnitOutcome(skipped, interrupted=isinstance(exc, KeyboardInterrupt))
    before = fresh.connections.get(name)
    stale = _stale(run.plan, fresh, address, before)
    if stale:
        run.emit({"event": "connection_end", "connection": name, "status": "stale", "error": stale})
        return None, UnitOutcome(_failed(name, total, ConnectionStatus.STALE, "", stale))
    before_fp = live_fingerprint(fresh, address) or ""
    run.emit(
        {"event": "connection_start", "connection": name, "before_fingerprint": before_fp, "steps": total}
    )
    return before, None


def _finished_later(run: UnitRun, name: str) -> bool:
    """A connection this apply creates is planned again once it exists: the fields the tenant
    discovers, and (when its connector is new too) the config field types its values are
    encoded with, are known only then."""
    return run.follow_up is not None and any(
        c.known_after_create or (c.action is Action.CREATE and c.kind is ChangeKind.CONNECTION)
        for c in run.plan.changes_for(name)
    )


def _follow_up(
    run: UnitRun,
    follow_up: FollowUp,
    ctx: StepContext,
    before: LiveConnection | None,
    touched: Touched,
    base: int,
    done: int,
    total: int,
    popped: int,
) -> tuple[UnitOutcome | None, int]:
    """Plan the created connection's fields and run those steps, numbered after the plan's;
    (the outcome when they failed, the unit's new step total)."""
    name = ctx.connection
    try:
        more = list(follow_up(name, ctx.fresh()))
    except (Exception, KeyboardInterrupt) as exc:
        result = _restore(
            run, ctx, name, before, touched, total, done, "plan the new fields", _error_text(exc, ctx)
        )
        return UnitOutcome(result, interrupted=isinstance(exc, KeyboardInterrupt)), total
    extra = [(base + offset, step) for offset, step in enumerate(more, start=1)]
    run.steps_added(name, len(extra))
    total += len(extra) - popped
    return _run_steps(run, ctx, name, before, touched, extra, total, done), total


def _run_steps(
    run: UnitRun,
    ctx: StepContext,
    name: str,
    before: LiveConnection | None,
    touched: Touched,
    steps: Sequence[tuple[int, Step]],
    total: int,
    done_before: int,
) -> UnitOutcome | None:
    """Run `steps`; on any failure restore the whole connection and return the outcome."""
    for done, (index, step) in enumerate(steps, start=done_before):
        try:
            if run.cancel.is_set():
                raise Cancelled()
            run.step_started(index, step)
            run.emit(_step_event("step_start", index, step))
            touched.add(step)
            run_step(step, ctx)
        except (Exception, KeyboardInterrupt) as exc:
            error = _error_text(exc, ctx)
            interrupted = isinstance(exc, KeyboardInterrupt | Cancelled)
            if not isinstance(exc, Cancelled):
                run.emit({**_step_event("step_end", index, step), "result": "failed", "error": error})
                run.step_done(StepOutcome(index, step, False, error))
            result = _restore(run, ctx, name, before, touched, total, done, describe(step), error)
            return UnitOutcome(result, interrupted=interrupted)
        run.emit({**_step_event("step_end", index, step), "result": "ok"})
        run.step_done(StepOutcome(index, step, True))
    return None


def _stale(plan: Plan, fresh: LiveState, address: str, before: LiveConnection | None) -> str:
    wanted = plan.fingerprints.get(address)
    hint = "run plan again"
    if wanted is None:
        if before is not None:
            return f"plan is stale: {address} was created since the plan was made; {hint}"
        return ""
    if live_fingerprint(fresh, address) != wanted:
        return f"plan is stale: {address} changed since the plan was made; {hint}"
    return ""


def _step_event(kind: str, index: int, step: Step) -> dict[str, JsonValue]:
    return {
        "event": kind,
        "index": index,
        "connection": step.connection,
        "kind": step.kind.value,
        "addresses": list(step.addresses),
    }


def _failed(name: str, total: int, status: ConnectionStatus, failed: str, error: str) -> ConnectionResult:
    return ConnectionResult(name=name, status=status, steps_total=total, failed_step=failed, error=error)


def _restore(
    run: UnitRun,
    ctx: StepContext,
    name: str,
    before: LiveConnection | None,
    touched: Touched,
    total: int,
    done: int,
    failed: str,
    error: str,
) -> ConnectionResult:
    run.emit({"event": "restore_start", "connection": name, "failed_step": failed, "error": error})

    def read(fresh: bool) -> LiveState:
        if fresh:
            ctx.forget()
            return ctx.fresh()
        with ctx.read_lock:
            return run.target.read_live(connections=[name])

    # The restore works from `before` (read before the first write) and does its own re-reads,
    # retried; its final read is the verdict, so no unretried read follows it here.
    restore = restore_connection(
        run.target,
        name,
        before,
        touched,
        read=read,
        read_state=lambda: ctx.read([]),
        scrub=ctx.scrub,
        created_id=ctx.connection_id if before is None else 0,
    )
    remaining = restore.remaining
    address = str(Address.connection(name))
    after_fp = (live_fingerprint(restore.after, address) or "") if restore.after else ""
    ok = restore.complete
    status = ConnectionStatus.RESTORED if ok else ConnectionStatus.RESTORE_FAILED
    next_command = "" if ok else f"syncspec apply -e {run.environment} --only {address}"
    run.emit(
        {
            "event": "restore_end",
            "connection": name,
            "restored": list[JsonValue](restore.restored),
            "errors": list[JsonValue](restore.errors),
            "remaining": list[JsonValue](remaining),
        }
    )
    run.emit(
        {
            "event": "connection_end",
            "connection": name,
            "status": status.value,
            "after_fingerprint": after_fp,
            "error": error,
        }
    )
    return ConnectionResult(
        name=name,
        status=status,
        steps_total=total,
        steps_done=done,
        failed_step=failed,
        error=error,
        restored=tuple(restore.restored),
        restore_errors=tuple(restore.errors) + tuple(remaining),
        next_command=next_command,
    )


def _converge(run: UnitRun, ctx: StepContext, name: str, total: int, *, finished: bool) -> UnitOutcome:
    """Re-read and judge the connection. `finished` says a follow-up pass planned the fields
    discovered on create; without one (a saved plan), a created connection is PARTIAL."""
    address = str(Address.connection(name))
    interrupted = False
    # Changes below a connection created in this apply were planned before its fields
    # existed; they are realised by the follow-up pass, not judged here.
    mine = run.plan.changes_for(name)
    changes: Sequence[Change] = [c for c in mine if not c.known_after_create]
    predicted: Sequence[Change] = [] if finished else [c for c in mine if c.known_after_create]
    pending: list[str] = []
    try:
        fresh = ctx.fresh()
        problems = unconverged(changes, fresh)
        # what the saved plan predicted below the new connection and the tenant still lacks
        pending = left_after_create(predicted, fresh)
        after = fresh.connections.get(name)
        after_fp = live_fingerprint(fresh, address) or ""
    except (Exception, KeyboardInterrupt) as exc:
        problems = [f"{address}: could not be re-read to confirm ({_error_text(exc, ctx)})"]
        after, after_fp = None, ""
        interrupted = isinstance(exc, KeyboardInterrupt)
    status = _status(problems, predicted)
    run.emit(
        {
            "event": "connection_end",
            "connection": name,
            "status": status.value,
            "after_fingerprint": after_fp,
            "not_converged": list[JsonValue](problems),
            **({"pending": list[JsonValue](pending)} if predicted else {}),
        }
    )
    result = ConnectionResult(
        name=name,
        status=status,
        steps_total=total,
        steps_done=total,
        not_converged=tuple(problems),
        pending=tuple(pending),
        next_command=(
            f"syncspec apply -e {run.environment} --only {address}"
            if status is ConnectionStatus.PARTIAL
            else ""
        ),
    )
    secrets = {f"config.{k}": v for k, v in _sent_secrets(run, name).items()}
    return UnitOutcome(
        result, after=None if problems else after, secret_values=secrets, interrupted=interrupted
    )


def _status(problems: Sequence[str], predicted: Sequence[Change]) -> ConnectionStatus:
    """NOT_CONVERGED on any problem; PARTIAL when a saved plan's predicted field work is left."""
    if problems:
        return ConnectionStatus.NOT_CONVERGED
    return ConnectionStatus.PARTIAL if predicted else ConnectionStatus.APPLIED


def _sent_secrets(run: UnitRun, name: str) -> dict[str, str]:
    """The sensitive values this apply sent for `name` (resolved again: they were never stored)."""
    sent: dict[str, str] = {}
    for step in run.plan.steps:
        if isinstance(step, SaveConnection) and step.connection == name:
            sent.update((key, run.secrets(name, key)) for key in step.sensitive_keys)
    return sent


def run_global(run: UnitRun, label: str, steps: Sequence[tuple[int, Step]]) -> UnitOutcome:
    """Connector saves/deletes and sync priority: each step one agent call, no restore needed
    beyond stopping (a failed call changed nothing; earlier ones are reported as applied)."""
    ctx = StepContext(run.target, "", run.secrets, read_lock=run.read_lock)
    for done, (index, step) in enumerate(steps):
        try:
            if run.cancel.is_set():
                raise Cancelled()
            run.step_started(index, step)
            run.emit(_step_event("step_start", index, step))
            run_step(step, ctx)
        except (Exception, KeyboardInterrupt) as exc:
            error = _error_text(exc, ctx)
            if not isinstance(exc, Cancelled):
                run.emit({**_step_event("step_end", index, step), "result": "failed", "error": error})
                run.step_done(StepOutcome(index, step, False, error))
            status = ConnectionStatus.RESTORE_FAILED if done else ConnectionStatus.RESTORED
            result = ConnectionResult(
                name=label,
                status=status,
                steps_total=len(steps),
                steps_done=done,
                failed_step=describe(step),
                error=error,
                next_command=f"syncspec apply -e {run.environment}" if done else "",
            )
            run.emit({"event": "connection_end", "connection": label, "status": status.value, "error": error})
            return UnitOutcome(result, interrupted=isinstance(exc, KeyboardInterrupt | Cancelled))
        run.emit({**_step_event("step_end", index, step), "result": "ok"})
        run.step_done(StepOutcome(index, step, True))
    run.emit({"event": "connection_end", "connection": label, "status": "applied"})
    return UnitOutcome(ConnectionResult(label, ConnectionStatus.APPLIED, len(steps), len(steps)))
