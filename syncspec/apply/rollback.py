"""Per-connection restore: put an interrupted connection back exactly as it was before its apply.

The values written back come from `before`, the read the unit took before its first write,
never from a re-read taken after the failure: that read may fail too (the tenant that just
failed a call is the one being read), and a restore must not depend on it.

A restore runs in rounds. Each round compares `before` with the latest read and writes back
what differs; when no read succeeded it writes back everything the apply's started steps may
have changed. Writes go in SuperOffice's own order (connection fields, actor mappings, list
mappings, defaults, ranking moves) with the connection switched off, then the active flag: a
list mapping can only name a field that is mapped to a CRM list, so the actor mappings come
back first. Every call is retried harder than an ordinary one (`RestorePolicy`: bounded
attempts, exponential backoff, one total time budget), and only a final read that matches
`before` ends a restore as done: `remaining` says what still differs, or that the tenant
could not be read.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TypeVar

from syncspec.apply.converge import differences, differing
from syncspec.model.address import Address, Part
from syncspec.model.enums import ErpActorType
from syncspec.model.live import LiveConnection, LiveState
from syncspec.model.text import scalar_text
from syncspec.plan.ops import (
    Activate,
    Deactivate,
    MoveField,
    RefreshFields,
    SaveActorMapping,
    SaveConnection,
    SaveDefault,
    SaveListMappings,
    Step,
)
from syncspec.plan.ranking import plan_moves, target_order
from syncspec.targets.base import FieldMappingValue, ListMappingValue, Target
from syncspec.targets.carriers import MASKED_VALUE

T = TypeVar("T")
# a read of the connection being restored; True: drop every cached answer first
Read = Callable[[bool], LiveState]


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
        match step:
            case SaveConnection():
                self.connection = True
            case RefreshFields():
                self.refreshed = True
            case Activate() | Deactivate():
                self.active = True
            case SaveActorMapping(actor=actor):
                self.actors.add(actor)
            case SaveListMappings(lists=lists):
                self.lists.update((actor, f) for actor, per_field in lists.items() for f in per_field)
            case SaveDefault(actor=actor, field=key):
                self.defaults.add((actor, key))
            case MoveField(actor=actor):
                self.moved.add(actor)

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


@dataclass(frozen=True)
class RestorePolicy:
    """How hard a restore tries, on top of the target's own retries of each call.

    Each call gets up to `attempts` tries with exponential backoff (`base_delay`, doubling,
    capped at `max_delay`); a restore makes at most `rounds` read-compare-write rounds; and all
    of it ends when `total_seconds` have passed (a pause never runs past that budget).
    `sleep` and `clock` are injectable so tests need not wait.
    """

    attempts: int = 6
    rounds: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0
    total_seconds: float = 300.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic

    def __post_init__(self) -> None:
        if self.attempts < 1 or self.rounds < 1:
            raise ValueError("attempts and rounds must be at least 1")
        if self.base_delay < 0 or self.max_delay < 0 or self.total_seconds < 0:
            raise ValueError("delays and the total budget cannot be negative")


@dataclass
class Restore:
    restored: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # calls that failed for good in the last round
    remaining: list[str] = field(default_factory=list)  # what the final read still finds changed
    after: LiveState | None = None  # the final read (None: the tenant could not be read)

    @property
    def complete(self) -> bool:
        return self.after is not None and not self.errors and not self.remaining


class _Tries:
    """Calls retried under one restore's budget; the last failure of each call is remembered."""

    def __init__(self, policy: RestorePolicy, scrub: Callable[[str], str]) -> None:
        self.policy = policy
        self.scrub = scrub
        self.deadline = policy.clock() + policy.total_seconds
        self.errors: list[str] = []

    @property
    def out_of_time(self) -> bool:
        return self.policy.clock() >= self.deadline

    def call(self, what: str, action: Callable[[], T]) -> tuple[bool, T | None]:
        """(True, result) once `action` succeeds; (False, None) after the last attempt failed."""
        for attempt in range(1, self.policy.attempts + 1):
            try:
                return True, action()
            except Exception as exc:  # a restore goes on: record it, retry, then the next write
                failure = exc
            pause = min(self.policy.max_delay, self.policy.base_delay * 2 ** (attempt - 1))
            left = self.deadline - self.policy.clock()
            if attempt == self.policy.attempts or left <= 0:
                break
            self.policy.sleep(min(pause, left))
        tried = f" ({attempt} attempts)" if attempt > 1 else ""
        self.errors.append(self.scrub(f"{what}{tried}: {type(failure).__name__}: {failure}"))
        return False, None

    def run(self, what: str, action: Callable[[], object]) -> bool:
        return self.call(what, action)[0]

    def read(self, what: str, read: Read) -> tuple[bool, LiveState | None]:
        """A fresh read; its retries keep the answers the failed attempt already had (nothing was
        written in between), so a read of many calls can finish over a tenant that fails often."""
        first = True

        def once() -> LiveState:
            nonlocal first
            fresh, first = first, False
            return read(fresh)

        return self.call(what, once)


