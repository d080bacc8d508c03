"""The `save_sync_engine` step: the Sync tab's automatic sync switch and interval.

It runs in the final unit, after every connection and the sync priority, and only when
all of them succeeded: automatic sync is never switched on over a half-applied
configuration. The target reads the engine first and changes only what differs.
"""

from __future__ import annotations

from collections.abc import Mapping

from syncspec.model.applied import JsonValue
from syncspec.model.errors import ApplyError
from syncspec.targets.base import Target


def save_sync_engine(data: Mapping[str, JsonValue], target: Target) -> None:
    automatic = data.get("automatic")
    interval = data.get("interval")
    if automatic is not None and not isinstance(automatic, bool):
        raise ApplyError(
            "the plan's sync engine step has a non-boolean 'automatic'", hint="make the plan again"
        )
    if interval is not None and not isinstance(interval, str):
        raise ApplyError("the plan's sync engine step has a non-text 'interval'", hint="make the plan again")
    target.set_sync_engine(automatic=automatic, interval=interval)
