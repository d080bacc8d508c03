"""Rules SuperOffice applies when a connection is activated or a field is mapped one way.

SS306: activation is refused while a connector-Mandatory ERP field of a syncing actor has
no direction (admin help, troubleshooting: "Mandatory fields must have a synchronization
direction"). SS307: a field mapped in another connection cannot be mapped one way to
SuperOffice here (the `AlreadyMapped` flag of ErpSyncFieldMapping).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from syncspec.model.address import Address
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
class _Use:
    """One mapping of a CRM field with a sync direction."""

    connection: str
    actor: str
    field: str
    one_way_to_crm: bool
    where: Callable[[], Location | None]  # located only when reported (positions are lazy)
    address: str
    managed: bool = True  # False: a live connection the configuration does not describe


def _desired_uses(ctx: ActorContext) -> Iterable[tuple[str, _Use]]:
    mappings = ctx.docs.mappings
    if mappings is not None:
        keys: Iterable[str] = mappings.fields
    else:
        keys = ctx.live_actor.fields if ctx.live_actor is not None else ()
    for key in keys:
        mapped = ctx.mapped(key)
        if not mapped.crm or mapped.direction is Direction.NONE:
            continue
        if mappings is not None:
            where = partial(locate, mappings, "fields", key, "direction")
        else:
            where = partial(_connection_at, ctx.connection.connection, "actors", ctx.actor.value)
        one_way = mapped.direction is Direction.TO_CRM
        yield mapped.crm, _Use(ctx.name, ctx.actor.value, key, one_way, where, ctx.field_address(key))


def _live_uses(live: LiveState | None, desired: set[str]) -> Iterable[tuple[str, _Use]]:
    if live is None:
        return
    for name in sorted(set(live.connections) - desired):
        for actor, live_actor in sorted(live.connections[name].actors.items()):
            for key, f in live_actor.fields.items():
                if f.crm and (f.to_crm or f.to_erp):
                    address = str(Address.connection(name).of_actor(actor.value).of_field(key))
                    one_way = f.to_crm and not f.to_erp
                    yield f.crm, _Use(name, actor.value, key, one_way, lambda: None, address, managed=False)


def _blocking(use: _Use, index: int, uses: list[_Use]) -> _Use | None:
    """The mapping in another connection that stops `use` from being one-way to SuperOffice.

    Any direction there blocks a one-way mapping here. Of two one-way mappings only the later
    one is reported: the tenant accepts whichever is saved first and refuses the other.
    """
    for position, other in enumerate(uses):
        if other.connection == use.connection:
            continue
        if position < index or not other.one_way_to_crm:
            return other
    return None


def check_already_mapped(
    contexts: Iterable[ActorContext], live: LiveState | None, desired: set[str]
) -> list[Diagnostic]:
    """SS307 at every one-way-to-CRM mapping of a CRM field another connection maps in any direction.

    The `AlreadyMapped` flag: "Is this ERPField already mapped in some other connection? If so,
    then it cannot be one-way mapped TO SuperOffice here". Live connections the configuration
    does not manage count first; then desired connections by name, so the report lands on the
    same mapping every run.
    """
    ordered = sorted(contexts, key=lambda c: (c.name, c.actor.value))
    by_crm: dict[str, list[_Use]] = {}
    for crm_key, use in [*_live_uses(live, desired), *(u for ctx in ordered for u in _desired_uses(ctx))]:
        by_crm.setdefault(crm_key, []).append(use)
    found: list[Diagnostic] = []
    for crm_key, uses in by_crm.items():
        for index, use in enumerate(uses):
            if not use.one_way_to_crm or not use.managed:
                continue
            other = _blocking(use, index, uses)
            if other is None:
                continue
            unmanaged = "" if other.managed else " (live, not in the configuration)"
            how = "one way into SuperOffice" if other.one_way_to_crm else "with a sync direction"
            found.append(
                make(
                    "SS307",
                    f"{use.field} of {use.connection!r} maps {crm_key!r} one way into SuperOffice, but "
                    f"{other.field} ({other.actor}) of {other.connection!r}{unmanaged} already maps it {how}",
                    use.where(),
                    use.address,
                    related=(other.where(),),
                )
            )
    return found
