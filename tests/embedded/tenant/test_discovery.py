from __future__ import annotations

from syncspec.embedded.connectors.base import FieldMetadataInfo
from syncspec.embedded.tenant import dump
from syncspec.model.enums import CrmActorType, ErpActorType, FieldMetadataType
from tests.embedded.tenant.conftest import World, map_fields, new_connection
from tests.support.reads import field_ranks


def test_discovery_creates_inactive_actor_types_and_ranked_fields(world: World) -> None:
    conn = new_connection(world)
    rows = dump(world.tenant)["ErpConnectionActorType"]
    assert [(r["ActorTypeErp"], r["ActorTypeCrm"], r["IsActive"]) for r in rows] == [
        ("Customer", "Contact", 0),
        ("Project", "Project", 0),
    ]
    ranks = field_ranks(world.agent, conn.erp_connection_id, ErpActorType.CUSTOMER)
    assert [r.erp_field_key for r in ranks] == [
        "CUSTID",
        "NAME",
        "email",
        "GRADE",
        "BLOCKED",
        "LIMIT",
        "SINCE",
        "NOTE",
    ]
    assert [r.rank for r in ranks] == list(range(1, 9))


def test_auto_mapping_by_name_is_case_insensitive_and_sets_no_direction(world: World) -> None:
    conn = new_connection(world)
    customer = world.agent.get_actor_type_mapping(conn.erp_connection_id, ErpActorType.CUSTOMER)
    mapped = {f.erp_field_key: f.crm_field_key for f in customer.field_mappings if f.crm_field_key}
    assert mapped == {"NAME": "contact.name", "email": "contact.email"}
    assert not any(f.sync_to_crm or f.sync_to_erp for f in customer.field_mappings)
    assert customer.actor_type_crm is CrmActorType.CONTACT and customer.is_active is False
    project = world.agent.get_actor_type_mapping(conn.erp_connection_id, ErpActorType.PROJECT)
    assert {f.erp_field_key: f.crm_field_key for f in project.field_mappings} == {
        "NAME": "project.name",
        "NUMBER": "project.number",
        "ENDDATE": "project.enddate",
    }


def test_refresh_adds_new_fields_after_the_existing_ones_and_flags_vanished_ones(world: World) -> None:
    conn = new_connection(world)
    map_fields(world, conn.erp_connection_id, {"NOTE": ("contact.udef.erp_note", True, False)})
    world.mini.fields["Customer"] = [f for f in world.mini.fields["Customer"] if f.field_key != "NOTE"]
    world.mini.fields["Customer"].insert(0, FieldMetadataInfo("VATNO", "VAT", FieldMetadataType.TEXT))
    assert world.agent.update_connection_fields(conn.erp_connection_id)
    mapping = world.agent.get_actor_type_mapping(conn.erp_connection_id, ErpActorType.CUSTOMER)
    by_key = {f.erp_field_key: f for f in mapping.field_mappings}
    assert by_key["NOTE"].missing_in_erp and by_key["NOTE"].crm_field_key == "contact.udef.erp_note"
    assert by_key["NOTE"].sync_to_crm  # the mapping is kept, flagged, for the admin to remove
    assert by_key["VATNO"].crm_field_key == "contact.orgnr"  # auto-mapped on arrival
    ranks = field_ranks(world.agent, conn.erp_connection_id, ErpActorType.CUSTOMER)
    assert ranks[-1].erp_field_key == "VATNO" and [r.rank for r in ranks] == list(range(1, 10))
    # The field comes back: the flag goes, nothing is duplicated.
    world.mini.fields["Customer"].append(FieldMetadataInfo("NOTE", "Note again", FieldMetadataType.TEXT))
    world.agent.update_connection_fields(conn.erp_connection_id)
    again = world.agent.get_actor_type_mapping(conn.erp_connection_id, ErpActorType.CUSTOMER)
    note = next(f for f in again.field_mappings if f.erp_field_key == "NOTE")
    assert not note.missing_in_erp and note.erp_display_name == "Note again"
    assert len(again.field_mappings) == 9


def test_an_actor_type_the_connector_drops_has_all_its_fields_missing(world: World) -> None:
    conn = new_connection(world)
    del world.mini.fields["Project"]
    world.agent.update_connection_fields(conn.erp_connection_id)
    project = world.agent.get_actor_type_mapping(conn.erp_connection_id, ErpActorType.PROJECT)
    assert project.field_mappings and all(f.missing_in_erp for f in project.field_mappings)