def restore_connection(
    target: Target,
    name: str,
    before: LiveConnection | None,
    touched: Touched,
    *,
    read: Read,
    read_state: Callable[[], LiveState],
    scrub: Callable[[str], str],
    created_id: int = 0,
    policy: RestorePolicy | None = None,
) -> Restore:
    """Put `name` back to `before` (None: it did not exist, so the created one is deleted).

    `read` reads this connection (fresh, or from the answers cached since); `created_id` is the
    id a create of this apply returned (0: unknown, found by reading).
    """
    tries = _Tries(policy or RestorePolicy(), scrub)
    if before is None:
        return _undo_create(tries, target, name, read, created_id)
    out = Restore()
    ok, now = _restore_rounds(tries, out, target, before, touched, read, read_state)
    address = Address.connection(name)
    out.after = now if ok else None
    if now is None:
        out.remaining = [f"{address}: could not be re-read to confirm the restore"]
    else:
        out.remaining = differences(before, now.connections.get(name))
    out.errors = tries.errors if out.remaining else []
    if touched.connection and before.config_sensitive:
        out.restored.append(
            f"{address}: Password values were kept as the tenant stores them "
            "(a changed secret cannot be put back: its old value is never read)"
        )
    return out


def _restore_rounds(
    tries: _Tries,
    out: Restore,
    target: Target,
    before: LiveConnection,
    touched: Touched,
    read: Read,
    read_state: Callable[[], LiveState],
) -> tuple[bool, LiveState | None]:
    """Read, compare, write back what differs; until nothing does, or out of rounds or time.
    (whether the last read succeeded, what it read)"""
    name = before.name
    ok, now = tries.read("re-read the connection", read)
    for _ in range(tries.policy.rounds):  # bounded
        current = now.connections.get(name) if now is not None else None
        if now is not None and current is None:
            tries.errors.append(f"{Address.connection(name)} is missing; it cannot be restored")
            break
        if current is not None and not differing(before, current):
            break
        tries.errors.clear()  # only the failures of the round that decides count
        _write_back(tries, out, target, before, current, touched, read_state)
        ok, now = tries.read("re-read the connection", read)
        if tries.out_of_time:
            break
    return ok, now


def _undo_create(tries: _Tries, target: Target, name: str, read: Read, created_id: int) -> Restore:
    out = Restore()
    conn_id = created_id
    ok, now = (False, None) if conn_id else tries.read("find the created connection", read)
    for _ in range(tries.policy.rounds):  # bounded
        current = now.connections.get(name) if now is not None else None
        if now is not None and current is None:
            break  # gone (or never created)
        tries.errors.clear()
        if current is not None:
            conn_id = current.id
            if current.active:  # its activation landed; off first, so it never syncs while deleted
                tries.run("deactivate the created connection", partial(_set_active, target, conn_id, False))
        if conn_id:
            tries.run(
                f"delete the created {Address.connection(name)}", partial(target.delete_connection, conn_id)
            )
        ok, now = tries.read("re-read the connection", read)
        if tries.out_of_time:
            break
    out.after = now if ok else None
    if now is None:
        out.remaining = [f"{Address.connection(name)}: could not be re-read to confirm it was deleted"]
    elif name in now.connections:
        out.remaining = [f"{Address.connection(name)}: exists (it did not before)"]
    else:
        out.errors = []
        if conn_id:
            out.restored.append(f"{Address.connection(name)}: deleted (it was created by this apply)")
        return out
    out.errors = tries.errors
    return out


@dataclass
class _Parts:
    """What one round writes back."""

    connection: bool = False
    refresh: bool = False
    actors: set[ErpActorType] = field(default_factory=set)
    lists: set[tuple[ErpActorType, str]] = field(default_factory=set)
    defaults: set[tuple[ErpActorType, str]] = field(default_factory=set)
    moved: set[ErpActorType] = field(default_factory=set)


def _parts(before: LiveConnection, current: LiveConnection | None, touched: Touched) -> _Parts:
    """From a read: what differs. Without one: everything a started step may have changed."""
    if current is None:
        # an actor mapping save can drop the items of a list field it remaps or unmaps
        remapped = {(a, f) for a in touched.actors if a in before.actors for f in before.actors[a].lists}
        return _Parts(
            touched.connection,
            touched.refreshed,
            set(touched.actors),
            set(touched.lists) | remapped,
            set(touched.defaults),
        )
    parts = _Parts()
    for text, change in differing(before, current).items():
        _add_part(parts, Address.parse(text), change, touched)
    return parts


def _add_part(
    parts: _Parts, address: Address, change: Sequence[tuple[str, str, str]], touched: Touched
) -> None:
    """What writes back the difference `change` found at `address`."""
    if address.is_connection:
        parts.connection |= any(attribute != "active" for attribute, _, _ in change)
        return
    actor = ErpActorType(address.actor)
    if address.part in (Part.ACTOR, Part.FIELD):
        parts.actors.add(actor)
        if any(w == "missing" or w == "new" for _, w, _ in change):
            parts.refresh = touched.refreshed  # the field set itself changed
    elif address.part is Part.DEFAULT:
        parts.defaults.add((actor, address.key))
    elif address.part is Part.LIST:
        parts.lists.add((actor, address.key))
    elif address.part is Part.RANKING:
        parts.moved.add(actor)


