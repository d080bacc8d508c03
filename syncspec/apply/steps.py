"""Running one plan step through a `Target`: each operation type (`plan/ops.py`) has its runner.

Steps carry no secret: `sensitive_keys` of a connection save are resolved here through
the `secrets` callable, and every resolved value is remembered so messages can be
scrubbed of it. Ids unknown at planning time (a connection created by this apply, its
discovered fields) are looked up in a fresh read.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

from syncspec.apply.engine_step import save_sync_engine
from syncspec.model.enums import Direction, ErpActorType
from syncspec.model.errors import ApplyError
from syncspec.model.live import LiveAccess, LiveConnection, LiveDefault, LiveState
from syncspec.model.redact import scrub
from syncspec.model.text import scalar_text
from syncspec.plan.ops import (
    Activate,
    ConnectionCall,
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
    SaveSyncEngine,
    SaveSyncPriority,
    Step,
)
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


@functools.singledispatch
def run_step(step: Step, ctx: StepContext) -> None:
    """Run one step; refusals raise AgentError / ApplyError, as the target reports them."""
    raise ApplyError(f"this syncspec cannot run a {step.kind.value} step", hint="make the plan again")


def _positive(value: int | None) -> int:
    return value if value is not None and value > 0 else 0


def _id(value: int | None, what: str) -> int:
    if value is not None and value > 0:
        return value
    raise ApplyError(f"the plan has no id for {what}", hint="make the plan again")


def _conn_id(given: int | None, ctx: StepContext) -> int:
    if given is not None and given > 0:
        ctx.connection_id = given
        return given
    if ctx.connection_id:
        return ctx.connection_id
    live = ctx.live_connection()
    if live is None:
        raise ApplyError(f"connection {ctx.connection!r} does not exist in the tenant")
    ctx.connection_id = live.id
    return live.id


def _field_id(ctx: StepContext, actor: ErpActorType, key: str, given: int | None) -> int:
    if given is not None and given > 0:
        return given
    live = ctx.live_connection()
    found = live.actors.get(actor) if live else None
    if found is None or key not in found.fields:
        raise ApplyError(f"the tenant has no ERP field {actor}.{key} in connection {ctx.connection!r}")
    return found.fields[key].field_id


@run_step.register
def _save_connector(step: SaveConnector, ctx: StepContext) -> None:
    ctx.target.save_connector(step.name, str(step.url), _positive(step.id))


@run_step.register
def _delete_connector(step: DeleteConnector, ctx: StepContext) -> None:
    ctx.target.delete_connector(_id(step.id, f"connector {step.name}"))


def _sent_config(step: SaveConnection, ctx: StepContext) -> dict[str, str]:
    """The config to send: the step's clear values, and each sensitive key resolved here."""
    config = {
        key: "" if value is None else value
        for key, value in step.config.items()
        if key not in step.sensitive_keys
    }
    # sensitive keys are named even when the step's config leaves them out (a create)
    for name in step.sensitive_keys:
        secret = ctx.secrets(ctx.connection, name)
        ctx.secret_values.add(secret)
        config[name] = secret
    return config


@run_step.register
def _save_connection(step: SaveConnection, ctx: StepContext) -> None:
    connector = str(step.connector)
    live = ctx.fresh()
    if connector not in live.connectors:
        raise ApplyError(f"connector {connector!r} does not exist in the tenant")
    config = _sent_config(step, ctx)
    conn_id = 0 if step.create else _positive(step.id)
    connector_id = live.connectors[connector].id
    # The GUI's "Test ERP connection" before OK, for a new connection too (see docs/rest.md:
    # a new connection has no id yet, so it is tested through its connector's id).
    if conn_id:
        _test_existing(ctx, conn_id, config)
    else:
        _test_new(ctx, live, connector_id, connector, config)
    saved = ctx.target.save_connection(
        name=step.name,
        connector_id=connector_id,
        description=step.description or "",
        access=step.access or LiveAccess(),
        config=config,
        existing_id=conn_id,
    )
    ctx.connection_id = saved.erp_connection_id
    ctx.forget()


def _test_existing(ctx: StepContext, conn_id: int, config: Mapping[str, str]) -> None:
    if not ctx.target.test_config(conn_id, config):
        raise ApplyError(
            f"TestConnectionByConfig answered false for connection {ctx.connection!r}: the "
            "connector did not accept the configuration, so it was not saved ("
            + _refusal_reason(ctx, conn_id, config)
            + ")"
        )


def _test_new(
    ctx: StepContext, live: LiveState, connector_id: int, connector: str, config: Mapping[str, str]
) -> None:
    if not ctx.target.test_config(connector_id, config):
        raise ApplyError(
            f"TestConnectionByConfig answered false for the new connection {ctx.connection!r} "
            f"(asked with the id {connector_id} of its connector {connector!r}): the connector did not "
            "accept the configuration, so the connection was not created ("
            + _refusal_reason(ctx, connector_id, config)
            + ")"
            + _ambiguous_id_note(live, connector_id, connector),
        )


