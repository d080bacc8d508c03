from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from syncspec.embedded.tenant import InProcessAgent, Tenant, dump
from syncspec.model.enums import ErpActorType
from syncspec.model.errors import AgentError
from syncspec.targets.carriers import (
    ErpConnection,
    ErpSyncActorTypeMapping,
    ErpSyncConnectorEntity,
    ErpSyncFieldMapping,
)
from tests.embedded.tenant.mini_connector import SECRET, MiniConnector

MINI_URL = "plugin://mini"


@dataclass
class World:
    tenant: Tenant
    agent: InProcessAgent
    mini: MiniConnector
    connector_id: int


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    mini = MiniConnector()
    tenant = Tenant.create(tmp_path / "tenant.db", connectors={MINI_URL: mini})
    agent = InProcessAgent(tenant)
    entity = agent.save_erp_sync_connector_entity(ErpSyncConnectorEntity(display_name="mini", URL=MINI_URL))
    yield World(tenant, agent, mini, entity.erp_connector_id)
    tenant.close()


def new_connection(w: World, name: str = "erp-one", **config: str) -> ErpConnection:
    values = {"host": "erp.local", "token": SECRET, **config}
    return w.agent.save_connection(
        ErpConnection(erp_connector_id=w.connector_id, display_name=name, config_fields=values)
    )


def field_id(w: World, conn_id: int, key: str, actor: ErpActorType = ErpActorType.CUSTOMER) -> int:
    mapping = w.agent.get_actor_type_mapping(conn_id, actor)
    return next(f.erp_field_id for f in mapping.field_mappings if f.erp_field_key == key)


def map_fields(
    w: World,
    conn_id: int,
    fields: dict[str, tuple[str, bool, bool]],
    *,
    active: bool = True,
    actor: ErpActorType = ErpActorType.CUSTOMER,
) -> ErpSyncActorTypeMapping:
    """Save an actor mapping: ERP key -> (CRM key, to_crm, to_erp), read-modify-write as a client should.

    The listed fields are sent with their stored ErpFieldId, type and access; a key the tenant
    does not have is sent with id 0 (which the tenant refuses).
    """
    current = w.agent.get_actor_type_mapping(conn_id, actor)
    rows = {f.erp_field_key: f for f in current.field_mappings}
    sent: list[ErpSyncFieldMapping] = []
    for k, (c, tc, te) in fields.items():
        row = rows[k].model_copy() if k in rows else ErpSyncFieldMapping(erp_field_key=k)
        row.crm_field_key, row.sync_to_crm, row.sync_to_erp = c, tc, te
        sent.append(row)
    return w.agent.save_actor_type_mapping(
        current.model_copy(update={"is_active": active, "field_mappings": sent})
    )


def refused(w: World, call: Callable[[], Any], *needles: str) -> AgentError:
    """Assert the call is refused with a message holding every needle, and that no table changed."""
    before = dump(w.tenant)
    with pytest.raises(AgentError) as info:
        call()
    text = " | ".join([info.value.message, *info.value.reasons])
    for needle in needles:
        assert needle in text
    assert dump(w.tenant) == before
    return info.value
