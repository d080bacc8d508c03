"""`--only ADDR`: keep the changes whose address is ADDR or lies below it; refuse an ADDR that
matches nothing (a typo would otherwise read as "No changes")."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from syncspec.model.errors import UsageError
from syncspec.plan.model import Change


def matches(address: str, prefixes: Sequence[str]) -> bool:
    """Prefix match on whole address segments: `connection.a` keeps `connection.a.actor.Customer`
    but not `connection.ab`."""
    return any(address == p or address.startswith(p + ".") for p in prefixes)


def only(changes: Iterable[Change], prefixes: Sequence[str]) -> list[Change]:
    if not prefixes:
        return list(changes)
    return [c for c in changes if matches(c.address, prefixes)]


def unmatched(prefixes: Sequence[str], known: Iterable[str]) -> list[str]:
    """The prefixes no known address lies at or below: almost always a typo."""
    addresses = list(known)
    return [p for p in prefixes if not any(matches(a, [p]) for a in addresses)]


def closest(prefix: str, known: Iterable[str], count: int = 3) -> list[str]:
    """The known addresses nearest in spelling to `prefix`, best first; compared at the prefix's
    own depth, so `connection.mai` is offered `connection.main`, not a field deep below it."""
    depth = prefix.count(".") + 1
    candidates = sorted({".".join(a.split(".")[:depth]) for a in known})
    return difflib.get_close_matches(prefix, candidates, n=count, cutoff=0.4)


def refuse_unmatched(option: str, prefixes: Sequence[str], known: Iterable[str]) -> None:
    """UsageError naming the closest addresses when an address option matches nothing."""
    addresses = sorted(set(known))
    missing = unmatched(prefixes, addresses)
    if not missing:
        return
    first = missing[0]
    near = closest(first, addresses)
    hint = f"did you mean {', '.join(near)}?" if near else "see the addresses 'syncspec plan' shows"
    others = f" (and {', '.join(missing[1:])})" if len(missing) > 1 else ""
    raise UsageError(
        f"{option} {first}{others} matches no address in the configuration or the tenant", hint=hint
    )
