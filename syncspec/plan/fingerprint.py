"""Fingerprints of live objects: sha256 of their canonical JSON, for the applier's stale check."""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping

from syncspec.model.address import CONNECTION, CONNECTOR, SYNC_ENGINE, SYNC_PRIORITY, Address
from syncspec.model.applied import JsonValue
from syncspec.model.live import LiveState
from syncspec.plan.planfile import sha256_of


def to_json(value: object) -> JsonValue:
    """Live dataclasses as plain JSON: enums by value, mappings with string keys, tuples as lists."""
    # Scalars first: they are most of a connection, and this runs once per field attribute.
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, enum.Enum):
        return to_json(value.value)
    names = _field_names(value)
    if names is not None:
        return {name: to_json(getattr(value, name)) for name in names}
    return _collection_json(value)


def _field_names(value: object) -> tuple[str, ...] | None:
    """A dataclass instance's field names (cached per type); None for anything else."""
    names = _FIELD_NAMES.get(type(value))
    if names is None and dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _FIELD_NAMES[type(value)] = tuple(f.name for f in dataclasses.fields(value))
    return names


def _collection_json(value: object) -> JsonValue:
    if isinstance(value, Mapping):
        return {str(to_json(k)): to_json(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [to_json(v) for v in value]
    if isinstance(value, frozenset | set):
        return [str(v) for v in sorted(str(v) for v in value)]
    raise TypeError(f"cannot fingerprint a {type(value).__name__}")


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def live_fingerprint(live: LiveState, address: str) -> str | None:
    """The fingerprint of a top-level live object (connector.X, connection.X, sync_priority)."""
    if address == SYNC_PRIORITY:
        return sha256_of(list(live.sync_priority))
    if address == SYNC_ENGINE:
        # the settings only: the status message may change while the engine runs
        engine = live.sync_engine
        return None if engine is None else sha256_of([engine.automatic, engine.interval])
    parsed = Address.parse(address)
    if parsed.root == CONNECTOR and parsed.name in live.connectors:
        return sha256_of(to_json(live.connectors[parsed.name]))
    if parsed.is_connection and parsed.name in live.connections:
        return sha256_of(to_json(live.connections[parsed.name]))
    return None


def top_level(address: str) -> str:
    """`connection.X.actor.Customer.field.A` -> `connection.X`."""
    parsed = Address.parse(address)
    return str(parsed.connection_address) if parsed.root == CONNECTION else address
