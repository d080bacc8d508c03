from __future__ import annotations

from pathlib import Path

import pytest

from syncspec.embedded.tenant import InProcessAgent, Tenant, dump
from syncspec.embedded.tenant.licence import ERP_SYNC_LICENCE, licences
from syncspec.model.errors import AgentError
from syncspec.targets.carriers import ErpSyncConnectorEntity


def test_new_tenants_hold_the_erp_sync_licence(tmp_path: Path) -> None:
    with Tenant.create(tmp_path / "t.db") as tenant:
        assert licences(tenant.raw()) == [ERP_SYNC_LICENCE]


def test_without_the_licence_every_erp_sync_call_is_refused(tmp_path: Path) -> None:
    with Tenant.create(tmp_path / "t.db", licences=["Sales"]) as tenant:
        agent = InProcessAgent(tenant)
        before = dump(tenant)
        calls = [
            agent.get_all_connectors,
            lambda: agent.save_erp_sync_connector_entity(
                ErpSyncConnectorEntity(display_name="x", URL="plugin://demo")
            ),
            lambda: agent.get_all_connections(False),
            lambda: agent.get_mdo_list("erpconnections", "useRank=true"),
            lambda: agent.get_erp_field_rows(1),
            lambda: agent.toggle_erp_connection_active(1),
        ]
        for call in calls:
            with pytest.raises(AgentError, match="ERP Sync requires the Development Tools licence"):
                call()
        assert dump(tenant) == before
        # CRM MDO lists need no ERP sync licence
        assert [u.name for u in agent.get_mdo_list("associate")] == ["ANNA", "BOB", "CARL"]
