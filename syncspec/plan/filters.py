"""`--only ADDR`: keep the changes whose address is ADDR or lies below it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from syncspec.plan.model import Change


def matches(address: str, prefixes: Sequence[str]) -> bool:
    """Prefix match on whole address segments: `connection.a` keeps `connection.a.actor.Customer`
    but not `connection.ab`."""
    return any(address == p or address.startswith(p + ".") for p in prefixes)


def only(changes: Iterable[Change], prefixes: Sequence[str]) -> list[Change]:
    if not prefixes:
        return list(changes)
    return [c for c in changes if matches(c.address, prefixes)]