def _write_back(
    tries: _Tries,
    out: Restore,
    target: Target,
    before: LiveConnection,
    current: LiveConnection | None,
    touched: Touched,
    read_state: Callable[[], LiveState],
) -> None:
    """One round: the writes that take `current` (None: unknown) back to `before`."""
    conn_id, address = before.id, Address.connection(before.name)
    parts = _parts(before, current, touched)
    # switched off first: SuperOffice refuses changes to an active connection (set_active reads
    # Active itself, so this never toggles blindly)
    tries.run("deactivate to restore", partial(_set_active, target, conn_id, False))
    if (parts.connection or parts.refresh) and tries.run(
        "restore the connection's fields and config",
        partial(_save_fields, target, before, parts, read_state),
    ):
        _note(out, f"{address} (description, access, config)")
    for actor in sorted(parts.actors):
        was = before.actors.get(actor)
        if was is None:
            continue
        fields = {key: FieldMappingValue.of(f) for key, f in was.fields.items()}
        save = partial(target.save_actor_mapping, conn_id, actor, sync=was.sync, fields=fields)
        if tries.run(f"restore actor mapping {actor}", save):
            _note(out, str(address.of_actor(actor)))
    _restore_lists(tries, out, target, before, current, parts.lists)
    for actor, key in sorted(parts.defaults):
        was = before.actors.get(actor)
        if was is None or key not in was.fields:
            continue
        f = was.fields[key]
        if tries.run(
            f"restore default {actor}.{key}", partial(target.save_default, conn_id, f.field_id, f.default)
        ):
            _note(out, str(address.of_actor(actor).of_default(key)))
    if current is not None:  # a move depends on the order it starts from: only from a read
        _undo_moves(tries, out, target, before, current, parts.moved)
    if tries.run("restore the active flag", partial(_set_active, target, conn_id, before.active)):
        _note(out, f"{address} active={scalar_text(before.active)}")


def _note(out: Restore, line: str) -> None:
    if line not in out.restored:
        out.restored.append(line)


def _set_active(target: Target, conn_id: int, active: bool) -> None:
    reasons = target.set_active(conn_id, active)
    if reasons:
        raise RuntimeError("; ".join(reasons))


def _save_fields(
    target: Target, before: LiveConnection, parts: _Parts, read_state: Callable[[], LiveState]
) -> None:
    connector = read_state().connectors.get(before.connector)
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
    if parts.refresh and target.refresh_fields(before.id) is not True:
        raise RuntimeError(f"UpdateConnectionFields answered false for connection.{before.name}")


def _restore_lists(
    tries: _Tries,
    out: Restore,
    target: Target,
    before: LiveConnection,
    current: LiveConnection | None,
    wanted: Iterable[tuple[ErpActorType, str]],
) -> None:
    values: list[ListMappingValue] = []
    for actor, list_field in sorted(wanted):
        was = before.actors.get(actor)
        # A field that had no list mapping before is not in SuperOffice's list container once
        # its actor mapping is back (that write already dropped its items): nothing to send.
        if was is None or list_field not in was.lists or list_field not in was.fields:
            continue
        items = dict(was.lists[list_field])
        now_actor = current.actors.get(actor) if current is not None else None
        if now_actor is not None:
            # items mapped now but absent before go back to "(No selection)"
            for key in now_actor.lists.get(list_field, {}):
                items.setdefault(key, None)
        field_id = was.fields[list_field].field_id
        if now_actor is not None and list_field in now_actor.fields:
            field_id = now_actor.fields[list_field].field_id  # a refresh may have renumbered it
        values.append(ListMappingValue(field_id, actor, items))
    if values and tries.run("restore list mappings", partial(target.save_list_mappings, before.id, values)):
        for v in values:
            _note(out, f"{Address.connection(before.name).of_actor(v.actor)}.list")


def _undo_moves(
    tries: _Tries,
    out: Restore,
    target: Target,
    before: LiveConnection,
    current: LiveConnection,
    actors: Iterable[ErpActorType],
) -> None:
    for actor in sorted(actors):
        was, now = before.actors.get(actor), current.actors.get(actor)
        if was is None or now is None:
            continue
        order = list(now.fields)
        moves = plan_moves(order, target_order(order, list(was.fields)))
        done = 0
        for move in moves:
            field_id = now.fields[move.key].field_id
            move_back = partial(target.move_field, before.id, actor, field_id, move.direction)
            # one attempt each: a move that failed may still have landed, and repeating it
            # would move the field twice; the next round re-reads the order instead
            if not _once(tries, f"move {actor}.{move.key} back", move_back):
                break
            done += 1
        if done:
            _note(out, f"{Address.connection(before.name).of_actor(actor).of_ranking()} ({done} moves back)")


def _once(tries: _Tries, what: str, action: Callable[[], object]) -> bool:
    try:
        action()
    except Exception as exc:  # recorded; the next round starts from a fresh read
        tries.errors.append(tries.scrub(f"{what}: {type(exc).__name__}: {exc}"))
        return False
    return True
