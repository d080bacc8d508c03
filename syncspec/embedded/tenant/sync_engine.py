"""The sync engine's settings: the Sync tab's automatic sync switch and the run interval.

SuperOffice keeps them outside the ERP tables (the table docs do not list them); the
embedded tenant keeps them in the one-row table SyncEngine. The tenant runs no engine:
`IsRunning` is the switch, as the Sync tab shows it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from syncspec.targets.carriers import ErpSyncEngineStatus

if TYPE_CHECKING:
    from syncspec.embedded.tenant.engine import TenantCall


def get_status(s: TenantCall) -> ErpSyncEngineStatus:
    row = s.db.execute("SELECT IsRunning, Interval FROM SyncEngine WHERE syncengine_id = 1").fetchone()
    running = bool(row["IsRunning"]) if row is not None else False
    interval = str(row["Interval"]) if row is not None else ""
    return ErpSyncEngineStatus(
        is_running=running, status_message="Running" if running else "Stopped", interval=interval
    )


def change_status(s: TenantCall, run: bool) -> ErpSyncEngineStatus:
    s.db.execute("UPDATE SyncEngine SET IsRunning = ? WHERE syncengine_id = 1", (int(run),))
    return get_status(s)


def change_interval(s: TenantCall, interval: str) -> None:
    # Stored as sent: SuperOffice documents no format (its own sample is a word), so the
    # embedded tenant does not invent a refusal; syncspec's schema only lets a TimeSpan out.
    s.db.execute("UPDATE SyncEngine SET Interval = ? WHERE syncengine_id = 1", (interval,))
