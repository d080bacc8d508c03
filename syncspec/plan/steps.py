"""Steps: what the applier runs, in the order SuperOffice demands, built from the (filtered) changes.

Step data is the *target* state of what each step saves: live values overlaid with the
changes' `after` values, so a step that saves a whole actor type (or the whole list
container) leaves everything the plan does not change exactly as it is live. Each kind of
step is one typed operation (`plan/ops.py`), built by one function here.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from syncspec.model.address import Address
from syncspec.model.applied import JsonValue
from syncspec.model.enums import ErpActorType
from syncspec.model.live import LiveState
from syncspec.plan.engine import engine_steps
from syncspec.plan.model import Action, Change, ChangeKind
from syncspec.plan.ops import (
    Activate,
    Deactivate,
    DeleteConnection,
    DeleteConnector,
    FieldTarget,
    MoveField,
    RefreshFields,
    SaveActorMapping,
    SaveConnection,
    SaveConnector,
    SaveDefault,
    SaveListMappings,
    SaveSyncPriority,
    Step,
    access_of,
)
from syncspec.plan.ranking import Move
from syncspec.plan.view import Obj, View


def target_view(live: View, changes: Iterable[Change]) -> View:
    """Live view with every change applied (sensitive values stay as they are: they are masked).

    Copy on write: only the objects a change touches are copied, the rest are shared.
    """
    target = dict(live)
    copied: set[str] = set()
    for change in changes:
        obj = target.get(change.address)
        if change.action is Action.DELETE:
            target.pop(change.address, None)
            continue
        if obj is None:
            # e.g. the first list mapping of a field: the object starts from nothing
            obj = target[change.address] = Obj(change.kind, change.connection)
        elif change.address not in copied:
            obj = target[change.address] = copy.copy(obj)
            obj.attrs = dict(obj.attrs)
        copied.add(change.address)
        for attribute, value in change.after.items():
            if attribute not in change.sensitive:
                obj.attrs[attribute] = value
    return target


def build_steps(
    changes: Sequence[Change],
    live: LiveState,
    live_objects: View,
    moves: Mapping[str, list[Move]],
    *,
    env_secrets: frozenset[str] = frozenset(),
) -> list[Step]:
    """`env_secrets`: `connection.X.config.KEY` the tenant shows in clear but the configuration
    takes from the environment; a save names them like Password values, never carries them."""
    target = _with_secrets(target_view(live_objects, changes), env_secrets)
    index = _index(target)
    steps: list[Step] = [_save_connector(c, live, target) for c in changes if _is_connector(c, deleted=False)]
    by_connection = _by_connection(changes)
    for name in sorted(by_connection):
        planning = _ConnectionPlanning.of(name, live, target, index, moves)
        steps.extend(_connection_steps(planning, by_connection[name]))
    steps.extend(_delete_connector(c, live) for c in changes if _is_connector(c, deleted=True))
    steps.extend(
        SaveSyncPriority(addresses=(c.address,), order=_texts(c.after["order"]))
        for c in changes
        if c.kind is ChangeKind.SYNC_PRIORITY
    )
    # Last: the engine switches on only once everything it will sync is in place.
    steps.extend(engine_steps(changes))
    return steps


def _is_connector(change: Change, *, deleted: bool) -> bool:
    return change.kind is ChangeKind.CONNECTOR and (change.action is Action.DELETE) is deleted


def _by_connection(changes: Iterable[Change]) -> dict[str, list[Change]]:
    """Each connection's changes, in plan order: one pass, however many connections."""
    grouped: dict[str, list[Change]] = {}
    for change in changes:
        if change.connection:
            grouped.setdefault(change.connection, []).append(change)
    return grouped


def _save_connector(change: Change, live: LiveState, target: View) -> SaveConnector:
    name = Address.parse(change.address).name
    live_connector = live.connectors.get(name)
    url = target[change.address].attrs["url"] if change.address in target else None
    return SaveConnector(
        addresses=(change.address,),
        name=name,
        id=live_connector.id if live_connector else None,
        url=None if url is None else str(url),
    )


def _delete_connector(change: Change, live: LiveState) -> DeleteConnector:
    name = Address.parse(change.address).name
    return DeleteConnector(addresses=(change.address,), name=name, id=live.connectors[name].id)


def _texts(value: JsonValue) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _with_secrets(target: View, env_secrets: frozenset[str]) -> View:
    """`target` with each of `env_secrets` marked sensitive on its connection (copy on write)."""
    for secret in sorted(env_secrets):
        address, attribute = secret.split(".config.", 1)
        obj = target.get(address)
        if obj is not None:
            obj = target[address] = copy.copy(obj)
            obj.sensitive = obj.sensitive | {f"config.{attribute}"}
    return target


def _index(target: View) -> dict[tuple[str, str], list[str]]:
    """(connection, kind) -> addresses, so per-connection steps never scan the whole view."""
    index: dict[tuple[str, str], list[str]] = {}
    for address, obj in target.items():
        if obj.kind in (ChangeKind.FIELD, ChangeKind.LIST):
            index.setdefault((obj.connection, obj.kind), []).append(address)
    return index


