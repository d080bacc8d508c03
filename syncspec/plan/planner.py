"""`plan(...)`: the pure planner. No I/O, no clock, no randomness: same inputs, same plan bytes."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from syncspec import __version__
from syncspec.model.address import Address
from syncspec.model.applied import JsonValue, LastApplied
from syncspec.model.desired import DesiredState
from syncspec.model.live import LiveState
from syncspec.model.metadata import Metadata
from syncspec.plan.diff import DiffContext, create_object, diff_object, diff_order
from syncspec.plan.engine import ENGINE_ADDRESS, engine_changes
from syncspec.plan.filters import matches as only_filter_matches
from syncspec.plan.filters import only as only_filter
from syncspec.plan.filters import refuse_unmatched
from syncspec.plan.fingerprint import live_fingerprint, top_level
from syncspec.plan.model import Action, Change, ChangeKind, Plan, Reason, ReasonKind, Summary, Unmanaged
from syncspec.plan.normalize import ResolvedValue, normalize
from syncspec.plan.planfile import plan_id_of
from syncspec.plan.ranking import target_order
from syncspec.plan.risk import (
    connection_delete_risk,
    connection_losses,
    connector_losses,
    left_switched_off_risk,
)
from syncspec.plan.steps import build_steps
from syncspec.plan.view import Obj, View, add_connection, connection_address, live_view, predicted_connection

DELETE_HINT = "not in the configuration; run with --allow-delete to delete it"


@dataclass(frozen=True)
class PlanOptions:
    environment: str = "default"
    target: str = ""  # the target's identity, e.g. "local:.syncspec/tenant.db"
    ttl: timedelta = timedelta(days=7)
    allow_delete: bool = False
    only: tuple[str, ...] = ()
    # `connection.X` / `connection.X.config.KEY`: send these secrets whatever the records say
    resend_secrets: tuple[str, ...] = ()
    # keyed hash of a secret value; None = masked live secrets cannot be compared
    secret_digest: Callable[[str], str] | None = field(default=None, compare=False)
    metadata_digest: str = ""
    # (connection, apply id): switched off by an apply that was cut short, from the journal
    left_switched_off: tuple[tuple[str, str], ...] = ()
    # normalize only the connectors and connections `only` keeps (the applier's follow-up plan of
    # one created connection): its changes and steps are the same, but its notes, env secrets and
    # unmanaged list then cover that scope alone, so `syncspec plan --only` does not narrow
    narrow_to_only: bool = False


def plan(
    desired: DesiredState,
    live: LiveState,
    metadata: Metadata,
    *,
    resolved_config: Mapping[str, Mapping[str, ResolvedValue]],
    last_applied: LastApplied,
    now: datetime,
    options: PlanOptions,
) -> Plan:
    in_scope = _object_scope(options.only)
    keep = (lambda address: in_scope(address, below=True)) if options.narrow_to_only else None
    normalized = normalize(desired, live, metadata, resolved_config, keep=keep)
    ctx = DiffContext(
        last_applied,
        options.secret_digest,
        list(normalized.notes),
        resend=frozenset(options.resend_secrets),
    )
    live_objects = live_view(live)
    known = {*normalized.view, *live_objects}
    refuse_unmatched("--only", options.only, known)
    refuse_unmatched("--resend-secrets", options.resend_secrets, _secret_addresses(normalized.view))
    for name in normalized.new_connections:
        if in_scope(connection_address(name), below=True):
            _add_predicted(live_objects, metadata, name, normalized.view[connection_address(name)])

    changes: list[Change] = []
    for address, obj in normalized.view.items():
        if obj.kind in (ChangeKind.SYNC_PRIORITY, ChangeKind.SYNC_ENGINE) or not in_scope(address):
            continue
        changes.extend(
            _diff_one(address, obj, live_objects, ctx, obj.connection in normalized.new_connections)
        )
    unmanaged = _absent_from_desired(normalized.view, live, options, changes, keep)
    priority = normalized.view.get(str(Address.sync_priority()))
    if priority is not None:
        changes.extend(_priority_change(priority, live, normalized.view, changes, ctx))
    engine = normalized.view.get(ENGINE_ADDRESS)
    if engine is not None:
        changes.extend(engine_changes(engine, live_objects, ctx))

    changes = _mark_left_switched_off(changes, live, dict(options.left_switched_off))
    changes = only_filter(changes, options.only)
    env_secrets = tuple(sorted(normalized.env_secrets))
    steps = build_steps(changes, live, live_objects, ctx.moves, env_secrets=frozenset(env_secrets))
    touched = sorted({top_level(c.address) for c in changes})
    fingerprints = {a: fp for a in touched if (fp := live_fingerprint(live, a)) is not None}
    result = Plan(
        plan_id="",
        syncspec_version=__version__,
        environment=options.environment,
        target=options.target,
        created_at=_iso(now),
        expires_at=_iso(now + options.ttl),
        metadata_digest=options.metadata_digest,
        changes=tuple(changes),
        steps=tuple(steps),
        fingerprints=fingerprints,
        notes=tuple(dict.fromkeys(ctx.notes)),
        unmanaged=tuple(unmanaged),
        only=tuple(options.only),
        summary=summarize(changes),
        unverified_secrets=tuple(
            dict.fromkeys(
                a for a in ctx.unverified if not options.only or only_filter_matches(a, options.only)
            )
        ),
        env_secrets=env_secrets,
    )
    return Plan(**{**result.__dict__, "plan_id": plan_id_of(result)})


def _object_scope(only: Sequence[str]) -> Callable[..., bool]:
    """Which desired objects are worth diffing under `--only`.

    A diff of the object at an address makes changes at that address only, so one the filter
    drops afterwards need not be diffed at all; that keeps the applier's follow-up plan of one
    created connection from diffing (and predicting) every other connection of the tenant.
    Only for filters on connectors and connections: the sync priority's change depends on
    which connections the plan creates, so a filter naming it diffs everything as before.
    """
    if not only or not all(p.startswith(("connection.", "connector.")) for p in only):
        return lambda address, below=False: True

    def in_scope(address: str, below: bool = False) -> bool:
        # below: the object or anything under it may be asked for (a new connection's fields)
        return only_filter_matches(address, only) or (
            below and any(p.startswith(address + ".") for p in only)
        )

    return in_scope


def _mark_left_switched_off(
    changes: list[Change], live: LiveState, left_off: Mapping[str, str]
) -> list[Change]:
    """Make "switch it on again" risky where an interrupted apply left the connection off.

    The journal says an apply that never finished switched it off; the tenant says it is
    off; the configuration wants it on. A reviewer must see that its ERP sync is stopped.
    """
    if not left_off:
        return changes
    marked: list[Change] = []
    for change in changes:
        name = change.connection
        current = live.connections.get(name)
        if (
            name in left_off
            and change.kind is ChangeKind.CONNECTION
            and change.action is Action.ACTIVATE
            and current is not None
            and not current.active
            and not change.risk
        ):
            change = Change(**{**change.__dict__, "risk": left_switched_off_risk(left_off[name])})
        marked.append(change)
    return marked


def _secret_addresses(view: View) -> list[str]:
    """What --resend-secrets may name: connections with sensitive config, and those keys."""
    out: list[str] = []
    for address, obj in view.items():
        keys = sorted(a for a in obj.sensitive if a.startswith("config."))
        if obj.kind is ChangeKind.CONNECTION and keys:
            out.append(address)
            out.extend(f"{address}.{key}" for key in keys)
    return out


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _add_predicted(view: View, metadata: Metadata, name: str, desired: Obj) -> None:
    connector = desired.attrs.get("connector")
    meta = metadata.for_connection(name, str(connector))
    if meta is None:
        return
    add_connection(view, predicted_connection(meta))
    del view[connection_address(name)]  # the connection itself is created, not updated


def _diff_one(address: str, obj: Obj, live_objects: View, ctx: DiffContext, new: bool) -> list[Change]:
    current = live_objects.get(address)
    if current is None:
        if obj.kind in (ChangeKind.CONNECTOR, ChangeKind.CONNECTION):
            return create_object(address, obj)
        if obj.kind is ChangeKind.LIST:
            current = Obj(ChangeKind.LIST, obj.connection)  # a list mapped for the first time
        elif new and obj.kind is ChangeKind.RANKING:
            return [_ranking_after_create(address, obj)]
        elif new:
            # A new connection whose connector no existing connection shares: its fields are
            # discovered when it is created, so compare against an unconfigured field.
            current = Obj(obj.kind, obj.connection)
        else:
            ctx.notes.append(f"{address} is not known to the tenant and is left out (run syncspec validate)")
            return []
    if obj.kind is ChangeKind.RANKING:
        return diff_order(address, obj, current, ctx, known_after_create=new)
    return diff_object(address, obj, current, ctx, known_after_create=new)


def _ranking_after_create(address: str, desired: Obj) -> Change:
    """The order asked for on a connection whose fields are not known yet: moves are counted after create."""
    return Change(
        address=address,
        action=Action.REORDER,
        kind=desired.kind,
        connection=desired.connection,
        after={"order": desired.attrs.get("order", [])},
        reason=Reason(ReasonKind.CONFIG, desired.location("order")),
        known_after_create=True,
    )


def _absent_from_desired(
    view: View,
    live: LiveState,
    options: PlanOptions,
    changes: list[Change],
    keep: Callable[[str], bool] | None = None,
) -> list[Unmanaged]:
    """`keep`: the narrowed view holds only what it keeps; the rest is out of scope, not absent."""
    unmanaged: list[Unmanaged] = []
    absent = [Address.connection(n) for n in sorted(live.connections)]
    absent += [Address.connector(n) for n in sorted(live.connectors)]
    in_view = [a for a in absent if keep is None or keep(str(a))]
    for address in (a for a in in_view if str(a) not in view):
        name = address.name
        if not options.allow_delete:
            unmanaged.append(Unmanaged(str(address), DELETE_HINT))
            continue
        kind = ChangeKind(address.root)
        if kind is ChangeKind.CONNECTION:
            before = connection_losses(live.connections[name])
            risk = connection_delete_risk(name, before)
        else:
            before = connector_losses(live.connectors[name], live)
            risk = f"deletes connector {name}"
        changes.append(
            Change(
                address=str(address),
                action=Action.DELETE,
                kind=kind,
                connection=name if kind is ChangeKind.CONNECTION else "",
                before=before,
                reason=Reason(ReasonKind.MISSING_IN_CONFIG),
                risk=risk,
            )
        )
    return unmanaged


def _priority_change(
    desired: Obj, live: LiveState, view: View, changes: list[Change], ctx: DiffContext
) -> list[Change]:
    kept = _kept_connections(live, view, changes)
    current = list(live.sync_priority)
    base = [n for n in current if n in kept] + sorted(n for n in kept if n not in current)
    wanted = desired.attrs.get("order")
    target = target_order(base, [str(n) for n in wanted] if isinstance(wanted, list) else [])
    if target == current:
        return []
    change = diff_object(
        str(Address.sync_priority()),
        Obj(ChangeKind.SYNC_PRIORITY, attrs={"order": list[JsonValue](target)}, locations=desired.locations),
        Obj(ChangeKind.SYNC_PRIORITY, attrs={"order": list[JsonValue](current)}),
        ctx,
    )
    return [Change(**{**c.__dict__, "action": Action.REORDER}) for c in change]


def _kept_connections(live: LiveState, view: View, changes: list[Change]) -> set[str]:
    """The connections there are once the plan is applied: live ones not deleted, and desired ones."""
    deleted = {c.connection for c in changes if c.action is Action.DELETE and c.kind is ChangeKind.CONNECTION}
    kept = {n for n in live.connections if n not in deleted}
    return kept | {o.connection for o in view.values() if o.kind is ChangeKind.CONNECTION}


def summarize(changes: Sequence[Change]) -> Summary:
    counts = {action.value: 0 for action in Action}
    for change in changes:
        counts[change.action.value] += 1
    return Summary(**counts)
