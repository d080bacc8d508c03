"""The emulator runs calls in the order their requests arrived.

A client whose write timed out reads back to learn whether the write happened (toggles and
moves are not safe to repeat). If that read could overtake the write still running in the
emulator, the client would see "not done" and repeat it: a toggle flipped twice, a field moved
two steps. This is the race a fault trial once showed under heavy load.
"""

from __future__ import annotations

import time
from pathlib import Path

from syncspec.embedded.emulator.server import serve_in_thread
from syncspec.embedded.tenant import InProcessAgent, Tenant
from syncspec.targets.rest.agent import RestAgent
from tests.differential.helpers import fast_policy
from tests.support.tenants import seed_example_tenant


class SlowToggles(InProcessAgent):
    """A tenant whose toggle takes longer than the client waits for an answer; counts them."""

    toggles = 0

    def toggle_erp_connection_active(self, erp_connection_id: int) -> list[str]:
        time.sleep(0.8)  # before the tenant's own lock: a read could run meanwhile
        self.toggles += 1
        return super().toggle_erp_connection_active(erp_connection_id)


def test_a_read_back_after_a_timed_out_toggle_sees_the_toggle(tmp_path: Path) -> None:
    seed_example_tenant(tmp_path / "t.db")
    with Tenant.open(tmp_path / "t.db") as tenant:
        local = InProcessAgent(tenant)
        conn = next(c for c in local.get_all_connections(False) if c.display_name == "demo-norway")
        assert not local.get_connection(conn.erp_connection_id).active
        slow = SlowToggles(tenant)
        with (
            serve_in_thread(tenant, agent=slow) as url,
            RestAgent(url, timeout=(2.0, 0.3), retries=fast_policy(attempts=10)) as rest,
        ):
            assert rest.toggle_erp_connection_active(conn.erp_connection_id) == []
        # the server finished every request before it stopped: the tenant toggled exactly once
        assert slow.toggles == 1
        assert local.get_connection(conn.erp_connection_id).active
