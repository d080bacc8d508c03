"""Agent-call scripts, each run through any TenantApi; results are plain data to compare."""

from __future__ import annotations

from typing import Any

from syncspec.model.enums import ErpActorType
from syncspec.model.errors import TargetError
from syncspec.targets.agent import TenantApi
from syncspec.targets.carriers import (
    ErpConnection,
    ErpConnectionListMapping,
    ErpConnectionListMappingContainer,
    ErpCrmListItemMapping,
    ErpSyncActorTypeMapping,
    ErpSyncConnectorEntity,
    ErpSyncDefaultValue,
    MDOListItem,
)
from tests.differential.helpers import demo_config, outcome

CUSTOMER = ErpActorType.CUSTOMER

# ERP key -> (CRM key, to_crm, to_erp, show in tab, show in search)
CUSTOMER_FIELDS = {
    "NAME": ("contact.name", True, True, False, True),
    "CUSTNO": ("contact.number2", True, False, True, True),
    "CATEGORY": ("contact.category", True, False, False, False),
    "CURRENCY": ("contact.currency", True, False, False, False),
    "CREDITLIMIT": ("", False, False, True, False),
}


def field_ids(agent: TenantApi, connection_id: int, actor: ErpActorType = CUSTOMER) -> dict[str, int]:
    mapping = agent.get_actor_type_mapping(connection_id, actor)
    return {f.erp_field_key: f.erp_field_id for f in mapping.field_mappings}


def customer_mapping(agent: TenantApi, connection_id: int, *, active: bool) -> ErpSyncActorTypeMapping:
    mapping = agent.get_actor_type_mapping(connection_id, CUSTOMER)
    for fm in mapping.field_mappings:
        crm, to_crm, to_erp, tab, search = CUSTOMER_FIELDS.get(
            fm.erp_field_key, ("", False, False, False, False)
        )
        fm.crm_field_key, fm.sync_to_crm, fm.sync_to_erp = crm, to_crm, to_erp
        fm.show_in_gui, fm.show_in_search = tab, search
    mapping.is_active = active
    return mapping


def some_fields(agent: TenantApi, connection_id: int, **changes: dict[str, Any]) -> ErpSyncActorTypeMapping:
    """The Customer mapping as read, active, with only the named fields, each changed as given."""
    mapping = agent.get_actor_type_mapping(connection_id, CUSTOMER)
    rows = {f.erp_field_key: f for f in mapping.field_mappings}
    fields = [
        rows[key].model_copy(update={"sync_to_erp": False, **update}) for key, update in changes.items()
    ]
    return mapping.model_copy(update={"is_active": True, "field_mappings": fields})