@dataclass(frozen=True)
class _ConnectionPlanning:
    """What the steps of one connection are built from."""

    name: str
    address: str
    conn_id: int | None  # None: created by this plan
    live_active: bool
    field_ids: Mapping[tuple[str, str], int]
    target: View
    field_addresses: Sequence[str]
    list_addresses: Sequence[str]
    moves: Mapping[str, list[Move]]

    @classmethod
    def of(
        cls,
        name: str,
        live: LiveState,
        target: View,
        index: Mapping[tuple[str, str], list[str]],
        moves: Mapping[str, list[Move]],
    ) -> _ConnectionPlanning:
        existing = live.connections.get(name)
        return cls(
            name=name,
            address=str(Address.connection(name)),
            conn_id=existing.id if existing else None,
            live_active=bool(existing and existing.active),
            field_ids=_field_ids(live, name),
            target=target,
            field_addresses=index.get((name, "field"), []),
            list_addresses=index.get((name, "list"), []),
            moves=moves,
        )

    def field_id(self, actor: str, key: str) -> int | None:
        return self.field_ids.get((actor, key))


@dataclass(frozen=True)
class _Own:
    """One connection's changes: to the connection itself, and to what lies below it."""

    deleted: bool
    saved: Change | None  # its create or update
    activation: list[Change]
    below: list[Change]

    @classmethod
    def of(cls, address: str, changes: list[Change]) -> _Own:
        mine = [c for c in changes if c.address == address]
        saved = [c for c in mine if c.action in (Action.CREATE, Action.UPDATE)]
        return cls(
            deleted=any(c.action is Action.DELETE for c in mine),
            saved=saved[0] if saved else None,
            activation=[c for c in mine if c.action in (Action.ACTIVATE, Action.DEACTIVATE)],
            below=[c for c in changes if c.address != address],
        )


def _connection_steps(planning: _ConnectionPlanning, changes: list[Change]) -> list[Step]:
    """A connection's steps in the order SuperOffice demands: off, own fields, actor mappings,
    list mappings, defaults, ranking moves, then the active flag."""
    own = _Own.of(planning.address, changes)
    if own.deleted:
        return [
            DeleteConnection(connection=planning.name, addresses=(planning.address,), id=planning.conn_id)
        ]
    # SuperOffice refuses changes to an active connection, so switch it off first; a
    # connection whose only change is its active flag is just toggled.
    switch_off = planning.live_active and bool(own.saved or own.below)
    steps: list[Step] = _switch_off_steps(planning, own.activation) if switch_off else []
    if own.saved is not None:
        steps.extend(_save_steps(planning, own.saved))
    steps.extend(_actor_steps(planning, own.below))
    steps.extend(_list_steps(planning, own.below))
    steps.extend(_default_step(planning, c) for c in own.below if c.kind is ChangeKind.DEFAULT)
    steps.extend(_move_steps(planning, own.below))
    steps.extend(_activation_steps(planning, own.activation, switch_off))
    return steps


def _switch_off_steps(planning: _ConnectionPlanning, activation: list[Change]) -> list[Step]:
    addresses = tuple(c.address for c in activation if c.action is Action.DEACTIVATE)
    return [
        Deactivate(connection=planning.name, addresses=addresses or (planning.address,), id=planning.conn_id)
    ]


def _activation_steps(
    planning: _ConnectionPlanning, activation: list[Change], switch_off: bool
) -> list[Step]:
    """The active flag last: back on after a switch-off, or the toggle the plan asks for."""
    name, address, conn_id = planning.name, planning.address, planning.conn_id
    want_active = activation[0].after["active"] if activation else planning.live_active
    if want_active and (switch_off or activation):
        addresses = tuple(c.address for c in activation) or (address,)
        return [Activate(connection=name, addresses=addresses, id=conn_id)]
    if activation and not switch_off:
        return [Deactivate(connection=name, addresses=(address,), id=conn_id)]
    return []


def _save_steps(planning: _ConnectionPlanning, change: Change) -> list[Step]:
    """The connection's own fields, then a field refresh when they change what it discovers."""
    steps: list[Step] = [_save_connection(planning, change)]
    if change.action is Action.CREATE or any(a.startswith("config.") for a in change.after):
        steps.append(
            RefreshFields(connection=planning.name, addresses=(planning.address,), id=planning.conn_id)
        )
    return steps


def _save_connection(planning: _ConnectionPlanning, change: Change) -> SaveConnection:
    obj = planning.target.get(planning.address)
    attrs = obj.attrs if obj is not None else dict(change.after)
    sensitive = set(change.sensitive) | (obj.sensitive if obj is not None else set())
    config: dict[str, str | None] = {
        attribute.removeprefix("config."): None if attribute in sensitive else _text_or_none(value)
        for attribute, value in attrs.items()
        if attribute.startswith("config.")
    }
    return SaveConnection(
        connection=planning.name,
        addresses=(planning.address,),
        id=planning.conn_id,
        name=planning.name,
        create=change.action is Action.CREATE,
        connector=_text_or_none(attrs.get("connector")),
        description=_text_or_none(attrs.get("description")),
        access=access_of(attrs.get("access")),
        config=config,
        sensitive_keys=tuple(sorted(a.removeprefix("config.") for a in sensitive if a.startswith("config."))),
    )


