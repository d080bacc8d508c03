"""An agent wrapper that records which connection each read was about (tests only)."""

from __future__ import annotations

from collections import Counter
from typing import Any

# the reads whose first argument is a connection id
PER_CONNECTION = {
    "get_connection",
    "get_erp_sync_connection_summary",
    "get_actor_type_mapping",
    "get_crm_actor_type",
    "get_erp_field_rows",
    "get_connection_list_mappings",
}


class RecordingAgent:
    """Passes every call on to the real agent and records which connection each read was about."""

    def __init__(self, agent: Any) -> None:
        self._agent = agent
        self.per_connection: Counter[int] = Counter()
        self.calls: Counter[str] = Counter()

    def __getattr__(self, name: str) -> Any:
        real = getattr(self._agent, name)
        if not callable(real):
            return real

        def recorded(*args: Any, **kwargs: Any) -> Any:
            if name.startswith(("get_", "save_", "move_", "update_", "toggle_")):  # the agent API
                self.calls[name] += 1
            if name in PER_CONNECTION and args:
                self.per_connection[int(args[0])] += 1
            return real(*args, **kwargs)

        return recorded

    def take(self) -> tuple[Counter[int], Counter[str]]:
        taken = self.per_connection, self.calls
        self.per_connection, self.calls = Counter(), Counter()
        return taken
