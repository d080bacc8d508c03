"""The embedded tenant: SuperOffice's ERP-sync configuration tables in SQLite, with its server-side rules."""

from __future__ import annotations

from syncspec.embedded.tenant.agent import InProcessAgent
from syncspec.embedded.tenant.dump import dump
from syncspec.embedded.tenant.engine import ConnectorSource, Tenant
from syncspec.embedded.tenant.licence import DEFAULT_LICENCES, ERP_SYNC_LICENCE

__all__ = ["DEFAULT_LICENCES", "ERP_SYNC_LICENCE", "ConnectorSource", "InProcessAgent", "Tenant", "dump"]
