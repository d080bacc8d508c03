from __future__ import annotations

import pytest

from syncspec.targets.carriers import (
    ErpConnectionListMapping,
    ErpConnectionListMappingContainer,
    ErpCrmListItemMapping,
    MDOListItem,
)
from tests.embedded.tenant.conftest import World, field_id, map_fields, new_connection, refused


def _container(conn_id: int, fid: int, items: dict[str, int | None]) -> ErpConnectionListMappingContainer:
    return ErpConnectionListMappingContainer(
        erp_connection_id=conn_id,
        erp_list_item_mappings=[
            ErpConnectionListMapping(
                erp_field_id=fid,
                erp_crm_list_item_mappings=[
                    ErpCrmListItemMapping(
                        erp_list_item_id=k, crm_list_item=None if v is None else MDOListItem(id=v)
                    )
                    for k, v in items.items()
                ],
            )
        ],
    )


def _grade(world: World, *, to_erp: bool) -> tuple[int, int]:
    conn = new_connection(world)
    map_fields(world, conn.erp_connection_id, {"GRADE": ("contact.category", True, to_erp)})
    return conn.erp_connection_id, field_id(world, conn.erp_connection_id, "GRADE")


def test_list_mapping_round_trip_and_whole_field_replacement(world: World) -> None:
    conn_id, fid = _grade(world, to_erp=True)
    saved = world.agent.save_connection_list_mappings(_container(conn_id, fid, {"A": 1, "B": 2, "C": None}))
    (grade,) = saved.erp_list_item_mappings
    assert grade.crm_list is not None and grade.crm_list.name == "category"
    got = {
        i.erp_list_item_id: (i.erp_list_item_name, i.crm_list_item.name if i.crm_list_item else None)
        for i in grade.erp_crm_list_item_mappings
    }
    assert got == {"A": ("Gold", "Key account"), "B": ("Silver", "Customer"), "C": ("Bronze", None)}
    again = world.agent.save_connection_list_mappings(_container(conn_id, fid, {"C": 3}))
    mapped = {
        i.erp_list_item_id: i.crm_list_item.id
        for i in again.erp_list_item_mappings[0].erp_crm_list_item_mappings
        if i.crm_list_item
    }
    assert mapped == {"C": 3}  # A and B were not in the container: removed


def test_only_mapped_list_fields_take_list_mappings(world: World) -> None:
    conn = new_connection(world)
    fid = field_id(world, conn.erp_connection_id, "GRADE")  # a list field, not mapped
    refused(
        world,
        lambda: world.agent.save_connection_list_mappings(_container(conn.erp_connection_id, fid, {"A": 1})),
        "is not a list field mapped to a SuperOffice list",
    )
    text_field = field_id(world, conn.erp_connection_id, "NOTE")
    refused(
        world,
        lambda: world.agent.save_connection_list_mappings(
            _container(conn.erp_connection_id, text_field, {"A": 1})
        ),
        "map the field first",
    )


def test_items_must_exist_on_both_sides(world: World) -> None:
    conn_id, fid = _grade(world, to_erp=False)
    refused(
        world,
        lambda: world.agent.save_connection_list_mappings(_container(conn_id, fid, {"Z": 1})),
        "has no item 'Z'",
    )
    refused(
        world,
        lambda: world.agent.save_connection_list_mappings(_container(conn_id, fid, {"A": 99})),
        "'category' has no item 99",
    )


@pytest.mark.parametrize("to_erp", [True, False], ids=["both", "to-crm"])
def test_a_crm_item_used_twice_is_refused_whatever_the_direction(world: World, to_erp: bool) -> None:
    # The admin help: mapping is one-to-one, "you cannot map to the same CRM item twice".
    conn_id, fid = _grade(world, to_erp=to_erp)
    refused(
        world,
        lambda: world.agent.save_connection_list_mappings(_container(conn_id, fid, {"A": 1, "B": 1})),
        "is mapped to both 'A' and 'B'",
        "you cannot map to the same CRM item twice",
    )
    world.agent.save_connection_list_mappings(_container(conn_id, fid, {"A": 1, "B": None}))


def test_changing_the_crm_field_drops_its_list_mappings(world: World) -> None:
    conn_id, fid = _grade(world, to_erp=True)
    world.agent.save_connection_list_mappings(_container(conn_id, fid, {"A": 1}))
    map_fields(world, conn_id, {"GRADE": ("contact.business", True, True)})
    (grade,) = world.agent.get_connection_list_mappings(conn_id).erp_list_item_mappings
    assert all(i.crm_list_item is None for i in grade.erp_crm_list_item_mappings)
