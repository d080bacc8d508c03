"""Embedded tenants seeded through InProcessAgent calls only, the way an apply would (no SQL).

Saving a connection makes the tenant discover its actor types, fields and lists from the
demo connector, which is the metadata planner and rules then read.
"""

from __future__ import annotations

from pathlib import Path

from syncspec.embedded.tenant import InProcessAgent, Tenant
from syncspec.targets.carriers import ErpConnection, ErpSyncConnectorEntity
from tests.support.example import DEMO_PASSWORD

DEMO_URL = "plugin://demo"
# A config the demo connector accepts (its client 1001); give "client" to pick another.
DEMO_CONFIG = {
    "server": "https://erp.example.com",
    "client": "1001",
    "user": "sync",
    "password": DEMO_PASSWORD,
    "language": "en",
}
# The example project's connections and their demo clients.
EXAMPLE_CONNECTIONS = {"demo-norway": "1001", "demo-sweden": "1002"}


def save_demo_connector(agent: InProcessAgent, name: str = "demo-erp") -> int:
    """Register the built-in demo connector as `name`; its id."""
    entity = agent.save_erp_sync_connector_entity(ErpSyncConnectorEntity(display_name=name, URL=DEMO_URL))
    return entity.erp_connector_id


def seed_example_tenant(path: Path, *, language: str = "nb") -> None:
    """A tenant file at `path` like the example project's: connector demo-erp and the
    unmapped, inactive connections demo-norway and demo-sweden."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tenant = Tenant.create(path)
    try:
        agent = InProcessAgent(tenant)
        connector_id = save_demo_connector(agent)
        for name, client in EXAMPLE_CONNECTIONS.items():
            agent.save_connection(
                ErpConnection(
                    erp_connector_id=connector_id,
                    display_name=name,
                    config_fields={**DEMO_CONFIG, "language": language, "client": client},
                )
            )
    finally:
        tenant.close()
