"""Plan values: changes (what reviewers read), steps (what the applier runs), and the plan itself.

Everything here is plain frozen data that round-trips through the plan file
(`syncspec.plan.planfile`); nothing here decides anything.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field

from syncspec.model.applied import JsonValue

# 2: the plan id is checked against the content on reading; optional `signature`;
# `unverified_secrets`. Version 1 files are still read (their id was always the same digest).
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
# What the plan shows in place of a sensitive value; the value itself never enters a plan.
SENSITIVE = "(sensitive)"
SENSITIVE_CHANGED = "(sensitive, changed)"


class Action(enum.StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    REORDER = "reorder"
    ACTIVATE = "activate"
    DEACTIVATE = "deactivate"

    @property
    def symbol(self) -> str:
        """The diff symbol renderers print; activations are spelled out instead."""
        return _SYMBOLS[self]


_SYMBOLS = {
    Action.CREATE: "+",
    Action.UPDATE: "~",
    Action.DELETE: "-",
    Action.REORDER: "↻",
    Action.ACTIVATE: "activate",
    Action.DEACTIVATE: "deactivate",
}


class ReasonKind(enum.StrEnum):
    CONFIG = "config"  # the configuration asks for it
    DRIFT = "drift"  # live moved away from what was last applied; desired did not
    CONFLICT = "conflict"  # both desired and live moved away from what was last applied
    MISSING_IN_CONFIG = "missing_in_config"  # live object absent from the configuration (delete)


@dataclass(frozen=True)
class Reason:
    """Why a change is planned, and the file:line that asks for it (empty when nothing does)."""

    kind: ReasonKind
    location: str = ""


class StepKind(enum.StrEnum):
    SAVE_CONNECTOR = "save_connector"
    SAVE_CONNECTION = "save_connection"
    REFRESH_FIELDS = "refresh_fields"
    DEACTIVATE = "deactivate"
    SAVE_ACTOR_MAPPING = "save_actor_mapping"
    SAVE_LIST_MAPPINGS = "save_list_mappings"
    SAVE_DEFAULT = "save_default"
    MOVE_FIELD = "move_field"
    ACTIVATE = "activate"
    DELETE_CONNECTION = "delete_connection"
    DELETE_CONNECTOR = "delete_connector"
    SAVE_SYNC_PRIORITY = "save_sync_priority"
    SAVE_SYNC_ENGINE = "save_sync_engine"


@dataclass(frozen=True)
class Change:
    """One planned change of one addressed object.

    `before`/`after` hold only the attributes that differ (sensitive ones as
    `SENSITIVE` / `SENSITIVE_CHANGED`); `unchanged` counts the attributes that do not.
    `known_after_create` marks changes below a connection that does not exist yet: their
    `before` is a prediction from borrowed metadata.
    """

    address: str
    action: Action
    # connector | connection | actor | field | default | list | ranking | sync_priority | sync_engine
    kind: str
    connection: str = ""
    before: Mapping[str, JsonValue] = field(default_factory=dict)
    after: Mapping[str, JsonValue] = field(default_factory=dict)
    unchanged: int = 0
    reason: Reason = Reason(ReasonKind.CONFIG)
    risk: str = ""  # why this change is risky; empty when it is not
    sensitive: tuple[str, ...] = ()  # attribute names whose values are masked
    moves: int = 0  # reorders: how many one-step moves realise it
    known_after_create: bool = False
    labels: Mapping[str, str] = field(default_factory=dict)  # id -> name of the values shown (list items)

    @property
    def risky(self) -> bool:
        return bool(self.risk)


@dataclass(frozen=True)
class Step:
    """One call sequence the applier runs: which connection, which addresses it realises, its data.

    `data` holds live ids and desired values the applier needs, never a secret value:
    sensitive config keys are named, and the applier resolves them itself.
    """

    kind: StepKind
    connection: str = ""
    addresses: tuple[str, ...] = ()
    data: Mapping[str, JsonValue] = field(default_factory=dict)


@dataclass(frozen=True)
class Unmanaged:
    """A live object the configuration does not mention, left alone unless deletes are allowed."""

    address: str
    hint: str


@dataclass(frozen=True)
class Summary:
    create: int = 0
    update: int = 0
    delete: int = 0
    reorder: int = 0
    activate: int = 0
    deactivate: int = 0

    @property
    def total(self) -> int:
        return self.create + self.update + self.delete + self.reorder + self.activate + self.deactivate

    def count(self, action: Action) -> int:
        return int(getattr(self, action.value))


@dataclass(frozen=True)
class Plan:
    """A complete plan: the changes, the steps that realise them, and what they were derived from.

    `fingerprints` maps each touched live object (``connector.X``, ``connection.X``,
    ``sync_priority``) to the sha256 of its canonical JSON at planning time, so the
    applier can refuse a stale plan. `only` records `--only` filters; such a plan is
    `partial`.
    """

    plan_id: str
    syncspec_version: str
    environment: str
    target: str
    created_at: str
    expires_at: str
    metadata_digest: str
    changes: tuple[Change, ...] = ()
    steps: tuple[Step, ...] = ()
    fingerprints: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    unmanaged: tuple[Unmanaged, ...] = ()
    only: tuple[str, ...] = ()
    summary: Summary = Summary()
    # `connection.X.config.KEY` of secrets whose sent value nothing recorded can vouch for
    # (e.g. last-applied records lost): the plan cannot tell whether the tenant has the
    # configured value, so it does not send it unless asked to (`--resend-secrets`).
    unverified_secrets: tuple[str, ...] = ()
    # `connection.X.config.KEY` of values from the environment in fields the tenant shows in
    # clear: step data names them instead of carrying them, last-applied keeps fingerprints
    env_secrets: tuple[str, ...] = ()
    format_version: int = FORMAT_VERSION

    @property
    def partial(self) -> bool:
        return bool(self.only)

    @property
    def has_changes(self) -> bool:
        return bool(self.changes)

    def changes_for(self, connection: str) -> tuple[Change, ...]:
        return self._changes_by_connection.get(connection, ())

    @functools.cached_property
    def _changes_by_connection(self) -> Mapping[str, tuple[Change, ...]]:
        # grouped once: callers ask per connection, and scanning every change each time made
        # recording 1,000 connections' results O(connections x changes)
        grouped: dict[str, list[Change]] = {}
        for change in self.changes:
            grouped.setdefault(change.connection, []).append(change)
        return {name: tuple(changes) for name, changes in grouped.items()}