def _refusal_reason(ctx: StepContext, tested_id: int, config: Mapping[str, str]) -> str:
    """The connector's reason for refusing a config, or why there is none to show."""
    reason = ctx.target.config_refusal_reason(tested_id, config)
    if reason:  # the tenant scrubs too; a secret must never reach output
        return f"Test ERP connection failed: {ctx.scrub(reason)}"
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


@run_step.register
def _refresh(step: RefreshFields, ctx: StepContext) -> None:
    conn_id = _conn_id(step.id, ctx)
    refreshed = ctx.target.refresh_fields(conn_id)
    ctx.forget()
    if refreshed is not True:
        raise ApplyError(
            f"UpdateConnectionFields answered {_shown(refreshed)} for connection {ctx.connection!r}: "
            "its actor types and fields were not refreshed from the connector"
        )


def _shown(answer: object) -> str:
    return scalar_text(answer) if isinstance(answer, bool) else repr(answer)


def _set_active(step: ConnectionCall, ctx: StepContext, active: bool) -> None:
    reasons = ctx.target.set_active(_conn_id(step.id, ctx), active)
    if reasons:
        verb = "activate" if active else "deactivate"
        raise ApplyError(f"the tenant refused to {verb} connection {ctx.connection!r}: " + "; ".join(reasons))


@run_step.register
def _activate(step: Activate, ctx: StepContext) -> None:
    _set_active(step, ctx, True)


@run_step.register
def _deactivate(step: Deactivate, ctx: StepContext) -> None:
    _set_active(step, ctx, False)


def _direction_flags(direction: str | None) -> tuple[bool, bool]:
    """(to_crm, to_erp) of a plan direction; none for a direction not given or not known."""
    known = {d.value for d in Direction}
    return Direction(direction).flags if direction in known else Direction.NONE.flags


def _field_value(target: FieldTarget) -> FieldMappingValue:
    to_crm, to_erp = _direction_flags(target.direction)
    return FieldMappingValue(
        crm=target.crm or "",
        to_crm=to_crm,
        to_erp=to_erp,
        show_in_search=bool(target.show_in_search),
        show_in_tab=bool(target.show_in_tab),
    )


@run_step.register
def _save_actor(step: SaveActorMapping, ctx: StepContext) -> None:
    fields = {key: _field_value(target) for key, target in step.fields.items()}
    ctx.target.save_actor_mapping(
        _conn_id(step.connection_id, ctx), step.actor, sync=step.sync, fields=fields
    )


@run_step.register
def _save_lists(step: SaveListMappings, ctx: StepContext) -> None:
    conn_id = _conn_id(step.connection_id, ctx)
    lists = [
        ListMappingValue(field_id=_field_id(ctx, actor, list_field, None), actor=actor, items=dict(items))
        for actor, per_field in sorted(step.lists.items())
        for list_field, items in sorted(per_field.items())
    ]
    ctx.target.save_list_mappings(conn_id, lists)


@run_step.register
def _save_default(step: SaveDefault, ctx: StepContext) -> None:
    default = LiveDefault(
        has_value=step.value is not None,
        value="" if step.value is None else step.value,
        prompt=step.prompt,
        mandatory=step.mandatory,
    )
    field_id = _field_id(ctx, step.actor, step.field, step.field_id)
    ctx.target.save_default(_conn_id(step.connection_id, ctx), field_id, default)


@run_step.register
def _move(step: MoveField, ctx: StepContext) -> None:
    field_id = _field_id(ctx, step.actor, step.field, step.field_id)
    ctx.target.move_field(_conn_id(step.connection_id, ctx), step.actor, field_id, step.direction)


@run_step.register
def _delete_connection(step: DeleteConnection, ctx: StepContext) -> None:
    ctx.target.delete_connection(_id(step.id, f"connection {ctx.connection}"))


@run_step.register
def _save_priority(step: SaveSyncPriority, ctx: StepContext) -> None:
    order = step.order
    # names -> ids from a fresh full read: connections created by this apply have new ids
    known = _connection_ids(ctx)
    missing = [n for n in order if n not in known]
    if missing:
        raise ApplyError(f"sync priority names connections the tenant does not have: {', '.join(missing)}")
    saved = ctx.target.save_sync_priority([known[n] for n in order])
    if saved is not True:
        raise ApplyError(
            f"SaveErpConnectionSyncPriorities answered {_shown(saved)} for the sync priority "
            f"{', '.join(order)}: the new order was not saved"
        )


def _connection_ids(ctx: StepContext) -> dict[str, int]:
    live = ctx.read(None)
    return {name: conn.id for name, conn in live.connections.items()}


@run_step.register
def _save_engine(step: SaveSyncEngine, ctx: StepContext) -> None:
    save_sync_engine(step, ctx.target)
