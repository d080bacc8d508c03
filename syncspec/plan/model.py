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
from syncspec.plan.ops import Step as Step
from syncspec.plan.ops import StepKind as StepKind

# 2: the plan id is checked against the content on reading; optional `signature`;
# `unverified_secrets`. 3: each step is a typed operation (`plan/ops.py`) whose data holds
# exactly that operation's fields. Versions 1 and 2 are still read (same digest, same steps).
FORMAT_VERSION = 3
READABLE_VERSIONS = (1, 2, 3)
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


class ChangeKind(enum.StrEnum):
    """What kind of object a change (and a view object) is; the text is the plan file's `kind`."""

    CONNECTOR = "connector"
    CONNECTION = "connection"
    ACTOR = "actor"
    FIELD = "field"
    DEFAULT = "default"
    LIST = "list"
    RANKING = "ranking"
    SYNC_PRIORITY = "sync_priority"
    SYNC_ENGINE = "sync_engine"


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
    kind: ChangeKind
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

    def __post_init__(self) -> None:
        # a kind given as its text (older callers) still compares by identity
        object.__setattr__(self, "kind", ChangeKind(self.kind))

    @property
    def risky(self) -> bool:
        return bool(self.risk)


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
