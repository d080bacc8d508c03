"""apply_changes: a tiny in-memory applier over a LiveState, to check that plans converge.

It reads only the plan's *changes* (what reviewers see), so "apply, then plan again -> no
changes" proves the changes say everything needed to reach the desired state.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from syncspec.model.enums import ErpActorType
from syncspec.model.live import LiveAccess, LiveConnection, LiveConnector, LiveDefault, LiveField, LiveState
from syncspec.model.metadata import Metadata
from syncspec.plan.model import Action, Change, Plan
from syncspec.plan.view import predicted_connection

MASK = "********"


def apply_changes(live: LiveState, plan: Plan, metadata: Metadata) -> LiveState:
    connectors = dict(live.connectors)
    connections = dict(live.connections)
    priority = live.sync_priority
    for change in plan.changes:
        if change.kind == "connector":
            name = change.address.removeprefix("connector.")
            if change.action is Action.DELETE:
                del connectors[name]
            else:
                old = connectors.get(name, LiveConnector(900 + len(connectors), name, ""))
                connectors[name] = replace(old, url=str(change.after["url"]))
        elif change.kind == "sync_priority":
            priority = tuple(str(n) for n in change.after["order"])  # type: ignore[union-attr]
        elif change.kind == "connection" and change.action is Action.DELETE:
            del connections[change.connection]
        else:
            connections[change.connection] = _apply(connections.get(change.connection), change, metadata)
    return LiveState(connectors, connections, priority)


def _apply(conn: LiveConnection | None, change: Change, metadata: Metadata) -> LiveConnection:
    after: dict[str, Any] = dict(change.after)
    if conn is None:
        meta = metadata.for_connection(change.connection, str(after["connector"]))
        assert meta is not None
        conn = replace(predicted_connection(meta), id=500, guid="new")
    if change.kind == "connection":
        return _connection(conn, change, after)
    actor_name, _, rest = change.address.split(".actor.", 1)[1].partition(".")
    actor_type = ErpActorType(actor_name)
    actor = conn.actors[actor_type]
    if change.kind == "actor":
        actor = replace(actor, sync=after["sync"])
    elif change.kind in ("field", "default"):
        key = rest.split(".")[1]
        old = actor.fields[key]
        if change.kind == "field":
            new = _field(old, after)
        else:
            d = old.default
            value = after.get("value", d.value if d.has_value else None)
            new = replace(
                old,
                default=LiveDefault(
                    has_value=value is not None,
                    value=value or "",
                    prompt=after.get("prompt", d.prompt),
                    mandatory=after.get("mandatory", d.mandatory),
                ),
            )
        actor = replace(actor, fields={**actor.fields, key: new})
    elif change.kind == "list":
        list_field = rest.removeprefix("list.")
        items = dict(actor.lists.get(list_field, {}))
        items.update({a.removeprefix("item."): v for a, v in after.items()})
        actor = replace(actor, lists={**actor.lists, list_field: items})
    elif change.kind == "ranking":
        actor = replace(actor, fields={k: actor.fields[k] for k in after["order"]})
    return replace(conn, actors={**conn.actors, actor_type: actor})


def _field(old: LiveField, after: dict[str, Any]) -> LiveField:
    new = replace(
        old,
        crm=after.get("crm", old.crm),
        show_in_search=after.get("show_in_search", old.show_in_search),
        show_in_tab=after.get("show_in_tab", old.show_in_tab),
    )
    if "direction" in after:
        direction = after["direction"]
        new = replace(new, to_crm=direction in ("to-crm", "both"), to_erp=direction in ("to-erp", "both"))
    return new


def _connection(conn: LiveConnection, change: Change, after: dict[str, Any]) -> LiveConnection:
    if change.action in (Action.ACTIVATE, Action.DEACTIVATE):
        return replace(conn, active=bool(after["active"]))
    config = dict(conn.config)
    sensitive = set(conn.config_sensitive)
    for attribute, value in after.items():
        if attribute.startswith("config."):
            key = attribute.removeprefix("config.")
            if attribute in change.sensitive:
                config[key] = MASK  # the tenant masks what it stores
                sensitive.add(key)
            else:
                config[key] = value
    access = after.get("access")
    new_access = conn.access
    if access == "everyone":
        new_access = LiveAccess()
    elif isinstance(access, dict):
        new_access = LiveAccess(False, tuple(access["groups"]), tuple(access["users"]))
    return replace(
        conn,
        connector=after.get("connector", conn.connector),
        description=after.get("description", conn.description),
        access=new_access,
        config=config,
        config_sensitive=frozenset(sensitive),
    )
