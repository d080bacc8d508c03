from __future__ import annotations

from syncspec.embedded.tenant import dump
from tests.embedded.tenant.conftest import World, map_fields, new_connection, refused


def _toggle_refused(world: World, conn_id: int, needle: str) -> list[str]:
    before = dump(world.tenant)
    reasons = world.agent.toggle_erp_connection_active(conn_id)
    assert any(needle in r for r in reasons), reasons
    assert dump(world.tenant) == before
    return reasons


def test_activation_without_a_synchronised_actor_type_is_not_refused(world: World) -> None:
    # SuperOffice documents no such refusal: validate warns instead (SS219).
    conn = new_connection(world)
    map_fields(world, conn.erp_connection_id, {"NAME": ("contact.name", True, True)}, active=False)
    assert world.agent.toggle_erp_connection_active(conn.erp_connection_id) == []
    assert world.agent.get_connection(conn.erp_connection_id).active


def test_activation_needs_a_direction_on_mandatory_fields(world: World) -> None:
    conn = new_connection(world)
    map_fields(world, conn.erp_connection_id, {"email": ("contact.email", True, True)})
    reasons = _toggle_refused(world, conn.erp_connection_id, "'Name' (NAME) is mandatory")
    assert any("you MUST choose a direction" in r for r in reasons)


def test_a_direction_left_on_a_field_the_erp_dropped_does_not_block_activation(world: World) -> None:
    # The carrier says only that such a field should be unmapped: validate reports it (SS302).
    conn = new_connection(world)
    map_fields(
        world,
        conn.erp_connection_id,
        {"NAME": ("contact.name", True, True), "NOTE": ("contact.udef.erp_note", True, False)},
    )
    world.mini.fields["Customer"] = [f for f in world.mini.fields["Customer"] if f.field_key != "NOTE"]
    world.agent.update_connection_fields(conn.erp_connection_id)
    assert world.agent.toggle_erp_connection_active(conn.erp_connection_id) == []


def test_activation_refused_while_a_direction_has_no_crm_field(world: World) -> None:
    # The mapping API never allows this; a row written by an older tenant version could hold it.
    conn = new_connection(world)
    map_fields(world, conn.erp_connection_id, {"NAME": ("contact.name", True, True)})
    world.tenant.raw().execute("UPDATE ErpField SET SyncToCrm = 1 WHERE ErpFieldKey = 'LIMIT'")
    _toggle_refused(world, conn.erp_connection_id, "has a sync direction but no SuperOffice field")


def test_activation_refused_while_the_connection_test_fails(world: World) -> None:
    conn = new_connection(world)
    map_fields(world, conn.erp_connection_id, {"NAME": ("contact.name", True, True)})
    world.mini.online = False
    _toggle_refused(
        world, conn.erp_connection_id, "Test ERP connection failed: The ERP server does not answer"
    )


def test_activation_flips_when_valid_and_deactivation_always_succeeds(world: World) -> None:
    conn = new_connection(world)
    map_fields(world, conn.erp_connection_id, {"NAME": ("contact.name", True, True)})
    assert world.agent.toggle_erp_connection_active(conn.erp_connection_id) == []
    assert world.agent.get_connection(conn.erp_connection_id).active
    world.mini.online = False
    world.mini.fields["Customer"] = []
    world.agent.update_connection_fields(conn.erp_connection_id)  # refresh is allowed while active
    assert world.agent.toggle_erp_connection_active(conn.erp_connection_id) == []
    assert not world.agent.get_connection(conn.erp_connection_id).active


def test_edits_are_refused_while_active(world: World) -> None:
    conn = new_connection(world)
    map_fields(world, conn.erp_connection_id, {"NAME": ("contact.name", True, True)})
    world.agent.toggle_erp_connection_active(conn.erp_connection_id)
    refused(
        world,
        lambda: map_fields(world, conn.erp_connection_id, {"email": ("contact.email", True, False)}),
        "The connection is active. Deactivate it before changing its configuration.",
    )
