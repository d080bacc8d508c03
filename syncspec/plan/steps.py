"""Steps: what the applier runs, in the order SuperOffice demands, built from the (filtered) changes.

Step data is the *target* state of what each step saves: live values overlaid with the
changes' `after` values, so a step that saves a whole actor type (or the whole list
container) leaves everything the plan does not change exactly as it is live.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence

from syncspec.model.applied import JsonValue
from syncspec.model.live import LiveState
from syncspec.plan.engine import engine_steps
from syncspec.plan.model import Action, Change, Step, StepKind
from syncspec.plan.ranking import Move
from syncspec.plan.view import Obj, View, actor_address, connection_address


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
    steps: list[Step] = []
    for change in changes:
        if change.kind == "connector" and change.action is not Action.DELETE:
            name = change.address.removeprefix("connector.")
            live_connector = live.connectors.get(name)
            data: dict[str, JsonValue] = {
                "name": name,
                "id": live_connector.id if live_connector else None,
                "url": target[change.address].attrs["url"] if change.address in target else None,
            }
            steps.append(Step(StepKind.SAVE_CONNECTOR, "", (change.address,), data))
    connections = sorted({c.connection for c in changes if c.connection})
    for name in connections:
        own = [c for c in changes if c.connection == name]
        steps.extend(_connection_steps(name, own, live, target, index, moves))
    for change in changes:
        if change.kind == "connector" and change.action is Action.DELETE:
            name = change.address.removeprefix("connector.")
            steps.append(
                Step(
                    StepKind.DELETE_CONNECTOR,
                    "",
                    (change.address,),
                    {"name": name, "id": live.connectors[name].id},
                )
            )
    for change in changes:
        if change.kind == "sync_priority":
            steps.append(
                Step(StepKind.SAVE_SYNC_PRIORITY, "", (change.address,), {"order": change.after["order"]})
            )
    # Last: the engine switches on only once everything it will sync is in place.
    steps.extend(engine_steps(changes))
    return steps


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
        if obj.kind in ("field", "list"):
            index.setdefault((obj.connection, obj.kind), []).append(address)
    return index


_DEFAULT_ATTRS: dict[str, JsonValue] = {"value": None, "prompt": False, "mandatory": False}


def _connection_steps(
    name: str,
    changes: list[Change],
    live: LiveState,
    target: View,
    index: Mapping[tuple[str, str], list[str]],
    moves: Mapping[str, list[Move]],
) -> list[Step]:
    address = connection_address(name)
    existing = live.connections.get(name)
    conn_id: JsonValue = existing.id if existing else None
    mine = [c for c in changes if c.address == address]
    if any(c.action is Action.DELETE for c in mine):
        return [Step(StepKind.DELETE_CONNECTION, name, (address,), {"id": conn_id})]
    saved = [c for c in mine if c.action in (Action.CREATE, Action.UPDATE)]
    activation = [c for c in mine if c.action in (Action.ACTIVATE, Action.DEACTIVATE)]
    below = [c for c in changes if c.address != address]
    live_active = bool(existing and existing.active)
    # SuperOffice refuses changes to an active connection, so switch it off first; a
    # connection whose only change is its active flag is just toggled.
    switch_off = live_active and bool(saved or below)
    steps: list[Step] = []
    if switch_off:
        addresses = tuple(c.address for c in activation if c.action is Action.DEACTIVATE)
        steps.append(Step(StepKind.DEACTIVATE, name, addresses or (address,), {"id": conn_id}))
    if saved:
        steps.append(_save_connection(name, saved[0], conn_id, target))
        if saved[0].action is Action.CREATE or any(a.startswith("config.") for a in saved[0].after):
            steps.append(Step(StepKind.REFRESH_FIELDS, name, (address,), {"id": conn_id}))
    field_ids = _field_ids(live, name)
    steps.extend(_actor_steps(name, below, target, index.get((name, "field"), []), field_ids, conn_id))
    lists = [c for c in below if c.kind == "list"]
    if lists:
        steps.append(_list_step(name, lists, target, index.get((name, "list"), []), conn_id))
    for change in below:
        if change.kind == "default":
            actor, key = _actor_and_key(change.address)
            obj = target[change.address].attrs
            data = {
                "connection_id": conn_id,
                "actor": actor,
                "field": key,
                "field_id": field_ids.get((actor, key)),
            }
            # A field first seen on a new connection may carry only the attributes it asks for.
            data.update({k: obj.get(k, fallback) for k, fallback in _DEFAULT_ATTRS.items()})
            steps.append(Step(StepKind.SAVE_DEFAULT, name, (change.address,), data))
    for change in below:
        if change.kind == "ranking":
            actor = change.address.split(".actor.", 1)[1].split(".", 1)[0]
            for move in moves.get(change.address, []):
                data = {
                    "connection_id": conn_id,
                    "actor": actor,
                    "field": move.key,
                    "field_id": field_ids.get((actor, move.key)),
                    "direction": move.direction,
                }
                steps.append(Step(StepKind.MOVE_FIELD, name, (change.address,), data))
    want_active = activation[0].after["active"] if activation else live_active
    if want_active and (switch_off or activation):
        addresses = tuple(c.address for c in activation) or (address,)
        steps.append(Step(StepKind.ACTIVATE, name, addresses, {"id": conn_id}))
    elif activation and not switch_off:
        steps.append(Step(StepKind.DEACTIVATE, name, (address,), {"id": conn_id}))
    return steps


def _save_connection(name: str, change: Change, conn_id: JsonValue, target: View) -> Step:
    address = connection_address(name)
    attrs = target[address].attrs if address in target else dict(change.after)
    sensitive = (
        set(change.sensitive) | target[address].sensitive if address in target else set(change.sensitive)
    )
    config: dict[str, JsonValue] = {}
    for attribute, value in (attrs if address in target else change.after).items():
        if attribute.startswith("config."):
            config[attribute.removeprefix("config.")] = None if attribute in sensitive else value
    data: dict[str, JsonValue] = {
        "id": conn_id,
        "name": name,
        "create": change.action is Action.CREATE,
        "connector": attrs.get("connector"),
        "description": attrs.get("description"),
        "access": attrs.get("access"),
        "config": config,
        # the applier resolves these itself; a plan never carries a secret
        "sensitive_keys": list[JsonValue](
            sorted(a.removeprefix("config.") for a in sensitive if a.startswith("config."))
        ),
    }
    return Step(StepKind.SAVE_CONNECTION, name, (address,), data)


def _field_ids(live: LiveState, name: str) -> dict[tuple[str, str], int]:
    existing = live.connections.get(name)
    if existing is None:
        return {}
    return {
        (actor.value, key): f.field_id
        for actor, live_actor in existing.actors.items()
        for key, f in live_actor.fields.items()
    }


def _actor_and_key(address: str) -> tuple[str, str]:
    rest = address.split(".actor.", 1)[1]
    actor, _, tail = rest.partition(".")
    parts = tail.split(".")
    return actor, parts[1] if len(parts) > 1 else ""


def _actor_steps(
    name: str,
    below: list[Change],
    target: View,
    field_addresses: list[str],
    field_ids: Mapping[tuple[str, str], int],
    conn_id: JsonValue,
) -> list[Step]:
    by_actor: dict[str, list[str]] = {}
    for change in below:
        if change.kind in ("actor", "field"):
            actor, _ = _actor_and_key(change.address)
            by_actor.setdefault(actor, []).append(change.address)
    steps: list[Step] = []
    for actor in sorted(by_actor):
        base = actor_address(name, actor)
        prefix = f"{base}.field."
        fields: dict[str, JsonValue] = {}
        for address in field_addresses:
            if address.startswith(prefix):
                key = address.removeprefix(prefix)
                fields[key] = {"field_id": field_ids.get((actor, key)), **target[address].attrs}
        sync = target[base].attrs.get("sync", False) if base in target else False
        data: dict[str, JsonValue] = {
            "connection_id": conn_id,
            "actor": actor,
            "sync": sync,
            "fields": fields,
        }
        steps.append(Step(StepKind.SAVE_ACTOR_MAPPING, name, tuple(by_actor[actor]), data))
    return steps


def _list_step(
    name: str, changes: list[Change], target: View, list_addresses: list[str], conn_id: JsonValue
) -> Step:
    lists: dict[str, JsonValue] = {}
    prefix = f"{connection_address(name)}.actor."
    for address in list_addresses:
        obj = target[address]
        if address.startswith(prefix):
            actor, _, rest = address.removeprefix(prefix).partition(".list.")
            if not _maps_to_crm(target, name, actor, rest):
                # Unmapped by this plan (or never mapped): SuperOffice's list container holds
                # only fields mapped to a CRM list, and the actor mapping step before this one
                # already took the field out of it, so naming it would be refused.
                continue
            items = {a.removeprefix("item."): v for a, v in obj.attrs.items()}
            per_actor = lists.setdefault(actor, {})
            assert isinstance(per_actor, dict)
            per_actor[rest] = dict(items)
    data: dict[str, JsonValue] = {"connection_id": conn_id, "lists": lists}
    return Step(StepKind.SAVE_LIST_MAPPINGS, name, tuple(c.address for c in changes), data)


def _maps_to_crm(target: View, name: str, actor: str, key: str) -> bool:
    """Whether ERP field `key` is mapped to a CRM field in the target state (unknown: yes)."""
    obj = target.get(f"{actor_address(name, actor)}.field.{key}")
    return obj is None or bool(obj.attrs.get("crm"))
