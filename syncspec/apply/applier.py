"""`apply_plan`: run a plan through a target under the environment's lock, safely.

Order: refuse a plan that expired, was made by another syncspec or for another tenant,
or whose touched live objects changed; take the lock; save connectors; run the
connections concurrently (each all-or-nothing, see `unit.py`); then connector deletes,
sync priority and the sync engine, only when every connection succeeded. Last-applied
values are recorded for converged connections. Progress goes to `hooks`; nothing is printed.
"""

from __future__ import annotations

import getpass
import os
import secrets
import socket
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime

from syncspec import __version__
from syncspec.apply.converge import record_for
from syncspec.apply.hooks import (
    ApplyHooks,
    ApplyResult,
    ConnectionResult,
    ConnectionStatus,
    NullHooks,
    StepOutcome,
)
from syncspec.apply.steps import SecretResolver
from syncspec.apply.unit import FollowUp, UnitOutcome, UnitRun, run_connection, run_global
from syncspec.model.address import Address
from syncspec.model.applied import JsonValue, LastApplied
from syncspec.model.errors import PlanError
from syncspec.model.live import LiveConnection
from syncspec.model.units import CONNECTORS_UNIT, FINAL_UNIT
from syncspec.plan.fingerprint import live_fingerprint
from syncspec.plan.model import Action, Change, ChangeKind, Plan
from syncspec.plan.ops import SaveConnector, Step
from syncspec.plan.planfile import plan_body, plan_id_of, sha256_of
from syncspec.state.base import LockInfo, StateBackend
from syncspec.state.secrets import PREFIX as DIGEST_PREFIX
from syncspec.targets.base import Target

# What the final unit realises: connector deletes, the sync priority, the sync engine.
_FINAL_KINDS = (ChangeKind.CONNECTOR, ChangeKind.SYNC_PRIORITY, ChangeKind.SYNC_ENGINE)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def check_plan(plan: Plan, target: Target, *, environment: str, now: datetime) -> None:
    """Refuse what may not be applied at all (PlanError, exit 1)."""
    again = "run plan again"
    if plan.plan_id != plan_id_of(plan):
        # what is applied and journalled must be what was reviewed under this id
        raise PlanError(
            "the plan's content does not match its plan_id: it was changed after planning", hint=again
        )
    if plan.syncspec_version != __version__:
        raise PlanError(
            f"the plan was made by syncspec {plan.syncspec_version}, this is {__version__}", hint=again
        )
    if plan.environment != environment:
        raise PlanError(f"the plan is for environment {plan.environment!r}, not {environment!r}", hint=again)
    if plan.target != target.identity():
        raise PlanError(f"the plan is for target {plan.target}, not {target.identity()}", hint=again)
    try:
        expires = datetime.fromisoformat(plan.expires_at.replace("Z", "+00:00"))
    except ValueError:
        raise PlanError(f"the plan's expiry {plan.expires_at!r} is not a time", hint=again) from None
    if expires <= now:
        raise PlanError(f"the plan expired at {plan.expires_at}", hint=again)


def check_fresh(plan: Plan, target: Target) -> None:
    """Every touched live object must still have the fingerprint it had at planning time.

    Reads only what the fingerprints cover: the fingerprinted connections in depth (plus the
    tenant-wide lists), and everything only when a connector is fingerprinted.
    """
    if not plan.fingerprints and not plan.steps:
        return
    live = target.read_live(connections=stale_check_scope(plan), fresh=True)
    for address, wanted in sorted(plan.fingerprints.items()):
        if live_fingerprint(live, address) != wanted:
            raise PlanError(
                f"plan is stale: {address} changed since the plan was made; run plan again",
                hint="make a new plan and review it",
            )


def stale_check_scope(plan: Plan) -> list[str] | None:
    """The connections the stale check must read in depth (None: the whole tenant)."""
    names: list[str] = []
    for address in plan.fingerprints:
        kind, _, name = address.partition(".")
        if kind == "connection":
            names.append(name)
        elif kind not in ("sync_priority", "sync_engine"):
            return None  # a connector: read everything, connectors are not scoped
    return sorted(set(names))


