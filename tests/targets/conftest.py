"""A real embedded tenant, seeded through InProcessAgent calls only (no SQL)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from syncspec.embedded.tenant import InProcessAgent, Tenant
from syncspec.model.enums import ErpActorType
from syncspec.targets.carriers import (
    ErpConnection,
    ErpConnectionListMapping,
    ErpConnectionListMappingContainer,
    ErpCrmListItemMapping,
    MDOListItem,
)
from tests.support.example import DEMO_PASSWORD as DEMO_PASSWORD  # kept importable from here
from tests.support.tenants import DEMO_CONFIG, save_demo_connector

CUSTOMER = ErpActorType.CUSTOMER


@dataclass
class Seeded:
    tenant: Tenant
    agent: InProcessAgent
    connector_id: int
    norway: int  # connection ids
    sweden: int
    category_ids: dict[str, int]  # CRM category name -> id


@pytest.fixture
def tenant(tmp_path: Path) -> Iterator[Tenant]:
    t = Tenant.create(tmp_path / "tenant.db")
    try:
        yield t
    finally:
        t.close()


@pytest.fixture
def seeded(tenant: Tenant) -> Seeded:
    agent = InProcessAgent(tenant)
    connector_id = save_demo_connector(agent)
    groups = {g.name: g.id for g in agent.get_mdo_list("usergroup")}
    users = {u.name: u.id for u in agent.get_mdo_list("associate")}
    norway = agent.save_connection(
        ErpConnection(
            erp_connector_id=connector_id,
            display_name="visma-norway",
            display_description="Demo Norge AS",
            config_fields=DEMO_CONFIG,
            all_access=False,
            user_group_access_ids=[groups["Sales"]],
            associate_access_ids=[users["ANNA"]],
        )
    )
    sweden = agent.save_connection(
        ErpConnection(
            erp_connector_id=connector_id,
            display_name="visma-sweden",
            config_fields={**DEMO_CONFIG, "client": "1002"},
        )
    )
    nid = norway.erp_connection_id

    mapping = agent.get_actor_type_mapping(nid, CUSTOMER)
    wanted = {
        "NAME": ("contact.name", True, True, False, True),
        "CUSTNO": ("contact.number2", True, False, True, True),
        "CATEGORY": ("contact.category", True, False, False, False),
        "CURRENCY": ("contact.currency", True, False, False, False),
        "CREDITLIMIT": ("", False, False, True, False),
    }
    for fm in mapping.field_mappings:
        if fm.erp_field_key in wanted:
            crm, to_crm, to_erp, show_tab, search = wanted[fm.erp_field_key]
            fm.crm_field_key, fm.sync_to_crm, fm.sync_to_erp = crm, to_crm, to_erp
            fm.show_in_gui, fm.show_in_search = show_tab, search
        else:  # undo the tenant's auto-mapping so the expected state is exactly what we wrote
            fm.crm_field_key, fm.sync_to_crm, fm.sync_to_erp = "", False, False
    mapping.is_active = True
    saved = agent.save_actor_type_mapping(mapping)
    ids = {f.erp_field_key: f.erp_field_id for f in saved.field_mappings}

    category_ids = {i.name: i.id for i in agent.get_mdo_list("category")}
    agent.save_connection_list_mappings(
        ErpConnectionListMappingContainer(
            erp_connection_id=nid,
            erp_list_item_mappings=[
                ErpConnectionListMapping(
                    erp_field_id=ids["CATEGORY"],
                    erp_actor_type_name="Customer",
                    erp_crm_list_item_mappings=[
                        ErpCrmListItemMapping(
                            erp_list_item_id="A", crm_list_item=MDOListItem(id=category_ids["Key account"])
                        ),
                        ErpCrmListItemMapping(
                            erp_list_item_id="B", crm_list_item=MDOListItem(id=category_ids["Customer"])
                        ),
                        ErpCrmListItemMapping(erp_list_item_id="X", crm_list_item=None),
                    ],
                )
            ],
        )
    )
    agent.save_default_value_info(
        agent.get_default_value_info(ids["PAYTERMS"]).model_copy(
            update={"has_first_sync_default_value": True, "first_sync_default_value": "30D"}
        )
    )
    agent.save_default_value_info(
        agent.get_default_value_info(ids["DISCOUNT"]).model_copy(
            update={"prompt_user": True, "mandatory": True}
        )
    )
    # BALANCE two steps up (towards rank 1)
    agent.move_erp_field_item(ids["BALANCE"], -1, nid, CUSTOMER)
    agent.move_erp_field_item(ids["BALANCE"], -1, nid, CUSTOMER)
    agent.save_erp_connection_sync_priorities([sweden.erp_connection_id, nid])
    return Seeded(
        tenant=tenant,
        agent=agent,
        connector_id=connector_id,
        norway=nid,
        sweden=sweden.erp_connection_id,
        category_ids=category_ids,
    )
