from __future__ import annotations

from syncspec.model.enums import ErpActorType
from tests.embedded.tenant.conftest import World, field_id, new_connection, refused
from tests.support.reads import field_ranks

C = ErpActorType.CUSTOMER


def _keys(world: World, conn_id: int) -> list[str]:
    return [r.erp_field_key for r in field_ranks(world.agent, conn_id, C)]


def test_moves_are_one_step_whatever_the_magnitude(world: World) -> None:
    conn = new_connection(world)
    c = conn.erp_connection_id
    world.agent.move_erp_field_item(field_id(world, c, "NAME"), 5, c, C)
    assert _keys(world, c)[:3] == ["CUSTID", "email", "NAME"]
    world.agent.move_erp_field_item(field_id(world, c, "NAME"), -3, c, C)
    assert _keys(world, c)[:3] == ["CUSTID", "NAME", "email"]
    assert [r.rank for r in field_ranks(world.agent, c, C)] == list(range(1, 9))


def test_moves_past_either_end_or_of_unknown_fields_are_refused(world: World) -> None:
    conn = new_connection(world)
    c = conn.erp_connection_id
    refused(
        world,
        lambda: world.agent.move_erp_field_item(field_id(world, c, "CUSTID"), -1, c, C),
        "already first",
    )
    refused(
        world, lambda: world.agent.move_erp_field_item(field_id(world, c, "NOTE"), 1, c, C), "already last"
    )
    project_field = field_id(world, c, "NAME", ErpActorType.PROJECT)
    refused(
        world, lambda: world.agent.move_erp_field_item(project_field, 1, c, C), "is not a field of Customer"
    )
    refused(
        world,
        lambda: world.agent.move_erp_field_item(field_id(world, c, "NAME"), 0, c, C),
        "needs a direction",
    )
