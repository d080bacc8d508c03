"""After a connection is written: did the tenant end up where the plan said, and what to record.

"Converged" means the fresh live view holds each change's `after` values (a saved plan
is applied exactly as it is, without the desired state at hand): what differs is what
the tenant normalised or refused.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from syncspec.model.address import Address
from syncspec.model.applied import JsonValue
from syncspec.model.culture import same_stored
from syncspec.model.live import LiveConnection, LiveState
from syncspec.plan.model import Action, Change, ChangeKind
from syncspec.plan.view import View, add_connection, live_view


def unconverged(changes: Sequence[Change], live: LiveState) -> list[str]:
    """`address attribute: wanted X, tenant has Y` for every planned value the tenant lacks."""
    view = live_view(live)
    problems: list[str] = []
    for change in changes:
        obj = view.get(change.address)
        if change.action is Action.DELETE:
            if obj is not None:
                problems.append(f"{change.address}: still present")
            continue
        if obj is None:
            problems.append(f"{change.address}: absent from the tenant")
            continue
        for attribute, wanted in change.after.items():
            if attribute in change.sensitive:
                continue  # masked live: only a keyed record could compare it
            have = obj.attrs.get(attribute)
            # A plan made before the connector existed has no field types: its plain "30" is
            # met by the "[I:30]" the follow-up plan wrote in SuperOffice's encoding.
            if not same_stored(wanted, have):
                problems.append(
                    f"{change.address} {attribute}: wanted {_short(wanted)}, tenant has {_short(have)}"
                )
    return problems


def left_after_create(changes: Sequence[Change], live: LiveState) -> list[str]:
    """What a saved plan predicted below a connection it created and the tenant still lacks.

    Reorders are never realised then (their moves are counted once the fields exist), so
    each is listed as left; other values are compared as `unconverged` does.
    """
    left = unconverged([c for c in changes if c.action is not Action.REORDER], live)
    left += [
        f"{c.address}: order left for the next plan (moves are counted once the fields are known)"
        for c in changes
        if c.action is Action.REORDER
    ]
    return left


def connection_view(connection: LiveConnection | None) -> View:
    view: View = {}
    if connection is not None:
        add_connection(view, connection)
    return view


# address -> (attribute, was, now) for each difference; attribute "" with was "missing" or
# "new" when the whole object is gone or appeared
Differences = dict[str, list[tuple[str, str, str]]]


def differing(expected: LiveConnection, actual: LiveConnection) -> Differences:
    """Where `actual` differs from `expected`, per address and attribute (values shortened)."""
    want, have = connection_view(expected), connection_view(actual)
    found: Differences = {}
    for address in sorted(set(want) | set(have)):
        a = want.get(address)
        b = have.get(address)
        if a is None or b is None:
            found[address] = [("", "missing" if b is None else "new", "")]
            continue
        changed = [
            (attribute, _short(a.attrs.get(attribute)), _short(b.attrs.get(attribute)))
            for attribute in sorted(set(a.attrs) | set(b.attrs))
            if a.attrs.get(attribute) != b.attrs.get(attribute)
        ]
        if changed:
            found[address] = changed
    return found


def differences(expected: LiveConnection | None, actual: LiveConnection | None) -> list[str]:
    """Where `actual` differs from `expected`, one line each (for restore reports)."""
    if expected is None and actual is None:
        return []
    if expected is None:
        return [f"{Address.connection(actual.name if actual else '')}: exists (it did not before)"]
    if actual is None:
        return [f"{Address.connection(expected.name)}: missing (it existed before)"]
    return [
        f"{address} {attribute}: was {was}, now {now}" if attribute else f"{address}: {was}"
        for address, changes in differing(expected, actual).items()
        for attribute, was, now in changes
    ]


def record_for(
    connection: LiveConnection,
    secret_digests: Mapping[str, str],
    *,
    only: Sequence[str] = (),
    secret: Collection[str] = (),
) -> dict[str, dict[str, JsonValue]]:
    """Last-applied values of a converged connection; sensitive config as keyed secret digests only.

    `secret_digests` maps `config.KEY` to the secret digest of the value sent; a sensitive
    attribute without one is left out. Sensitive are the attributes the tenant masks and
    those named in `secret` (`config.KEY` from the environment, shown in clear by the
    tenant). `only` limits the record to those addresses.
    """
    values: dict[str, dict[str, JsonValue]] = {}
    for address, obj in connection_view(connection).items():
        if only and address not in only:
            continue
        attrs: dict[str, JsonValue] = {}
        for attribute, value in obj.attrs.items():
            if attribute in obj.sensitive or (obj.kind is ChangeKind.CONNECTION and attribute in secret):
                if attribute in secret_digests:
                    attrs[attribute] = secret_digests[attribute]
                continue
            attrs[attribute] = value
        values[address] = attrs
    return values


def _short(value: JsonValue) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