@dataclass(frozen=True)
class _Context:
    apply_id: str
    who: str
    started_at: str
    secret_digest: Callable[[str], str] | None
    follow_up: FollowUp | None = None
    broken_lock: LockInfo | None = None  # a dead run's lock this apply broke (see state/lock.py)
    broken_because: str = ""


def apply_plan(
    plan: Plan,
    target: Target,
    *,
    secrets: SecretResolver,
    state: StateBackend,
    hooks: ApplyHooks | None = None,
    parallelism: int = 4,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    lock_timeout: float = 0.0,
    command: str = "syncspec apply",
    owner: str | None = None,
    secret_digest: Callable[[str], str] | None = None,
    follow_up: FollowUp | None = None,
) -> ApplyResult:
    """Apply `plan`; see the module docstring. Raises PlanError / LockHeldError before writing."""
    hooks = hooks or NullHooks()
    started = now()
    check_plan(plan, target, environment=state.environment, now=started)
    apply_id = _new_id(started)
    if not plan.steps:
        result = ApplyResult(apply_id, plan.plan_id, plan.environment, iso(started), iso(started), noop=True)
        hooks.on_apply_done(result)
        return result
    who = owner or _user()
    lock = state.acquire_lock(command=command, owner=who, timeout=lock_timeout, now=iso(started))
    try:
        check_fresh(plan, target)
        context = _Context(
            apply_id,
            who,
            iso(started),
            secret_digest,
            follow_up,
            lock.replaced,
            lock.replaced_because,
        )
        return _run(plan, target, secrets, state, hooks, parallelism, now, context)
    finally:
        state.release_lock(lock)


def _run(
    plan: Plan,
    target: Target,
    secret_of: SecretResolver,
    state: StateBackend,
    hooks: ApplyHooks,
    parallelism: int,
    now: Callable[[], datetime],
    context: _Context,
) -> ApplyResult:
    serial = threading.Lock()  # hooks and journal see one event at a time
    run = _unit_run(plan, target, secret_of, state, hooks, now, context, serial)
    run.emit(_apply_start(plan, context))
    with serial:
        hooks.on_apply_start(plan, len(plan.steps))
    outcomes, interrupted = _run_units(run, _units(plan), parallelism, hooks, serial)
    _record(plan, state, outcomes, context.secret_digest, iso(now()))
    result = ApplyResult(
        apply_id=context.apply_id,
        plan_id=plan.plan_id,
        environment=plan.environment,
        started_at=context.started_at,
        finished_at=iso(now()),
        units=tuple(o.result for o in outcomes),
        # units may grow: a connection created here adds the steps its discovered fields need
        steps_total=max(len(plan.steps), sum(o.result.steps_total for o in outcomes)),
        interrupted=interrupted,
        notes=_lock_notes(context),
    )
    # steps_total again at the end: steps planned inside a unit (a created connection's
    # fields) are known only now, and history must not show "186/24 steps".
    run.emit(
        {
            "event": "apply_end",
            "result": result.result,
            "steps_done": result.steps_done,
            "steps_total": result.steps_total,
        }
    )
    with serial:
        hooks.on_apply_done(result)
    return result


def _unit_run(
    plan: Plan,
    target: Target,
    secret_of: SecretResolver,
    state: StateBackend,
    hooks: ApplyHooks,
    now: Callable[[], datetime],
    context: _Context,
    serial: threading.Lock,
) -> UnitRun:
    """What every unit of this apply shares; its journal and hooks see one event at a time."""

    def emit(event: dict[str, JsonValue]) -> None:
        with serial:
            state.append_journal({"apply_id": context.apply_id, "at": iso(now()), **event})

    def started(index: int, step: Step) -> None:
        with serial:
            hooks.on_step_start(index, step)

    def finished(outcome: StepOutcome) -> None:
        with serial:
            hooks.on_step_done(outcome)

    def added(name: str, count: int) -> None:
        with serial:
            hooks.on_steps_added(name, count)

    return UnitRun(
        plan,
        target,
        secret_of,
        emit,
        started,
        finished,
        threading.Event(),
        state.environment,
        follow_up=context.follow_up,
        steps_added=added,
    )


