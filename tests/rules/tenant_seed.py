"""A real embedded tenant like the example project's: the demo connector and its two connections.

Seeded only through InProcessAgent calls, the way an apply would: saving a connection
makes the tenant discover its actor types, fields and lists from the demo connector,
which is the metadata the rules then read. No mappings are written, so every live
connection starts unmapped and inactive.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from syncspec.targets.carriers import ErpConnection, ErpSyncConnectorEntity
from syncspec.tenant import InProcessAgent, Tenant

REPO = Path(__file__).resolve().parents[2]
TENANT_FILE = Path(".syncspec") / "tenant.db"  # the example project's `local` environment
DEMO_PASSWORD = "demo-password"
DEMO_CONFIG = {
    "server": "https://erp.example.com",
    "user": "sync",
    "password": DEMO_PASSWORD,
    "language": "nb",
}
CONNECTIONS = {"demo-norway": "1001", "demo-sweden": "1002"}


def seed_tenant(path: Path) -> None:
    """Create the tenant file at `path` holding connector demo-erp and connections demo-norway/-sweden."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tenant = Tenant.create(path)
    try:
        agent = InProcessAgent(tenant)
        connector = agent.save_erp_sync_connector_entity(
            ErpSyncConnectorEntity(display_name="demo-erp", URL="plugin://demo")
        )
        for name, client in CONNECTIONS.items():
            agent.save_connection(
                ErpConnection(
                    erp_connector_id=connector.erp_connector_id,
                    display_name=name,
                    config_fields={**DEMO_CONFIG, "client": client},
                )
            )
    finally:
        tenant.close()


def copy_example(workdir: Path) -> None:
    """The repository's syncspec.yaml and connections/ into `workdir`."""
    shutil.copyfile(REPO / "syncspec.yaml", workdir / "syncspec.yaml")
    shutil.copytree(REPO / "connections", workdir / "connections")
