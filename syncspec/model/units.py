"""The names of the units an apply runs in, as the applier runs them and progress shows them.

A unit is one connection (named by the connection), or one of the two tenant-wide units:
the connector saves, which run first, and the final unit (connector deletes, the sync
priority, the sync engine), which runs last.
"""

from __future__ import annotations

CONNECTORS_UNIT = "connectors"
FINAL_UNIT = "sync_priority"