def seed_script(agent: TenantApi) -> list[Any]:
    """Build a tenant through every write method; returns every answer."""
    out: list[Any] = []
    connector = agent.save_erp_sync_connector_entity(
        ErpSyncConnectorEntity(display_name="demo-erp", URL="plugin://demo")
    )
    out.append(outcome(lambda: connector))
    cid = connector.erp_connector_id
    groups = {g.name: g.id for g in agent.get_mdo_list("usergroup")}
    users = {u.name: u.id for u in agent.get_mdo_list("associate")}
    norway = agent.save_connection(
        ErpConnection(
            erp_connector_id=cid,
            display_name="visma-norway",
            display_description="Demo Norge AS",
            config_fields=demo_config(),
            all_access=False,
            user_group_access_ids=[groups["Sales"]],
            associate_access_ids=[users["ANNA"]],
        )
    )
    sweden = agent.save_connection(
        ErpConnection(erp_connector_id=cid, display_name="visma-sweden", config_fields=demo_config("1002"))
    )
    out += [outcome(lambda: norway), outcome(lambda: sweden)]
    nid, sid = norway.erp_connection_id, sweden.erp_connection_id
    out.append(outcome(lambda: agent.save_actor_type_mapping(customer_mapping(agent, nid, active=True))))
    ids = field_ids(agent, nid)
    categories = {i.name: i.id for i in agent.get_mdo_list("category")}
    container = ErpConnectionListMappingContainer(
        erp_connection_id=nid,
        erp_list_item_mappings=[
            ErpConnectionListMapping(
                erp_field_id=ids["CATEGORY"],
                erp_actor_type_name="Customer",
                erp_crm_list_item_mappings=[
                    ErpCrmListItemMapping(
                        erp_list_item_id="A", crm_list_item=MDOListItem(id=categories["Key account"])
                    ),
                    ErpCrmListItemMapping(
                        erp_list_item_id="B", crm_list_item=MDOListItem(id=categories["Customer"])
                    ),
                    ErpCrmListItemMapping(erp_list_item_id="X", crm_list_item=None),
                ],
            )
        ],
    )
    out.append(outcome(lambda: agent.save_connection_list_mappings(container)))
    out.append(
        outcome(
            lambda: agent.save_default_value_info(
                agent.get_default_value_info(ids["PAYTERMS"]).model_copy(
                    update={"has_first_sync_default_value": True, "first_sync_default_value": "30D"}
                )
            )
        )
    )
    out.append(
        outcome(
            lambda: agent.save_default_value_info(
                agent.get_default_value_info(ids["DISCOUNT"]).model_copy(
                    update={"prompt_user": True, "mandatory": True}
                )
            )
        )
    )
    out.append(outcome(lambda: agent.move_erp_field_item(ids["BALANCE"], -1, nid, CUSTOMER)))
    out.append(outcome(lambda: agent.move_erp_field_item(ids["BALANCE"], -1, nid, CUSTOMER)))
    out.append(outcome(lambda: agent.move_erp_field_item(ids["NAME"], 1, nid, CUSTOMER)))
    out.append(outcome(lambda: agent.save_erp_connection_sync_priorities([sid, nid])))
    out.append(outcome(lambda: agent.update_connection_fields(sid)))
    out.append(outcome(lambda: agent.test_connection_by_id(nid)))
    out.append(outcome(lambda: agent.test_connection_by_config(nid, {"client": "1001"})))
    out.append(outcome(lambda: agent.toggle_erp_connection_active(nid)))  # activates
    out.append(outcome(lambda: agent.toggle_erp_connection_active(sid)))
    spare = agent.save_erp_sync_connector_entity(
        ErpSyncConnectorEntity(display_name="spare", URL="plugin://demo")
    )
    out.append(outcome(lambda: agent.can_delete_erp_sync_connector_entity(spare.erp_connector_id)))
    out.append(outcome(lambda: agent.delete_erp_sync_connector_entity(spare.erp_connector_id)))
    temp = agent.save_connection(
        ErpConnection(erp_connector_id=cid, display_name="temporary", config_fields=demo_config("2001"))
    )
    out.append(outcome(lambda: agent.delete_connection(temp.erp_connection_id)))
    return out


def read_script(agent: TenantApi) -> list[Any]:
    """Every read, over whatever the tenant holds: agent methods, the ErpField archive, MDO lists."""
    out: list[Any] = [
        outcome(agent.get_all_connectors),
        outcome(lambda: agent.get_all_connections(True)),
        outcome(lambda: agent.get_all_connections(False)),
        outcome(lambda: _without_guids(agent.get_mdo_list("erpconnections", "useRank=true"))),
        outcome(lambda: _without_guids(agent.get_mdo_list("erpconnections"))),
        outcome(lambda: agent.get_mdo_list("crmfields")),
        outcome(lambda: agent.get_mdo_list("category")),
        outcome(lambda: agent.get_mdo_list("country")),
        outcome(lambda: agent.get_mdo_list("associate")),
        outcome(lambda: agent.get_mdo_list("usergroup")),
    ]
    for item in agent.get_all_connectors():
        out.append(outcome(agent.get_erp_sync_connector_entity, item.id))
        out.append(outcome(agent.get_configuration_fields, item.id))
        out.append(outcome(agent.can_delete_erp_sync_connector_entity, item.id))
    for conn in agent.get_all_connections(False):
        cid = conn.erp_connection_id
        out.append(outcome(agent.get_connection, cid))
        out.append(outcome(agent.get_erp_connection_config_fields, cid))
        out.append(outcome(agent.get_connection_list_mappings, cid))
        out.append(outcome(agent.get_erp_sync_connection_summary, cid))
        out.append(outcome(agent.get_erp_field_rows, cid))
        for actor in (CUSTOMER, ErpActorType.SUPPLIER, ErpActorType.EMPLOYEE):
            out.append(outcome(agent.get_actor_type_mapping, cid, actor))
            out.append(outcome(agent.get_crm_actor_type, cid, actor))
        for fid in sorted(field_ids(agent, cid).values())[:6]:
            out.append(outcome(agent.get_default_value_info, fid))
    return out


