"""Per-connection restore: write back what an interrupted connection apply already changed.

The before values come from a fresh read taken right before the first write. Restores
run in the reverse of SuperOffice's apply order (moves, defaults, lists, actor
mappings, connection fields) with the connection switched off, then the active flag is
put back. Each restore write is attempted even when an earlier one failed, and a final
re-read says exactly what still differs from before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from syncspec.model.enums import ErpActorType
from syncspec.model.live import LiveConnection, LiveState
from syncspec.plan.model import Step, StepKind
from syncspec.plan.ranking import plan_moves, target_order
from syncspec.targets.base import FieldMappingValue, ListMappingValue, Target
from syncspec.targets.carriers import MASKED_VALUE


@dataclass
class Touched:
    """What the steps started so far may have changed (a started step counts: it may have landed)."""

    connection: bool = False
    refreshed: bool = False
    active: bool = False
    actors: set[ErpActorType] = field(default_factory=set)
    lists: set[tuple[ErpActorType, str]] = field(default_factory=set)
    defaults: set[tuple[ErpActorType, str]] = field(default_factory=set)
    moved: set[ErpActorType] = field(default_factory=set)

    def add(self, step: Step) -> None:
        data = step.data
        kind = step.kind
        if kind is StepKind.SAVE_CONNECTION:
            self.connection = True
        elif kind is StepKind.REFRESH_FIELDS:
            self.refreshed = True
        elif kind in (StepKind.ACTIVATE, StepKind.DEACTIVATE):
            self.active = True
        elif kind is StepKind.SAVE_ACTOR_MAPPING:
            self.actors.add(ErpActorType(str(data["actor"])))
        elif kind is StepKind.SAVE_LIST_MAPPINGS:
            lists = data.get("lists") or {}
            assert isinstance(lists, dict)
            for actor, per_field in lists.items():
                assert isinstance(per_field, dict)
                self.lists.update((ErpActorType(actor), f) for f in per_field)
        elif kind is StepKind.SAVE_DEFAULT:
            self.defaults.add((ErpActorType(str(data["actor"])), str(data["field"])))
        elif kind is StepKind.MOVE_FIELD:
            self.moved.add(ErpActorType(str(data["actor"])))

    @property
    def anything(self) -> bool:
        return bool(
            self.connection
            or self.refreshed
            or self.active
            or self.actors
            or self.lists
            or self.defaults
            or self.moved
        )


@dataclass
class Restore:
    restored: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def restore_connection(
    target: Target,
    name: str,
    before: LiveConnection | None,
    touched: Touched,
    *,
    read: Callable[[], LiveConnection | None],
    read_state: Callable[[], LiveState],
    scrub: Callable[[str], str],
) -> Restore:
    """Put `name` back to `before` (None: it did not exist, so a created one is deleted)."""
    out = Restore()
    try:
        now = read()
    except Exception as exc:  # without a read nothing can be restored safely
        out.errors.append(scrub(f"re-read the connection: {type(exc).__name__}: {exc}"))
        return out
    if before is None:
        if now is not None:
            created = now
            _attempt(
                out,
                scrub,
                f"delete the created connection.{name}",
                lambda: target.delete_connection(created.id),
            )
            out.restored.append(f"connection.{name}: deleted (it was created by this apply)")
        return out
    if now is None:
        out.errors.append(f"connection.{name} is missing; it cannot be restored")
        return out
    conn_id = before.id
    if now.active:
        _attempt(out, scrub, "deactivate to restore", lambda: target.set_active(conn_id, False))
    _undo_moves(out, target, before, now, touched, scrub)
    for actor, key in sorted(touched.defaults):
        live_actor = before.actors.get(actor)
        if live_actor is None or key not in live_actor.fields:
            continue
        f = live_actor.fields[key]
        if _attempt(
            out,
            scrub,
            f"restore default {actor}.{key}",
            partial(target.save_default, conn_id, f.field_id, f.default),
        ):
            out.restored.append(f"connection.{name}.actor.{actor}.field.{key}.default")
    _restore_lists(out, target, before, now, touched, scrub)
    for actor in sorted(touched.actors):
        live_actor = before.actors.get(actor)
        if live_actor is None:
            continue
        fields = {key: FieldMappingValue.of(f) for key, f in live_actor.fields.items()}
        if _attempt(
            out,
            scrub,
            f"restore actor mapping {actor}",
            partial(target.save_actor_mapping, conn_id, actor, sync=live_actor.sync, fields=fields),
        ):
            out.restored.append(f"connection.{name}.actor.{actor}")
    if touched.connection:
        _restore_fields(out, target, before, touched, scrub, read_state)
    if _attempt(
        out, scrub, "restore the active flag", partial(_set_active, target, conn_id, before.active)
    ) and (touched.active or now.active != before.active or touched.anything):
        out.restored.append(f"connection.{name} active={str(before.active).lower()}")
    return out


def _set_active(target: Target, conn_id: int, active: bool) -> None:
    reasons = target.set_active(conn_id, active)
    if reasons:
        raise RuntimeError("; ".join(reasons))


def _undo_moves(
    out: Restore,
    target: Target,
    before: LiveConnection,
    now: LiveConnection,
    touched: Touched,
    scrub: Callable[[str], str],
) -> None:
    for actor in sorted(touched.moved):
        was, current = before.actors.get(actor), now.actors.get(actor)
        if was is None or current is None:
            continue
        order = list(current.fields)
        wanted = target_order(order, list(was.fields))
        moves = plan_moves(order, wanted)
        ok = True
        for move in moves:
            field_id = current.fields[move.key].field_id
            ok = _attempt(
                out,
                scrub,
                f"move {actor}.{move.key} back",
                partial(target.move_field, before.id, actor, field_id, move.direction),
            )
            if not ok:
                break  # a later move assumes the earlier ones happened
        if ok and moves:
            out.restored.append(f"connection.{before.name}.actor.{actor}.ranking ({len(moves)} moves back)")


def _restore_lists(
    out: Restore,
    target: Target,
    before: LiveConnection,
    now: LiveConnection,
    touched: Touched,
    scrub: Callable[[str], str],
) -> None:
    values: list[ListMappingValue] = []
    for actor, list_field in sorted(touched.lists):
        current = now.actors.get(actor)
        if current is None or list_field not in current.fields:
            continue
        was = before.actors.get(actor)
        items = dict(was.lists.get(list_field, {})) if was else {}
        # items mapped now but absent before go back to "(No selection)"
        for key in current.lists.get(list_field, {}):
            items.setdefault(key, None)
        values.append(ListMappingValue(current.fields[list_field].field_id, actor, items))
    if values and _attempt(
        out, scrub, "restore list mappings", lambda: target.save_list_mappings(before.id, values)
    ):
        out.restored.extend(f"connection.{before.name}.actor.{v.actor}.list" for v in values)


def _restore_fields(
    out: Restore,
    target: Target,
    before: LiveConnection,
    touched: Touched,
    scrub: Callable[[str], str],
    read_state: Callable[[], LiveState],
) -> None:
    def save() -> None:
        connectors = read_state().connectors
        connector = connectors.get(before.connector)
        if connector is None:
            raise RuntimeError(f"connector {before.connector!r} is gone")
        # live reads mask Password values; re-sending the mask keeps what the tenant stores
        config = {k: MASKED_VALUE if k in before.config_sensitive else v for k, v in before.config.items()}
        target.save_connection(
            name=before.name,
            connector_id=connector.id,
            description=before.description,
            access=before.access,
            config=config,
            existing_id=before.id,
        )
        if touched.refreshed and target.refresh_fields(before.id) is not True:
            raise RuntimeError(f"UpdateConnectionFields answered false for connection.{before.name}")

    if _attempt(out, scrub, "restore the connection's fields and config", save):
        out.restored.append(f"connection.{before.name} (description, access, config)")
        if before.config_sensitive:
            out.restored.append(
                f"connection.{before.name}: Password values were kept as the tenant stores them "
                "(a changed secret cannot be put back: its old value is never read)"
            )


def _attempt(out: Restore, scrub: Callable[[str], str], what: str, action: Callable[[], object]) -> bool:
    try:
        action()
    except Exception as exc:  # restore is best effort: record and go on with the rest
        out.errors.append(scrub(f"{what}: {type(exc).__name__}: {exc}"))
        return False
    return True
