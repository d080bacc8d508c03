"""Risks a reviewer must see that no single change carries."""

from __future__ import annotations

from dataclasses import dataclass

from syncspec.model.address import Address
from syncspec.model.applied import JsonValue
from syncspec.model.live import LiveConnection, LiveConnector, LiveField, LiveState
from syncspec.plan.model import Action, Change, Plan, ReasonKind, StepKind


def paused_connections(plan: Plan) -> list[str]:
    """Connections the apply switches off while changing them and on again after.

    SuperOffice refuses changes to an active connection, so its ERP sync pauses for the
    length of the apply; the changes themselves do not say so (their `active` stays true).
    """
    switched_off: set[str] = set()
    paused: list[str] = []
    for step in plan.steps:
        if step.kind is StepKind.DEACTIVATE:
            switched_off.add(step.connection)
        elif step.kind is StepKind.ACTIVATE and step.connection in switched_off:
            paused.append(step.connection)
    return sorted(set(paused))


PAUSE_TEXT = "active: switched off while it changes and on again after (its ERP sync pauses meanwhile)"


def left_switched_off_risk(apply_id: str) -> str:
    """The risk line of a connection an interrupted apply switched off and left so."""
    return (
        f"left switched off by an interrupted apply ({apply_id}): its ERP sync is stopped "
        "until this plan switches it on again"
    )


def connection_losses(connection: LiveConnection) -> dict[str, JsonValue]:
    """What deleting a connection throws away, for the delete's `before` (reviewers must see it)."""
    fields = [f for actor in connection.actors.values() for f in actor.fields.values()]
    return {
        "connector": connection.connector,
        "active": connection.active,
        "synced_actors": list[JsonValue](
            sorted(a.value for a, live in connection.actors.items() if live.sync)
        ),
        "mapped_fields": sum(1 for f in fields if _mapped(f)),
        "list_mappings": _mapped_items(connection),
        "defaults": sum(1 for f in fields if f.default.is_set),
    }


def _mapped(live_field: LiveField) -> bool:
    return bool(live_field.crm or live_field.to_crm or live_field.to_erp)


def _mapped_items(connection: LiveConnection) -> int:
    """ERP list items mapped to a CRM item, over every list of every actor type."""
    lists = [items for actor in connection.actors.values() for items in actor.lists.values()]
    return sum(1 for items in lists for v in items.values() if v is not None)


def connection_delete_risk(name: str, lost: dict[str, JsonValue]) -> str:
    nouns = {"mapped_fields": "mapped field", "list_mappings": "list mapping", "defaults": "default"}
    parts = [f"{lost[k]} {noun}{'' if lost[k] == 1 else 's'}" for k, noun in nouns.items()]
    state = "an active connection" if lost.get("active") else "an inactive connection"
    return f"deletes connection {name} ({state}): loses {', '.join(parts)}"


def connector_losses(connector: LiveConnector, live: LiveState) -> dict[str, JsonValue]:
    users = sorted(n for n, c in live.connections.items() if c.connector == connector.name)
    return {"url": connector.url, "used_by": list[JsonValue](users)}


@dataclass(frozen=True)
class DeleteLimit:
    """How much one plan may delete: `max_percent` of the tenant's connections, never all of
    them, unless `allow_all` (the explicit `--allow-delete-all`)."""

    max_percent: int = 50
    allow_all: bool = False


def delete_limit_problem(plan: Plan, live: LiveState, limit: DeleteLimit) -> str:
    """Why `plan` deletes too much ("" when it does not): the usual cause is a configuration
    read from the wrong place or missing files, not a wish to empty the tenant."""
    if limit.allow_all:
        return ""
    deleted = {c.address for c in plan.changes if c.action is Action.DELETE}
    connections = [n for n in live.connections if str(Address.connection(n)) in deleted]
    total = len(live.connections)
    if total and len(connections) == total:
        return f"the plan deletes every connection of the tenant ({total})"
    if total and len(connections) * 100 > limit.max_percent * total:
        return (
            f"the plan deletes {len(connections)} of the tenant's {total} connections, "
            f"more than max_delete_percent ({limit.max_percent}%)"
        )
    return ""


CONFLICT_TEXT = (
    "conflict: the tenant and the configuration both changed it since the last apply; "
    "applying overwrites the tenant's change"
)


def conflicting_changes(plan: Plan) -> list[Change]:
    """Changes that overwrite an edit made in the tenant outside syncspec to the same attribute
    the configuration changed too: someone's change is lost, so a reviewer must see it."""
    return [c for c in plan.changes if c.reason.kind is ReasonKind.CONFLICT]