def _text_or_none(value: JsonValue) -> str | None:
    return None if value is None else str(value)


def _field_ids(live: LiveState, name: str) -> dict[tuple[str, str], int]:
    existing = live.connections.get(name)
    if existing is None:
        return {}
    return {
        (actor.value, key): f.field_id
        for actor, live_actor in existing.actors.items()
        for key, f in live_actor.fields.items()
    }


def _actor_steps(planning: _ConnectionPlanning, below: list[Change]) -> list[Step]:
    """One whole-actor save per actor type with a changed sync flag or field."""
    by_actor: dict[str, list[str]] = {}
    for change in below:
        if change.kind in (ChangeKind.ACTOR, ChangeKind.FIELD):
            by_actor.setdefault(Address.parse(change.address).actor, []).append(change.address)
    return [_actor_step(planning, actor, tuple(by_actor[actor])) for actor in sorted(by_actor)]


def _actor_step(planning: _ConnectionPlanning, actor: str, addresses: tuple[str, ...]) -> SaveActorMapping:
    base = Address.connection(planning.name).of_actor(actor)
    fields: dict[str, FieldTarget] = {}
    for text in planning.field_addresses:
        address = Address.parse(text)
        if address.actor == actor:
            attrs = {"field_id": planning.field_id(actor, address.key), **planning.target[text].attrs}
            fields[address.key] = FieldTarget.of(attrs)
    actor_obj = planning.target.get(str(base))
    return SaveActorMapping(
        connection=planning.name,
        addresses=addresses,
        connection_id=planning.conn_id,
        actor=ErpActorType(actor),
        sync=bool(actor_obj.attrs.get("sync", False)) if actor_obj is not None else False,
        fields=fields,
    )


def _list_steps(planning: _ConnectionPlanning, below: list[Change]) -> list[Step]:
    """One save of the whole list container when any list mapping changes."""
    changes = [c for c in below if c.kind is ChangeKind.LIST]
    return [_list_step(planning, changes)] if changes else []


def _list_step(planning: _ConnectionPlanning, changes: list[Change]) -> SaveListMappings:
    lists: dict[ErpActorType, dict[str, dict[str, int | None]]] = {}
    for text in planning.list_addresses:
        address = Address.parse(text)
        if not _maps_to_crm(planning.target, address):
            # Unmapped by this plan (or never mapped): SuperOffice's list container holds
            # only fields mapped to a CRM list, and the actor mapping step before this one
            # already took the field out of it, so naming it would be refused.
            continue
        items = {a.removeprefix("item."): _item_id(v) for a, v in planning.target[text].attrs.items()}
        lists.setdefault(ErpActorType(address.actor), {})[address.key] = items
    return SaveListMappings(
        connection=planning.name,
        addresses=tuple(c.address for c in changes),
        connection_id=planning.conn_id,
        lists=lists,
    )


def _item_id(value: JsonValue) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _maps_to_crm(target: View, list_address: Address) -> bool:
    """Whether the list's ERP field is mapped to a CRM field in the target state (unknown: yes)."""
    obj = target.get(str(list_address.actor_address.of_field(list_address.key)))
    return obj is None or bool(obj.attrs.get("crm"))


def _default_step(planning: _ConnectionPlanning, change: Change) -> SaveDefault:
    address = Address.parse(change.address)
    attrs = planning.target[change.address].attrs
    # A field first seen on a new connection may carry only the attributes it asks for.
    value = attrs.get("value")
    return SaveDefault(
        connection=planning.name,
        addresses=(change.address,),
        connection_id=planning.conn_id,
        actor=ErpActorType(address.actor),
        field=address.key,
        field_id=planning.field_id(address.actor, address.key),
        value=None if value is None else str(value),
        prompt=bool(attrs.get("prompt", False)),
        mandatory=bool(attrs.get("mandatory", False)),
    )


def _move_steps(planning: _ConnectionPlanning, below: list[Change]) -> list[Step]:
    """The one-place moves of every changed ranking, in plan order."""
    return [
        step
        for change in below
        if change.kind is ChangeKind.RANKING
        for step in _ranking_moves(planning, change)
    ]


def _ranking_moves(planning: _ConnectionPlanning, change: Change) -> list[Step]:
    actor = Address.parse(change.address).actor
    return [
        MoveField(
            connection=planning.name,
            addresses=(change.address,),
            connection_id=planning.conn_id,
            actor=ErpActorType(actor),
            field=move.key,
            field_id=planning.field_id(actor, move.key),
            direction=move.direction,
        )
        for move in planning.moves.get(change.address, [])
    ]