@dataclass(frozen=True)
class _Units:
    """A plan's numbered steps by unit: connector saves, each connection's, then the final ones."""

    first: list[tuple[int, Step]]
    per_connection: dict[str, list[tuple[int, Step]]]
    last: list[tuple[int, Step]]


def _units(plan: Plan) -> _Units:
    units = _Units([], {}, [])
    for numbered in enumerate(plan.steps, start=1):
        step = numbered[1]
        if isinstance(step, SaveConnector):
            units.first.append(numbered)
        elif step.connection:
            units.per_connection.setdefault(step.connection, []).append(numbered)
        else:
            units.last.append(numbered)
    return units


def _apply_start(plan: Plan, context: _Context) -> dict[str, JsonValue]:
    return {
        "event": "apply_start",
        "plan_id": plan.plan_id,
        "plan_digest": sha256_of(plan_body(plan)),
        "environment": plan.environment,
        "target": plan.target,
        "who": context.who,
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "changes": len(plan.changes),
        "steps": len(plan.steps),
        **({"broke_lock": context.broken_lock.lock_id} if context.broken_lock else {}),
    }


def _run_units(
    run: UnitRun, units: _Units, parallelism: int, hooks: ApplyHooks, serial: threading.Lock
) -> tuple[list[UnitOutcome], bool]:
    """Connectors first; the connections only when they succeeded; the final unit only when all did."""
    outcomes: list[UnitOutcome] = []
    interrupted = False
    if units.first:
        outcomes.append(_report(run_global(run, CONNECTORS_UNIT, units.first), hooks, serial))
    blocked = bool(outcomes) and not outcomes[0].result.ok
    if blocked or any(o.interrupted for o in outcomes):
        outcomes.extend(_skipped(units.per_connection, "connectors could not be saved"))
    else:
        connection_outcomes, interrupted = _connections(run, units.per_connection, parallelism, hooks, serial)
        outcomes.extend(connection_outcomes)
    interrupted = interrupted or any(o.interrupted for o in outcomes)
    if not units.last:
        return outcomes, interrupted
    if interrupted or any(not o.result.ok for o in outcomes):
        outcomes.extend(_skipped({FINAL_UNIT: units.last}, "an earlier unit did not succeed"))
        return outcomes, interrupted
    outcomes.append(_report(run_global(run, FINAL_UNIT, units.last), hooks, serial))
    return outcomes, interrupted or outcomes[-1].interrupted


def _lock_notes(context: _Context) -> tuple[str, ...]:
    dead = context.broken_lock
    if dead is None:
        return ()
    return (
        f"broke lock {dead.lock_id} of {dead.owner}@{dead.host} (pid {dead.pid}, `{dead.command}` since "
        f"{dead.acquired_at}): {context.broken_because}; the journal records it (lock_broken)",
    )


def _report(outcome: UnitOutcome, hooks: ApplyHooks, serial: threading.Lock) -> UnitOutcome:
    with serial:
        hooks.on_connection_done(outcome.result)
    return outcome


def _connection_unit(
    run: UnitRun, name: str, steps: list[tuple[int, Step]], hooks: ApplyHooks, serial: threading.Lock
) -> UnitOutcome:
    return _report(run_connection(run, name, steps), hooks, serial)


def _skipped(units: dict[str, list[tuple[int, Step]]], why: str) -> list[UnitOutcome]:
    return [
        UnitOutcome(ConnectionResult(name, ConnectionStatus.SKIPPED, len(steps), error=why))
        for name, steps in sorted(units.items())
    ]


