"""The `save_sync_engine` step: the Sync tab's automatic sync switch and interval.

It runs in the final unit, after every connection and the sync priority, and only when
all of them succeeded: automatic sync is never switched on over a half-applied
configuration. The target reads the engine first and changes only what differs.
"""

from __future__ import annotations

from syncspec.plan.ops import SaveSyncEngine
from syncspec.targets.base import Target


def save_sync_engine(step: SaveSyncEngine, target: Target) -> None:
    target.set_sync_engine(automatic=step.automatic, interval=step.interval)
