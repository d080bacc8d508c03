"""The comparable keyed view: address -> attributes, built from live state (and, in
`normalize`, from desired state), so the diff compares like with like per address.

Attribute names are the plan's: connector `url`; connection `connector`, `description`,
`access`, `active`, `config.KEY`; actor `sync`; field `crm`, `direction`,
`show_in_search`, `show_in_tab`; default `value`, `prompt`, `mandatory`; list
`item.KEY`; ranking and sync priority `order`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from syncspec.model.address import Address
from syncspec.model.applied import JsonValue
from syncspec.model.culture import canonical_stored
from syncspec.model.enums import Direction
from syncspec.model.interval import comparable_interval
from syncspec.model.live import LiveAccess, LiveActor, LiveConnection, LiveDefault, LiveField, LiveState
from syncspec.model.metadata import ConnectionMeta
from syncspec.model.source import JsonPath, Origin
from syncspec.plan.model import ChangeKind


@dataclass
class Obj:
    """One addressed object's attributes, plus what the diff needs to explain and mask them."""

    kind: ChangeKind
    connection: str = ""
    attrs: dict[str, JsonValue] = field(default_factory=dict)
    # attribute -> (document, path) asking for it; "" is the object's own place. Resolved
    # only for attributes that change: a position costs a re-read of the file.
    locations: dict[str, tuple[Origin, JsonPath]] = field(default_factory=dict)
    sensitive: set[str] = field(default_factory=set)
    # desired clear values of sensitive attributes: in memory only, never in a plan
    secrets: dict[str, str] = field(default_factory=dict)
    # attribute prefix -> value an attribute gets when live has it but desired does not
    owned: dict[str, JsonValue] = field(default_factory=dict)
    # attributes that cannot be compared (e.g. an unset environment variable)
    skip: set[str] = field(default_factory=set)
    # value -> display name for values that are ids (CRM list items), so a plan can name them
    labels: dict[str, str] = field(default_factory=dict)

    def location(self, attribute: str) -> str:
        """`file:line` of what asks for `attribute` (or of the object), "" when nothing does."""
        where = self.locations.get(attribute) or self.locations.get("")
        if where is None:
            return ""
        found = where[0].locate(where[1])
        return f"{found.file}:{found.line}" if found.line else found.file


View = dict[str, Obj]


def connection_address(name: str) -> str:
    return str(Address.connection(name))


def actor_address(connection: str, actor: str) -> str:
    return str(Address.connection(connection).of_actor(actor))


def access_value(access: LiveAccess) -> JsonValue:
    if access.everyone:
        return "everyone"
    return {"groups": list[JsonValue](sorted(access.groups)), "users": list[JsonValue](sorted(access.users))}


def field_attrs(live_field: LiveField) -> dict[str, JsonValue]:
    return {
        "crm": live_field.crm,
        "direction": Direction.from_flags(live_field.to_crm, live_field.to_erp).value,
        "show_in_search": live_field.show_in_search,
        "show_in_tab": live_field.show_in_tab,
    }


def default_attrs(default: LiveDefault) -> dict[str, JsonValue]:
    return {
        # stored values are compared in one spelling of their CultureDataFormatter tag
        "value": canonical_stored(default.value) if default.has_value else None,
        "prompt": default.prompt,
        "mandatory": default.mandatory,
    }


def live_view(live: LiveState) -> View:
    view: View = {}
    for name in sorted(live.connectors):
        view[str(Address.connector(name))] = Obj(
            ChangeKind.CONNECTOR, attrs={"url": live.connectors[name].url}
        )
    for name in sorted(live.connections):
        add_connection(view, live.connections[name])
    view[str(Address.sync_priority())] = Obj(
        ChangeKind.SYNC_PRIORITY, attrs={"order": list(live.sync_priority)}
    )
    if live.sync_engine is not None:
        # the interval as a duration, so the tenant's 0:05:00 equals the configured 00:05:00
        engine = live.sync_engine
        attrs: dict[str, JsonValue] = {
            "automatic": engine.automatic,
            "interval": comparable_interval(engine.interval),
        }
        view[str(Address.sync_engine())] = Obj(ChangeKind.SYNC_ENGINE, attrs=attrs)
    return view


def add_connection(view: View, connection: LiveConnection) -> None:
    name = connection.name
    attrs: dict[str, JsonValue] = {
        "connector": connection.connector,
        "description": connection.description,
        "access": access_value(connection.access),
        "active": connection.active,
    }
    sensitive = {f"config.{key}" for key in connection.config_sensitive}
    for key in sorted(connection.config):
        value = connection.config[key]
        attrs[f"config.{key}"] = value if f"config.{key}" in sensitive else canonical_stored(value)
    view[connection_address(name)] = Obj(ChangeKind.CONNECTION, name, attrs, sensitive=sensitive)
    for actor in sorted(connection.actors):
        add_actor(view, name, connection.actors[actor])


def add_actor(view: View, connection: str, actor: LiveActor) -> None:
    base = Address.connection(connection).of_actor(actor.actor.value)
    view[str(base)] = Obj(ChangeKind.ACTOR, connection, {"sync": actor.sync})
    for key, live_field in actor.fields.items():
        view[str(base.of_field(key))] = Obj(ChangeKind.FIELD, connection, field_attrs(live_field))
        default = default_attrs(live_field.default)
        view[str(base.of_default(key))] = Obj(ChangeKind.DEFAULT, connection, default)
    for list_field in sorted(actor.lists):
        items = actor.lists[list_field]
        attrs: dict[str, JsonValue] = {f"item.{k}": items[k] for k in sorted(items)}
        view[str(base.of_list(list_field))] = Obj(ChangeKind.LIST, connection, attrs)
    view[str(base.of_ranking())] = Obj(ChangeKind.RANKING, connection, {"order": list(actor.fields)})


def predicted_connection(meta: ConnectionMeta) -> LiveConnection:
    """What a connection about to be created will hold: the (borrowed) discovered fields, unmapped."""
    actors = {
        actor: LiveActor(
            actor=actor,
            sync=False,
            fields={key: LiveField(field_id=0, key=key, rank=rank) for rank, key in enumerate(am.fields)},
        )
        for actor, am in meta.actors.items()
    }
    return LiveConnection(id=0, guid="", name=meta.name, connector=meta.connector, actors=actors)