def _connections(
    run: UnitRun,
    units: dict[str, list[tuple[int, Step]]],
    parallelism: int,
    hooks: ApplyHooks,
    serial: threading.Lock,
) -> tuple[list[UnitOutcome], bool]:
    names = sorted(units)
    # no threads over a tenant that serialises its calls anyway (the embedded one)
    parallelism = min(parallelism, run.target.parallelism)
    if parallelism <= 1 or len(names) <= 1:
        # on the calling thread, so Ctrl-C lands inside the unit and triggers its restore
        outcomes: list[UnitOutcome] = []
        for name in names:
            if run.cancel.is_set():
                outcomes.extend(_skipped({name: units[name]}, "interrupted before it started"))
                continue
            outcome = _report(run_connection(run, name, units[name]), hooks, serial)
            if outcome.interrupted:
                run.cancel.set()
            outcomes.append(outcome)
        return outcomes, run.cancel.is_set()
    futures: dict[str, Future[UnitOutcome]] = {}
    with ThreadPoolExecutor(max_workers=parallelism, thread_name_prefix="syncspec-apply") as pool:
        for name in names:
            futures[name] = pool.submit(_connection_unit, run, name, units[name], hooks, serial)
        try:
            for future in futures.values():
                future.result()
        except KeyboardInterrupt:
            # workers see the flag before their next step and restore what they wrote
            run.cancel.set()
    results = []
    for name in names:
        outcome = futures[name].result()
        results.append(outcome)
    return results, run.cancel.is_set() or any(o.interrupted for o in results)


def _record(
    plan: Plan,
    state: StateBackend,
    outcomes: list[UnitOutcome],
    secret_digest: Callable[[str], str] | None,
    applied_at: str,
) -> None:
    values: dict[str, dict[str, JsonValue]] = {}
    drop: list[str] = []
    previous = state.read_last_applied()
    for outcome in outcomes:
        if outcome.result.status not in (ConnectionStatus.APPLIED, ConnectionStatus.PARTIAL):
            continue
        # a PARTIAL connection records what was realised, not the fields left for the next plan
        left = outcome.result.status is ConnectionStatus.PARTIAL
        partial = plan.partial or left
        mine = [c for c in _unit_changes(plan, outcome.result.name) if not (left and c.known_after_create)]
        for change in mine:
            if change.action is Action.DELETE:
                drop.append(change.address)  # gone: nothing to remember
            elif change.kind in _FINAL_KINDS:
                values[change.address] = dict(change.after)
        if outcome.after is not None:
            values.update(
                _connection_record(
                    plan, previous, outcome, outcome.after, mine, secret_digest, partial=partial
                )
            )
            if not partial:
                drop.append(str(Address.connection(outcome.result.name)))
    if values or drop:
        state.update_last_applied(values, drop=drop, plan_id=plan.plan_id, applied_at=applied_at)


def _unit_changes(plan: Plan, unit: str) -> list[Change]:
    """The changes a unit realises: its connection's, or the connector / final ones."""
    if unit not in (CONNECTORS_UNIT, FINAL_UNIT):
        return list(plan.changes_for(unit))
    kinds = (ChangeKind.CONNECTOR,) if unit == CONNECTORS_UNIT else _FINAL_KINDS
    return [c for c in plan.changes if c.kind in kinds and not c.connection]


def _connection_record(
    plan: Plan,
    previous: LastApplied,
    outcome: UnitOutcome,
    after: LiveConnection,
    mine: list[Change],
    secret_digest: Callable[[str], str] | None,
    *,
    partial: bool,
) -> dict[str, dict[str, JsonValue]]:
    """The last-applied values of a converged connection; secrets only as their keyed digests."""
    address = Address.connection(outcome.result.name)
    # A secret this apply did not send keeps the digest recorded when it was sent.
    keyed = _recorded_secrets(previous, str(address))
    if secret_digest is not None:
        keyed.update({a: secret_digest(v) for a, v in (outcome.secret_values or {}).items()})
    changed = sorted({c.address for c in mine})
    prefix = f"{address}."
    secret = {s.removeprefix(prefix) for s in plan.env_secrets if s.startswith(prefix)}
    return record_for(after, keyed, only=changed if partial else (), secret=secret)


def _recorded_secrets(previous: LastApplied, address: str) -> dict[str, str]:
    recorded = previous.values.get(address, {})
    return {
        attribute: value
        for attribute, value in recorded.items()
        if attribute.startswith("config.") and isinstance(value, str) and value.startswith(DIGEST_PREFIX)
    }


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _new_id(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)
