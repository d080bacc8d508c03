"""Keyed comparison, one address at a time: desired attributes against live ones.

Never a generic deep diff: each address compares its own flat attributes, owned
prefixes (config keys, list items) clear what the configuration leaves out, secrets are
compared through keyed secret digests, and reorders are computed as fewest moves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from syncspec.model.applied import JsonValue, LastApplied
from syncspec.plan.model import SENSITIVE, SENSITIVE_CHANGED, Action, Change, Reason, ReasonKind
from syncspec.plan.ranking import Move, count_inversions, plan_moves, target_order
from syncspec.plan.view import Obj

_PRECEDENCE = {ReasonKind.CONFLICT: 0, ReasonKind.CONFIG: 1, ReasonKind.DRIFT: 2}


@dataclass
class DiffContext:
    last_applied: LastApplied
    secret_digest: Callable[[str], str] | None = None
    notes: list[str] = field(default_factory=list)
    # address of a ranking -> the moves realising it, for the step builder
    moves: dict[str, list[Move]] = field(default_factory=dict)
    # `connection.X` or `connection.X.config.KEY` whose secrets are sent whatever the record says
    resend: frozenset[str] = frozenset()
    # `connection.X.config.KEY` of secrets nothing can vouch for (and that are not resent)
    unverified: list[str] = field(default_factory=list)

    def resends(self, address: str, attribute: str) -> bool:
        return address in self.resend or f"{address}.{attribute}" in self.resend


def _reason(address: str, attribute: str, want: JsonValue, have: JsonValue, ctx: DiffContext) -> ReasonKind:
    recorded, was = ctx.last_applied.lookup(address, attribute)
    if not recorded:
        return ReasonKind.CONFIG
    if want == was and have != was:
        return ReasonKind.DRIFT
    if want != was and have != was:
        return ReasonKind.CONFLICT
    return ReasonKind.CONFIG


def _secret_differs(address: str, attribute: str, clear: str, live: Obj, ctx: DiffContext) -> bool | None:
    """True/False when comparable; None when live is masked and nothing keyed can be compared."""
    if attribute not in live.sensitive:
        return live.attrs.get(attribute, "") != clear
    if ctx.secret_digest is None:
        return None
    recorded, was = ctx.last_applied.lookup(address, attribute)
    if not recorded:
        return None
    return ctx.secret_digest(clear) != was


def _wanted(desired: Obj, live: Obj) -> dict[str, JsonValue]:
    wanted = dict(desired.attrs)
    for prefix, cleared in desired.owned.items():
        for attribute in live.attrs:
            if attribute.startswith(prefix) and attribute not in wanted:
                wanted[attribute] = cleared
    return wanted


def _live_value(desired: Obj, live: Obj, attribute: str) -> JsonValue:
    if attribute in live.attrs:
        return live.attrs[attribute]
    for prefix, cleared in desired.owned.items():
        if attribute.startswith(prefix):
            return cleared  # an owned entry live does not have is as good as cleared
    return None


def diff_object(
    address: str, desired: Obj, live: Obj, ctx: DiffContext, *, known_after_create: bool = False
) -> list[Change]:
    """Changes for one address present on both sides (activation split into its own change)."""
    before: dict[str, JsonValue] = {}
    after: dict[str, JsonValue] = {}
    sensitive: list[str] = []
    reasons: list[tuple[ReasonKind, str]] = []
    unchanged = 0
    for attribute, want in _wanted(desired, live).items():
        if attribute == "active" or attribute in desired.skip:
            continue
        have = _live_value(desired, live, attribute)
        if attribute in desired.sensitive or attribute in live.sensitive:
            clear = desired.secrets.get(attribute, want if isinstance(want, str) else "")
            differs = ctx.resends(address, attribute) or _secret_differs(address, attribute, clear, live, ctx)
            if differs is None:
                ctx.notes.append(f"sensitive value of {address} {attribute} cannot be verified")
                ctx.unverified.append(f"{address}.{attribute}")
                unchanged += 1
                continue
            if differs:
                before[attribute], after[attribute] = SENSITIVE, SENSITIVE_CHANGED
                sensitive.append(attribute)
                reasons.append((ReasonKind.CONFIG, desired.location(attribute)))
            else:
                unchanged += 1
            continue
        if have == want:
            unchanged += 1
            continue
        before[attribute], after[attribute] = have, want
        reasons.append((_reason(address, attribute, want, have, ctx), desired.location(attribute)))
    changes: list[Change] = []
    if before or after:
        kind, location = min(reasons, key=lambda r: _PRECEDENCE[r[0]])
        risk = f"changes secret {', '.join(sensitive)}" if sensitive else ""
        changes.append(
            Change(
                address=address,
                action=Action.UPDATE,
                kind=desired.kind,
                connection=desired.connection,
                before=before,
                after=after,
                unchanged=unchanged,
                reason=Reason(kind, location),
                risk=risk,
                sensitive=tuple(sensitive),
                known_after_create=known_after_create,
                labels=_labels_for(desired.labels, [*before.values(), *after.values()]),
            )
        )
    activation = _activation(address, desired, live, ctx)
    if activation is not None:
        changes.append(activation)
    return changes


def _activation(address: str, desired: Obj, live: Obj, ctx: DiffContext) -> Change | None:
    if "active" not in desired.attrs:
        return None
    want, have = desired.attrs["active"], live.attrs.get("active", False)
    if want == have:
        return None
    action = Action.ACTIVATE if want else Action.DEACTIVATE
    return Change(
        address=address,
        action=action,
        kind=desired.kind,
        connection=desired.connection,
        before={"active": have},
        after={"active": want},
        reason=Reason(_reason(address, "active", want, have, ctx), desired.location("active")),
        risk="deactivates the connection: sync stops" if action is Action.DEACTIVATE else "",
    )


def create_object(address: str, desired: Obj) -> list[Change]:
    """A connector or connection that does not exist live: everything it says, secrets masked."""
    after: dict[str, JsonValue] = {}
    for attribute, value in desired.attrs.items():
        if attribute == "active" or attribute in desired.skip:
            continue
        after[attribute] = SENSITIVE if attribute in desired.sensitive else value
    changes = [
        Change(
            address=address,
            action=Action.CREATE,
            kind=desired.kind,
            connection=desired.connection,
            after=after,
            reason=Reason(ReasonKind.CONFIG, desired.location("")),
            sensitive=tuple(sorted(a for a in desired.sensitive if a in after)),
        )
    ]
    if desired.attrs.get("active") is True:
        changes.append(
            Change(
                address=address,
                action=Action.ACTIVATE,
                kind=desired.kind,
                connection=desired.connection,
                before={"active": False},
                after={"active": True},
                reason=Reason(ReasonKind.CONFIG, desired.location("active")),
            )
        )
    return changes


def diff_order(
    address: str, desired: Obj, live: Obj, ctx: DiffContext, *, known_after_create: bool = False
) -> list[Change]:
    """A ranking: listed keys first, the rest keep their relative order; fewest one-step moves."""
    current = [str(k) for k in _as_list(live.attrs.get("order"))]
    target = target_order(current, [str(k) for k in _as_list(desired.attrs.get("order"))])
    if target == current:
        return []
    moves = plan_moves(current, target)
    assert len(moves) == count_inversions(current, target)
    ctx.moves[address] = moves
    return [
        Change(
            address=address,
            action=Action.REORDER,
            kind=desired.kind,
            connection=desired.connection,
            before={"order": list[JsonValue](current)},
            after={"order": list[JsonValue](target)},
            reason=Reason(
                _reason(address, "order", list[JsonValue](target), list[JsonValue](current), ctx),
                desired.location("order"),
            ),
            moves=len(moves),
            known_after_create=known_after_create,
        )
    ]


def _labels_for(labels: Mapping[str, str], values: list[JsonValue]) -> dict[str, str]:
    """Only the names of values the change shows: a plan stays small and readable."""
    shown = {str(v) for v in values if isinstance(v, int) and not isinstance(v, bool)}
    return {key: labels[key] for key in sorted(shown) if key in labels}


def _as_list(value: JsonValue) -> list[JsonValue]:
    return value if isinstance(value, list) else []
