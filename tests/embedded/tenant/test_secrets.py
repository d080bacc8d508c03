"""The demo password never shows up in a log record, an error, a read or a dump."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from syncspec.embedded.tenant import InProcessAgent, Tenant, dump
from syncspec.model.enums import ErpActorType
from syncspec.model.errors import AgentError
from syncspec.targets.carriers import ErpConnection, ErpSyncConnectorEntity

PASSWORD = "demo-password"
CONFIG = {"server": "https://erp.example.com", "client": "1001", "user": "sync", "password": PASSWORD}


def test_the_password_appears_nowhere(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    texts: list[str] = []
    with Tenant.create(tmp_path / "t.db") as tenant:
        agent = InProcessAgent(tenant)
        entity = agent.save_erp_sync_connector_entity(
            ErpSyncConnectorEntity(display_name="d", URL="plugin://demo")
        )
        conn = agent.save_connection(
            ErpConnection(erp_connector_id=entity.erp_connector_id, display_name="demo", config_fields=CONFIG)
        )
        texts.append(conn.model_dump_json())
        texts.append(str(agent.get_erp_connection_config_fields(conn.erp_connection_id)))
        texts.append(str(agent.get_actor_type_mapping(conn.erp_connection_id, ErpActorType.CUSTOMER)))
        texts.extend(agent.toggle_erp_connection_active(conn.erp_connection_id))
        failing = [
            # a wrong user with the right password: the connector's answer must be scrubbed of it
            lambda: agent.save_connection(
                ErpConnection(
                    erp_connector_id=entity.erp_connector_id,
                    display_name="x",
                    config_fields={**CONFIG, "user": "nobody"},
                )
            ),
            lambda: agent.save_connection(
                ErpConnection(
                    erp_connector_id=entity.erp_connector_id,
                    display_name="x",
                    config_fields={**CONFIG, "server": ""},
                )
            ),
            lambda: agent.save_connection(
                ErpConnection(
                    erp_connector_id=entity.erp_connector_id,
                    display_name="x",
                    config_fields={**CONFIG, "password": PASSWORD + "-wrong"},
                )
            ),
        ]
        for call in failing:
            with pytest.raises(AgentError) as info:
                call()
            texts.extend([str(info.value), info.value.hint, *info.value.reasons])
        texts.append(repr(dump(tenant)))
    texts.extend(record.getMessage() for record in caplog.records)
    assert caplog.records  # the tenant did log
    assert conn.config_fields["password"] == "********"
    for text in texts:
        assert PASSWORD not in text
