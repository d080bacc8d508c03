"""Moving an environment's records from the local backend into the postgres backend.

Both environments' locks are held while records move, so no apply writes to either
side meanwhile; the postgres side takes everything in one transaction and refuses
when it already has records, so running the migration twice cannot duplicate them.
The local files are left in place (a later `rm -r` is the user's call).
"""

from __future__ import annotations

from dataclasses import dataclass

from syncspec.state.base import StateBackend
from syncspec.state.postgres import PostgresState

COMMAND = "syncspec state migrate"


@dataclass(frozen=True)
class MigrationResult:
    """What moved: counts, and where from and to (for messages)."""

    environment: str
    journal_events: int
    applied_addresses: int
    source: str
    destination: str

    @property
    def moved_anything(self) -> bool:
        return self.journal_events > 0 or self.applied_addresses > 0


def migrate_records(
    source: StateBackend, destination: PostgresState, *, owner: str, now: str
) -> MigrationResult:
    """Copy `source`'s journal and last-applied record into `destination` under both locks."""
    source_lock = source.acquire_lock(command=COMMAND, owner=owner, timeout=0, now=now)
    try:
        destination_lock = destination.acquire_lock(command=COMMAND, owner=owner, timeout=0, now=now)
        try:
            journal = source.read_journal()
            applied = source.read_last_applied()
            result = MigrationResult(
                environment=source.environment,
                journal_events=len(journal),
                applied_addresses=len(applied.values),
                source=source.describe(),
                destination=destination.describe(),
            )
            if result.moved_anything or applied.plan_id:
                destination.load_records(journal, applied)
            return result
        finally:
            destination.release_lock(destination_lock)
    finally:
        source.release_lock(source_lock)
