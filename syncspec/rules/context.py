"""What every field rule needs: one actor's documents, its metadata, and the effective mapping.

"Effective" follows the planner's ownership rules: a FieldMappings document owns every
field of its actor (an unlisted field is unmapped, a missing direction is none); without
one the live tenant's mapping stands; a connection that does not exist yet has none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from syncspec.model.address import Address
from syncspec.model.desired import ActorDesired, ConnectionDesired, Direction, PerActorDoc
from syncspec.model.diagnostics import Diagnostic, Location, Severity
from syncspec.model.enums import CRM_ACTOR_FOR_ERP, CrmActorType, ErpActorType, FieldMetadataType
from syncspec.model.live import LiveActor
from syncspec.model.metadata import ActorMeta, ConnectionMeta, Metadata
from syncspec.model.source import JsonPath
from syncspec.rules.catalog import rule

# Parses one encoded value of a field type; raises ValueError saying which form was expected
# (the message must not repeat the value). `syncspec.model.culture.parse_value` fits.
ValueParser = Callable[[FieldMetadataType, str], object]


def make(
    code: str,
    message: str,
    location: Location | None,
    address: str,
    *,
    hint: str = "",
    severity: Severity | None = None,
    related: Iterable[Location | None] = (),
) -> Diagnostic:
    """A diagnostic with the catalogue's severity and hint unless the rule gives its own."""
    info = rule(code)
    return Diagnostic(
        severity=severity or info.severity,
        code=code,
        message=message,
        location=location,
        hint=hint or info.hint,
        address=address,
        related=tuple(r for r in related if r is not None),
    )


def locate(doc: PerActorDoc | None, *path: str | int) -> Location | None:
    if doc is None or doc.origin is None:
        return None
    located: JsonPath = tuple(path)
    return doc.origin.locate(located)


def closest(word: str, known: Iterable[str], what: str = "") -> str:
    """A hint naming the closest known names, or listing a few when none is close."""
    from syncspec.spec.suggest import did_you_mean  # only when a name is wrong

    names = sorted(set(known))
    hint = did_you_mean(word, names, count=3)
    if hint:
        return hint
    if not names:
        return f"there are no {what or 'names'} to choose from"
    shown = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
    return f"known {what or 'names'}: {shown}"


@dataclass(frozen=True)
class Mapped:
    """The effective mapping of one ERP field once the desired state is applied."""

    crm: str
    direction: Direction
    show_in_tab: bool


_UNMAPPED = Mapped("", Direction.NONE, False)


@dataclass(frozen=True)
class ActorContext:
    """One actor type of one desired connection, with everything its rules read."""

    connection: ConnectionDesired
    actor: ErpActorType
    meta: ActorMeta
    conn_meta: ConnectionMeta
    metadata: Metadata
    live_actor: LiveActor | None
    parse_value: ValueParser | None

    @property
    def name(self) -> str:
        return self.connection.name

    @property
    def docs(self) -> ActorDesired:
        return self.connection.actor(self.actor)

    @property
    def crm_actor(self) -> CrmActorType:
        if self.meta.crm_actor is not CrmActorType.UNKNOWN:
            return self.meta.crm_actor
        return CRM_ACTOR_FOR_ERP.get(self.actor, CrmActorType.UNKNOWN)

    @property
    def address(self) -> str:
        return str(Address.connection(self.name).of_actor(self.actor.value))

    def field_address(self, key: str) -> str:
        return str(Address.connection(self.name).of_actor(self.actor.value).of_field(key))

    @property
    def syncs(self) -> bool:
        """Whether the actor is to sync: listed with `sync: true` (unlisted actors do not sync)."""
        spec = self.connection.connection.actors.get(self.actor)
        return spec is not None and spec.sync

    def mapped(self, key: str) -> Mapped:
        mappings = self.docs.mappings
        if mappings is not None:
            spec = mappings.fields.get(key)
            if spec is None:
                return _UNMAPPED
            return Mapped(spec.crm or "", spec.direction or Direction.NONE, bool(spec.show_in_tab))
        live = self.live_actor.fields.get(key) if self.live_actor is not None else None
        if live is None:
            return _UNMAPPED
        return Mapped(live.crm, Direction.from_flags(live.to_crm, live.to_erp), live.show_in_tab)


def unknown_erp_field(
    ctx: ActorContext, key: str, where: Location | None, code: str = "SS302", address: str = ""
) -> Diagnostic:
    """SS302 (SS313 in a ranking): `key` is not a field the connector reports for the actor."""
    return make(
        code,
        f"{ctx.actor.value} of connection {ctx.name!r} has no ERP field {key!r}",
        where,
        address or ctx.field_address(key),
        hint=closest(key, ctx.meta.fields, "field keys"),
    )