def _without_guids(items: list[MDOListItem]) -> list[MDOListItem]:
    """erpconnections carries each connection's GUID in ExtraInfo; each tenant mints its own."""
    return [i.model_copy(update={"extra_info": "<guid>" if i.extra_info else ""}) for i in items]


def _missing_list(agent: TenantApi, name: str) -> str:
    try:
        agent.get_mdo_list(name)
    except TargetError:
        return "no such list"  # the in-process agent and the emulator's 404 both end here
    return "served"


def refusal_script(agent: TenantApi) -> list[Any]:
    """Calls the tenant's rules refuse (run after `seed_script`): every answer, refusals included."""
    conns = {c.display_name: c for c in agent.get_all_connections(False)}
    nid, sid = conns["visma-norway"].erp_connection_id, conns["visma-sweden"].erp_connection_id
    cid = conns["visma-norway"].erp_connector_id
    ids = field_ids(agent, nid)
    out: list[Any] = [
        outcome(lambda: agent.get_connection(9999)),
        outcome(lambda: agent.get_erp_sync_connector_entity(9999)),
        outcome(
            lambda: agent.save_erp_sync_connector_entity(ErpSyncConnectorEntity(display_name="", URL="x"))
        ),
        outcome(lambda: agent.delete_erp_sync_connector_entity(cid)),  # still has connections
        outcome(
            lambda: agent.save_connection(
                ErpConnection(
                    erp_connector_id=cid, display_name="bad", config_fields={**demo_config(), "client": "7"}
                )
            )
        ),
        outcome(
            lambda: agent.save_connection(
                ErpConnection(
                    erp_connector_id=cid,
                    display_name="wrong-password",
                    config_fields={**demo_config(), "password": "not-the-password"},
                )
            )
        ),
        # norway is active: its mapping, defaults and ranks cannot change
        outcome(lambda: agent.save_actor_type_mapping(customer_mapping(agent, nid, active=True))),
        outcome(lambda: agent.move_erp_field_item(ids["NAME"], 1, nid, CUSTOMER)),
        outcome(lambda: agent.save_default_value_info(ErpSyncDefaultValue(erp_field_id=ids["PAYTERMS"]))),
        outcome(lambda: agent.save_erp_connection_sync_priorities([nid, nid])),
        outcome(lambda: agent.save_erp_connection_sync_priorities([nid, 4242])),
        outcome(lambda: agent.toggle_erp_connection_active(nid)),  # deactivates
        outcome(lambda: agent.move_erp_field_item(ids["CUSTNO"], -5, nid, CUSTOMER)),
        outcome(lambda: agent.move_erp_field_item(ids["CUSTNO"], 0, nid, CUSTOMER)),
        outcome(lambda: agent.move_erp_field_item(ids["NAME"], 1, sid, CUSTOMER)),
        outcome(
            lambda: agent.save_default_value_info(
                agent.get_default_value_info(ids["DISCOUNT"]).model_copy(update={"mandatory": True})
            )
        ),
        outcome(
            lambda: agent.save_default_value_info(
                agent.get_default_value_info(ids["PAYTERMS"]).model_copy(
                    update={"has_first_sync_default_value": True, "first_sync_default_value": "NOPE"}
                )
            )
        ),
        outcome(
            lambda: agent.save_actor_type_mapping(
                some_fields(
                    agent,
                    nid,
                    NAME={"crm_field_key": "", "sync_to_crm": True},
                    BALANCE={"crm_field_key": "contact.name", "sync_to_erp": True},
                )
            )
        ),
        outcome(
            lambda: agent.save_connection_list_mappings(
                ErpConnectionListMappingContainer(
                    erp_connection_id=nid,
                    erp_list_item_mappings=[
                        ErpConnectionListMapping(
                            erp_field_id=ids["PAYTERMS"],
                            erp_crm_list_item_mappings=[
                                ErpCrmListItemMapping(erp_list_item_id="30D", crm_list_item=MDOListItem(id=1))
                            ],
                        )
                    ],
                )
            )
        ),
        # mandatory NAME without direction, then activation is refused with reasons
        outcome(
            lambda: agent.save_actor_type_mapping(
                some_fields(agent, nid, NAME={"crm_field_key": "contact.name", "sync_to_crm": False})
            )
        ),
        outcome(lambda: agent.toggle_erp_connection_active(nid)),
        outcome(lambda: agent.get_actor_type_mapping(nid, ErpActorType.SALE)),
        outcome(lambda: _missing_list(agent, "no-such-list")),
        outcome(lambda: agent.delete_connection(9999)),
    ]
    return out
