"""Addresses: the names a plan gives the objects it changes, built and read in one place.

Text forms (what plans, journals, last-applied records and `--only` show, byte for byte):

    connector.NAME
    connection.NAME
    connection.NAME.actor.ACTOR
    connection.NAME.actor.ACTOR.field.KEY
    connection.NAME.actor.ACTOR.field.KEY.default
    connection.NAME.actor.ACTOR.list.KEY
    connection.NAME.actor.ACTOR.ranking
    sync_priority
    sync_engine

A connection name may hold dots but not ``.actor.``; an actor type holds no dot. Addresses
order by their text, so a sorted list of them reads as a sorted list of their texts.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass, replace

CONNECTOR = "connector"
CONNECTION = "connection"
SYNC_PRIORITY = "sync_priority"
SYNC_ENGINE = "sync_engine"
_ACTOR = ".actor."


class Part(enum.StrEnum):
    """What below an actor type an address names ("" is the actor type itself)."""

    ACTOR = ""
    FIELD = "field"
    DEFAULT = "default"  # a field's default: connection.X.actor.A.field.KEY.default
    LIST = "list"
    RANKING = "ranking"


@functools.total_ordering
@dataclass(frozen=True, eq=True)
class Address:
    """One addressed object. `root` is connector, connection, sync_priority or sync_engine."""

    root: str
    name: str = ""  # the connector's or connection's name
    actor: str = ""  # an ERP actor type ("" above actor level)
    part: Part = Part.ACTOR
    key: str = ""  # the ERP field of a field, default or list address

    # --- building -----------------------------------------------------------------------
    @classmethod
    def connector(cls, name: str) -> Address:
        return cls(CONNECTOR, name)

    @classmethod
    def connection(cls, name: str) -> Address:
        return cls(CONNECTION, name)

    @classmethod
    def sync_priority(cls) -> Address:
        return cls(SYNC_PRIORITY)

    @classmethod
    def sync_engine(cls) -> Address:
        return cls(SYNC_ENGINE)

    def of_actor(self, actor: str) -> Address:
        """This connection's actor type `actor`."""
        return Address(CONNECTION, self.name, actor)

    def of_field(self, key: str) -> Address:
        return replace(self, part=Part.FIELD, key=key)

    def of_default(self, key: str) -> Address:
        return replace(self, part=Part.DEFAULT, key=key)

    def of_list(self, key: str) -> Address:
        return replace(self, part=Part.LIST, key=key)

    def of_ranking(self) -> Address:
        return replace(self, part=Part.RANKING, key="")

    @property
    def connection_address(self) -> Address:
        """The connection this address lies in (itself for a connection)."""
        return Address(CONNECTION, self.name)

    @property
    def actor_address(self) -> Address:
        """The actor type this address lies in (itself for an actor type)."""
        return Address(CONNECTION, self.name, self.actor)

    @property
    def is_connection(self) -> bool:
        return self.root == CONNECTION and not self.actor

    # --- text ---------------------------------------------------------------------------
    def __str__(self) -> str:
        if self.root in (SYNC_PRIORITY, SYNC_ENGINE):
            return self.root
        text = f"{self.root}.{self.name}"
        if not self.actor:
            return text
        text = f"{text}{_ACTOR}{self.actor}"
        if self.part is Part.ACTOR:
            return text
        if self.part is Part.RANKING:
            return f"{text}.ranking"
        if self.part is Part.DEFAULT:
            return f"{text}.field.{self.key}.default"
        return f"{text}.{self.part.value}.{self.key}"

    @property
    def text(self) -> str:
        return str(self)

    @classmethod
    def parse(cls, text: str) -> Address:
        """The address `text` names; ValueError when it is not an address of the forms above."""
        if text in (SYNC_PRIORITY, SYNC_ENGINE):
            return cls(text)
        root, dot, rest = text.partition(".")
        if not dot or not rest or root not in (CONNECTOR, CONNECTION):
            raise ValueError(f"not an address: {text!r}")
        if root == CONNECTOR or _ACTOR not in rest:
            return cls(root, rest)
        name, _, below = rest.partition(_ACTOR)
        actor, _, tail = below.partition(".")
        if not name or not actor:
            raise ValueError(f"not an address: {text!r}")
        return cls(CONNECTION, name, actor, *_part_of(tail, text))

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Address):
            return NotImplemented
        return str(self) < str(other)


def _part_of(tail: str, text: str) -> tuple[Part, str]:
    """(part, key) of what follows ``connection.X.actor.A.``."""
    if not tail:
        return Part.ACTOR, ""
    if tail == "ranking":
        return Part.RANKING, ""
    kind, _, key = tail.partition(".")
    if kind == "field" and key.endswith(".default"):
        return Part.DEFAULT, key.removesuffix(".default")
    if kind in ("field", "list") and key:
        return Part(kind), key
    raise ValueError(f"not an address: {text!r}")
