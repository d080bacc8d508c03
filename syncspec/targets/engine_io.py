"""The sync engine through the agent: its read into `LiveSyncEngine`, and the two writes.

Kept apart from `read_live` / `write` so the engine stays one small, separate piece.
Both writes set a state (they never flip one), read it first, and change only what
differs: a run that finds the engine as wanted makes no write call at all.
"""

from __future__ import annotations

from syncspec.model.errors import AgentError
from syncspec.model.live import LiveSyncEngine
from syncspec.targets.reads import AgentReads


def read_sync_engine(reads: AgentReads) -> LiveSyncEngine | None:
    """The engine, or None when the tenant refuses to say (e.g. the app may not read it).

    A refusal must not stop every plan of a configuration that has no SyncEngine document;
    one that has one is planned against "not read" and the apply step reads again first.
    """
    try:
        return _engine(reads)
    except AgentError:
        return None


def _engine(reads: AgentReads) -> LiveSyncEngine:
    status = reads.engine_status()
    return LiveSyncEngine(automatic=status.is_running, interval=status.interval, status=status.status_message)


class EngineWrites:
    """The engine half of `AgentTarget`'s writes (see `syncspec.targets.base.Target`)."""

    _reads: AgentReads

    def set_sync_engine(self, *, automatic: bool | None, interval: str | None) -> LiveSyncEngine:
        """Make the engine's switch and interval equal the given ones (None: leave it)."""
        reads = self._reads
        reads.forget_engine()
        current = _engine(reads)
        try:
            # Switching on comes after the new interval and switching off before it, so the
            # engine never runs on an interval the configuration is about to replace.
            if automatic is False and current.automatic:
                reads.call("change_engine_status", reads.agent.change_engine_status, False)
            if interval is not None and interval != current.interval:
                reads.call("change_engine_interval", reads.agent.change_engine_interval, interval)
            if automatic is True and not current.automatic:
                reads.call("change_engine_status", reads.agent.change_engine_status, True)
        finally:
            reads.forget_engine()
        return _engine(reads)
