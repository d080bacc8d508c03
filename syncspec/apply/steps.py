"""Running one plan step through a `Target`: step data (plain JSON) to the target's typed writes.

Steps carry no secret: `sensitive_keys` of a connection save are resolved here through
the `secrets` callable, and every resolved value is remembered so messages can be
scrubbed of it. Ids unknown at planning time (a connection created by this apply, its
discovered fields) are looked up in a fresh read.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from syncspec.apply.engine_step import save_sync_engine
from syncspec.model.applied import JsonValue
from syncspec.model.enums import ErpActorType
from syncspec.model.errors import ApplyError
from syncspec.model.live import LiveAccess, LiveConnection, LiveDefault, LiveState
from syncspec.model.redact import scrub
from syncspec.plan.model import Step, StepKind
from syncspec.targets.base import FieldMappingValue, ListMappingValue, Target

# (connection name, config key) -> the clear value to send
SecretResolver = Callable[[str, str], str]


@dataclass
class StepContext:
    """What the steps of one unit share: the target, the connection's id once known, secrets met."""

    target: Target
    connection: str
    secrets: SecretResolver
    connection_id: int = 0
    secret_values: set[str] = field(default_factory=set)
    # Shared by every unit of one apply: a fresh read drops the target's whole read cache,
    # which must not happen while another unit's read is filling it.
    read_lock: threading.Lock = field(default_factory=threading.Lock)
    _live: LiveState | None = None

    def read(self, connections: Collection[str] | None, *, fresh: bool = True) -> LiveState:
        with self.read_lock:
            return self.target.read_live(connections=connections, fresh=fresh)

    def fresh(self) -> LiveState:
        """A fresh read of this unit's connection (and the connector list, shallowly)."""
        self._live = self.read([self.connection] if self.connection else [])
        return self._live

    def current(self) -> LiveState:
        """This unit's connection as the target's cache has it: what the applier's stale check
        has just read fresh, and since then only what writes dropped is asked again."""
        self._live = self.read([self.connection] if self.connection else [], fresh=False)
        return self._live

    def live_connection(self) -> LiveConnection | None:
        live = self._live or self.fresh()
        return live.connections.get(self.connection)

    def forget(self) -> None:
        self._live = None

    def scrub(self, text: str) -> str:
        return scrub(text, self.secret_values)


def describe(step: Step) -> str:
    where = ", ".join(step.addresses)
    return f"{step.kind.value} ({where})" if where else step.kind.value


def run_step(step: Step, ctx: StepContext) -> None:
    """Run one step; refusals raise AgentError / ApplyError, as the target reports them."""
    data = step.data
    runner = _RUNNERS[step.kind]
    runner(data, ctx)


