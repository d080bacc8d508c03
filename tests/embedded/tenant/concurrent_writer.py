"""Run as a separate OS process by test_engine: creates N connectors in one tenant file."""

from __future__ import annotations

import sys
from pathlib import Path

from syncspec.embedded.tenant import InProcessAgent, Tenant
from syncspec.targets.carriers import ErpSyncConnectorEntity


def main(path: str, tag: str, count: int) -> None:
    with Tenant.open(Path(path)) as tenant:
        agent = InProcessAgent(tenant)
        for n in range(count):
            agent.save_erp_sync_connector_entity(
                ErpSyncConnectorEntity(display_name=f"{tag}-{n}", URL="plugin://demo")
            )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
