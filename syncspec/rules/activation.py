"""Rules SuperOffice applies when a connection is activated or a field is mapped one way.

SS306: activation is refused while a connector-Mandatory ERP field of a syncing actor has
no direction (seed page, troubleshooting: "Verplichte velden moeten een
synchronisatierichting hebben"). SS307: a CRM field fed one way into SuperOffice by one
connection cannot be fed one way by another (the `AlreadyMapped` flag).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from syncspec.model.desired import ConnectionDoc, Direction
from syncspec.model.diagnostics import Diagnostic, Location
from syncspec.model.live import LiveState
from syncspec.rules.context import ActorContext, locate, make


def _connection_at(doc: ConnectionDoc, *path: str) -> Location | None:
    return doc.origin.locate(tuple(path)) if doc.origin is not None else None


def check_mandatory_directions(ctx: ActorContext) -> list[Diagnostic]:
    """SS306, one per mandatory field, when the connection is to be active and the actor syncs."""
    connection = ctx.connection.connection
    if not connection.active or not ctx.syncs:
        return []
    found: list[Diagnostic] = []
    mappings = ctx.docs.mappings
    for key, erp in ctx.meta.fields.items():
        if not erp.mandatory or erp.missing_in_erp:
            continue
        if ctx.mapped(key).direction is not Direction.NONE:
            continue
        if mappings is None:
            where = _connection_at(connection, "actors", ctx.actor.value)
            how = f"add a FieldMappings document for {ctx.actor.value} that maps {key} with a direction"
        elif key in mappings.fields:
            where = locate(mappings, "fields", key)
            how = f"give {key} a CRM field and a direction (to-crm, to-erp or both)"
        else:
            where = locate(mappings, "fields")
            how = f"add {key} with a CRM field and a direction under fields"
        found.append(
            make(
                "SS306",
                f"{key} ({erp.display_name}) of {ctx.actor.value} is mandatory in the ERP but has no sync "
                f"direction, so SuperOffice will refuse to activate connection {ctx.name!r}",
                where,
                ctx.field_address(key),
                hint=how + ", or set the connection inactive",
                related=(_connection_at(connection, "active"),),
            )
        )
    return found


@dataclass(frozen=True)
class _Claim:
    connection: str
    actor: str
    field: str
    where: Callable[[], Location | None]  # located only when reported (positions are lazy)
    address: str
    managed: bool = True  # False: a live connection the configuration does not describe


def _desired_claims(ctx: ActorContext) -> Iterable[tuple[str, _Claim]]:
    mappings = ctx.docs.mappings
    if mappings is not None:
        keys: Iterable[str] = mappings.fields
    else:
        keys = ctx.live_actor.fields if ctx.live_actor is not None else ()
    for key in keys:
        mapped = ctx.mapped(key)
        if mapped.crm and mapped.direction is Direction.TO_CRM:
            if mappings is not None:
                where = partial(locate, mappings, "fields", key, "direction")
            else:
                where = partial(_connection_at, ctx.connection.connection, "actors", ctx.actor.value)
            yield mapped.crm, _Claim(ctx.name, ctx.actor.value, key, where, ctx.field_address(key))


def _live_claims(live: LiveState | None, desired: set[str]) -> Iterable[tuple[str, _Claim]]:
    if live is None:
        return
    for name in sorted(set(live.connections) - desired):
        for actor, live_actor in sorted(live.connections[name].actors.items()):
            for key, f in live_actor.fields.items():
                if f.crm and f.to_crm and not f.to_erp:
                    address = f"connection.{name}.actor.{actor.value}.field.{key}"
                    yield f.crm, _Claim(name, actor.value, key, lambda: None, address, managed=False)


def check_already_mapped(
    contexts: Iterable[ActorContext], live: LiveState | None, desired: set[str]
) -> list[Diagnostic]:
    """SS307 at every one-way-to-CRM mapping of a CRM field another connection already feeds one way.

    Live connections the configuration does not manage count first; then desired
    connections by name, so the report lands on the same mapping every run.
    """
    ordered = sorted(contexts, key=lambda c: (c.name, c.actor.value))
    first: dict[str, _Claim] = {}
    found: list[Diagnostic] = []
    claims = [*_live_claims(live, desired), *(c for ctx in ordered for c in _desired_claims(ctx))]
    for crm_key, claim in claims:
        earlier = first.get(crm_key)
        if earlier is None:
            first[crm_key] = claim
            continue
        if earlier.connection == claim.connection:
            continue  # SuperOffice only compares with other connections
        where_first = "" if earlier.managed else " (live, not in the configuration)"
        found.append(
            make(
                "SS307",
                f"{claim.field} of {claim.connection!r} feeds {crm_key!r} one way into SuperOffice, which "
                f"{earlier.field} ({earlier.actor}) of {earlier.connection!r}{where_first} already does",
                claim.where(),
                claim.address,
                related=(earlier.where(),),
            )
        )
    return found