def _id(value: JsonValue, what: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    raise ApplyError(f"the plan has no id for {what}", hint="make the plan again")


def _conn_id(data: Mapping[str, JsonValue], ctx: StepContext, key: str = "connection_id") -> int:
    value = data.get(key)
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        ctx.connection_id = value
        return value
    if ctx.connection_id:
        return ctx.connection_id
    live = ctx.live_connection()
    if live is None:
        raise ApplyError(f"connection {ctx.connection!r} does not exist in the tenant")
    ctx.connection_id = live.id
    return live.id


def _field_id(ctx: StepContext, actor: str, key: str, given: JsonValue) -> int:
    if isinstance(given, int) and not isinstance(given, bool) and given > 0:
        return given
    live = ctx.live_connection()
    found = live.actors.get(ErpActorType(actor)) if live else None
    if found is None or key not in found.fields:
        raise ApplyError(f"the tenant has no ERP field {actor}.{key} in connection {ctx.connection!r}")
    return found.fields[key].field_id


def _save_connector(data: Mapping[str, JsonValue], ctx: StepContext) -> None:
    existing = data.get("id")
    ctx.target.save_connector(
        str(data["name"]), str(data["url"]), existing if isinstance(existing, int) and existing > 0 else 0
    )


def _delete_connector(data: Mapping[str, JsonValue], ctx: StepContext) -> None:
    ctx.target.delete_connector(_id(data.get("id"), f"connector {data.get('name')}"))


def access_of(value: JsonValue) -> LiveAccess:
    if isinstance(value, dict):
        groups = value.get("groups") or []
        users = value.get("users") or []
        assert isinstance(groups, list) and isinstance(users, list)
        return LiveAccess(False, tuple(str(g) for g in groups), tuple(str(u) for u in users))
    return LiveAccess()


def _save_connection(data: Mapping[str, JsonValue], ctx: StepContext) -> None:
    connector = str(data["connector"])
    live = ctx.fresh()
    if connector not in live.connectors:
        raise ApplyError(f"connector {connector!r} does not exist in the tenant")
    config_in = data.get("config") or {}
    assert isinstance(config_in, dict)
    sensitive = data.get("sensitive_keys") or []
    assert isinstance(sensitive, list)
    config: dict[str, str] = {}
    for key, value in config_in.items():
        if key not in sensitive:
            config[key] = "" if value is None else str(value)
    # sensitive keys are named even when the step's config leaves them out (a create)
    for name in sensitive:
        secret = ctx.secrets(ctx.connection, str(name))
        ctx.secret_values.add(secret)
        config[str(name)] = secret
    existing = data.get("id")
    conn_id = existing if isinstance(existing, int) and existing > 0 and not data.get("create") else 0
    connector_id = live.connectors[connector].id
    # The GUI's "Test ERP connection" before OK, for a new connection too (see docs/rest.md:
    # a new connection has no id yet, so it is tested through its connector's id).
    if conn_id:
        if not ctx.target.test_config(conn_id, config):
            raise ApplyError(
                f"TestConnectionByConfig answered false for connection {ctx.connection!r}: the "
                "connector did not accept the configuration, so it was not saved ("
                + _refusal_reason(ctx, conn_id, config)
                + ")"
            )
    elif not ctx.target.test_config(connector_id, config):
        raise ApplyError(
            f"TestConnectionByConfig answered false for the new connection {ctx.connection!r} "
            f"(asked with the id {connector_id} of its connector {connector!r}): the connector did not "
            "accept the configuration, so the connection was not created ("
            + _refusal_reason(ctx, connector_id, config)
            + ")"
            + _ambiguous_id_note(live, connector_id, connector),
        )
    saved = ctx.target.save_connection(
        name=str(data["name"]),
        connector_id=connector_id,
        description=str(data.get("description") or ""),
        access=access_of(data.get("access")),
        config=config,
        existing_id=conn_id,
    )
    ctx.connection_id = saved.erp_connection_id
    ctx.forget()


def _refusal_reason(ctx: StepContext, tested_id: int, config: Mapping[str, str]) -> str:
    """The connector's reason for refusing a config, or why there is none to show."""
    reason = ctx.target.config_refusal_reason(tested_id, config)
    if reason:
        for secret in ctx.secret_values:  # the tenant scrubs too; a secret must never reach output
            if secret:
                reason = reason.replace(secret, "********")
        return f"Test ERP connection failed: {reason}"
    return (
        "the answer carries no reason: SuperOffice's documented TestConnectionByConfig returns "
        "only true or false; 'Test ERP connection' on the connection in SuperOffice shows the "
        "connector's explanation"
    )


def _ambiguous_id_note(live: LiveState, connector_id: int, connector: str) -> str:
    """Say so when the id also names a connection of another connector (the docs allow both readings)."""
    for name, other in live.connections.items():
        if other.id == connector_id and other.connector != connector:
            return (
                f"; note: {connector_id} is also the id of connection {name!r} (connector "
                f"{other.connector!r}), and SuperOffice's documentation does not settle which one it means"
            )
    return ""


def _refresh(data: Mapping[str, JsonValue], ctx: StepContext) -> None:
    conn_id = _conn_id(data, ctx, "id")
    refreshed = ctx.target.refresh_fields(conn_id)
    ctx.forget()
    if refreshed is not True:
        raise ApplyError(
            f"UpdateConnectionFields answered {_shown(refreshed)} for connection {ctx.connection!r}: "
            "its actor types and fields were not refreshed from the connector"
        )


def _shown(answer: object) -> str:
    return str(answer).lower() if isinstance(answer, bool) else repr(answer)


def _set_active(active: bool) -> Callable[[Mapping[str, JsonValue], StepContext], None]:
    def run(data: Mapping[str, JsonValue], ctx: StepContext) -> None:
        reasons = ctx.target.set_active(_conn_id(data, ctx, "id"), active)
        if reasons:
            verb = "activate" if active else "deactivate"
            raise ApplyError(
                f"the tenant refused to {verb} connection {ctx.connection!r}: " + "; ".join(reasons)
            )

    return run


def direction_flags(direction: JsonValue) -> tuple[bool, bool]:
    """(to_crm, to_erp) of a plan direction."""
    return direction in ("to-crm", "both"), direction in ("to-erp", "both")


def _save_actor(data: Mapping[str, JsonValue], ctx: StepContext) -> None:
    fields_in = data.get("fields") or {}
    assert isinstance(fields_in, dict)
    fields: dict[str, FieldMappingValue] = {}
    for key, raw in fields_in.items():
        attrs: Mapping[str, Any] = raw if isinstance(raw, dict) else {}
        to_crm, to_erp = direction_flags(attrs.get("direction"))
        fields[key] = FieldMappingValue(
            crm=str(attrs.get("crm") or ""),
            to_crm=to_crm,
            to_erp=to_erp,
            show_in_search=bool(attrs.get("show_in_search")),
            show_in_tab=bool(attrs.get("show_in_tab")),
        )
    ctx.target.save_actor_mapping(
        _conn_id(data, ctx), ErpActorType(str(data["actor"])), sync=bool(data.get("sync")), fields=fields
    )


def _save_lists(data: Mapping[str, JsonValue], ctx: StepContext) -> None:
    conn_id = _conn_id(data, ctx)
    lists_in = data.get("lists") or {}
    assert isinstance(lists_in, dict)
    lists: list[ListMappingValue] = []
    for actor, per_field in sorted(lists_in.items()):
        assert isinstance(per_field, dict)
        for list_field, items in sorted(per_field.items()):
            assert isinstance(items, dict)
            lists.append(
                ListMappingValue(
                    field_id=_field_id(ctx, actor, list_field, None),
                    actor=ErpActorType(actor),
                    items={k: v if isinstance(v, int) else None for k, v in items.items()},
                )
            )
    ctx.target.save_list_mappings(conn_id, lists)


def _save_default(data: Mapping[str, JsonValue], ctx: StepContext) -> None:
    value = data.get("value")
    default = LiveDefault(
        has_value=value is not None,
        value="" if value is None else str(value),
        prompt=bool(data.get("prompt")),
        mandatory=bool(data.get("mandatory")),
    )
    field_id = _field_id(ctx, str(data["actor"]), str(data["field"]), data.get("field_id"))
    ctx.target.save_default(_conn_id(data, ctx), field_id, default)


def _move(data: Mapping[str, JsonValue], ctx: StepContext) -> None:
    direction = data.get("direction")
    actor = str(data["actor"])
    field_id = _field_id(ctx, actor, str(data["field"]), data.get("field_id"))
    ctx.target.move_field(_conn_id(data, ctx), ErpActorType(actor), field_id, int(str(direction)))


def _delete_connection(data: Mapping[str, JsonValue], ctx: StepContext) -> None:
    ctx.target.delete_connection(_id(data.get("id"), f"connection {ctx.connection}"))


def _save_priority(data: Mapping[str, JsonValue], ctx: StepContext) -> None:
    order = data.get("order") or []
    assert isinstance(order, list)
    # names -> ids from a fresh full read: connections created by this apply have new ids
    known = _connection_ids(ctx)
    missing = [str(n) for n in order if str(n) not in known]
    if missing:
        raise ApplyError(f"sync priority names connections the tenant does not have: {', '.join(missing)}")
    saved = ctx.target.save_sync_priority([known[str(n)] for n in order])
    if saved is not True:
        raise ApplyError(
            f"SaveErpConnectionSyncPriorities answered {_shown(saved)} for the sync priority "
            f"{', '.join(str(n) for n in order)}: the new order was not saved"
        )


def _connection_ids(ctx: StepContext) -> dict[str, int]:
    live = ctx.read(None)
    return {name: conn.id for name, conn in live.connections.items()}


def _save_engine(data: Mapping[str, JsonValue], ctx: StepContext) -> None:
    save_sync_engine(data, ctx.target)


_RUNNERS: dict[StepKind, Callable[[Mapping[str, JsonValue], StepContext], None]] = {
    StepKind.SAVE_CONNECTOR: _save_connector,
    StepKind.DELETE_CONNECTOR: _delete_connector,
    StepKind.SAVE_CONNECTION: _save_connection,
    StepKind.REFRESH_FIELDS: _refresh,
    StepKind.DEACTIVATE: _set_active(False),
    StepKind.ACTIVATE: _set_active(True),
    StepKind.SAVE_ACTOR_MAPPING: _save_actor,
    StepKind.SAVE_LIST_MAPPINGS: _save_lists,
    StepKind.SAVE_DEFAULT: _save_default,
    StepKind.MOVE_FIELD: _move,
    StepKind.DELETE_CONNECTION: _delete_connection,
    StepKind.SAVE_SYNC_PRIORITY: _save_priority,
    StepKind.SAVE_SYNC_ENGINE: _save_engine,
}
