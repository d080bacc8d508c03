from __future__ import annotations

import pytest

from syncspec.model.enums import CrmActorType, ErpActorType, FieldMetadataType
from syncspec.targets.carriers import ErpSyncActorTypeMapping, ErpSyncFieldMapping
from tests.embedded.tenant.conftest import World, map_fields, new_connection, refused


def test_save_returns_fresh_state_and_leaves_unlisted_fields_alone(world: World) -> None:
    conn = new_connection(world)
    saved = map_fields(
        world,
        conn.erp_connection_id,
        {"NAME": ("contact.name", True, True), "LIMIT": ("contact.udef.credit_limit", True, False)},
    )
    by_key = {f.erp_field_key: f for f in saved.field_mappings}
    assert saved.is_active
    assert (by_key["LIMIT"].crm_field_key, by_key["LIMIT"].sync_to_crm, by_key["LIMIT"].sync_to_erp) == (
        "contact.udef.credit_limit",
        True,
        False,
    )
    assert by_key["LIMIT"].crm_display_name == "Credit limit"
    assert by_key["email"].crm_field_key == "contact.email"  # auto-mapped, not in the call, unchanged
    unmapped = map_fields(world, conn.erp_connection_id, {"LIMIT": ("", False, False)})
    assert next(f for f in unmapped.field_mappings if f.erp_field_key == "LIMIT").crm_field_key == ""


def test_unknown_erp_fields_cannot_be_invented(world: World) -> None:
    conn = new_connection(world)
    refused(
        world,
        lambda: map_fields(world, conn.erp_connection_id, {"SHOESIZE": ("contact.name", False, False)}),
        "Unknown ERP field 'SHOESIZE'",
        "cannot be added",
    )


def test_an_actor_type_the_connector_does_not_offer_is_refused(world: World) -> None:
    conn = new_connection(world)
    refused(
        world,
        lambda: map_fields(world, conn.erp_connection_id, {}, actor=ErpActorType.SUPPLIER),
        "does not offer the actor type Supplier",
    )


def test_a_direction_needs_a_crm_field(world: World) -> None:
    conn = new_connection(world)
    refused(
        world,
        lambda: map_fields(world, conn.erp_connection_id, {"LIMIT": ("", True, False)}),
        "choose a SuperOffice field before choosing a sync direction",
    )


def test_read_only_erp_fields_cannot_sync_to_the_erp(world: World) -> None:
    conn = new_connection(world)
    refused(
        world,
        lambda: map_fields(world, conn.erp_connection_id, {"CUSTID": ("contact.udef.discount", False, True)}),
        "read-only in the ERP system",
    )
    map_fields(
        world, conn.erp_connection_id, {"CUSTID": ("contact.udef.discount", True, False)}
    )  # to CRM is fine


def test_the_crm_field_must_exist_for_the_actors_entity(world: World) -> None:
    conn = new_connection(world)
    refused(
        world,
        lambda: map_fields(world, conn.erp_connection_id, {"NAME": ("person.firstname", True, False)}),
        "'person.firstname' does not exist for Contact",
    )
    refused(
        world,
        lambda: map_fields(world, conn.erp_connection_id, {"NAME": ("contact.nickname", False, False)}),
        "'contact.nickname' does not exist",
    )


def test_read_only_crm_fields_cannot_receive_values(world: World) -> None:
    conn = new_connection(world)
    refused(
        world,
        lambda: map_fields(world, conn.erp_connection_id, {"CUSTID": ("contact.id", True, False)}),
        "'contact.id' is read-only",
    )


def test_only_the_documented_type_rule_is_refused(world: World) -> None:
    conn = new_connection(world)
    c = conn.erp_connection_id
    # "if you have a checkbox field, you can't have bi-directional sync to a text field"
    refused(
        world,
        lambda: map_fields(world, c, {"BLOCKED": ("contact.udef.erp_note", True, True)}),
        "a Checkbox ERP field and a Text CRM field cannot synchronise both ways",
    )
    map_fields(world, c, {"BLOCKED": ("contact.udef.erp_note", True, False)})  # checkbox as text, to CRM only
    # syncspec's own matrix (SS304) is a validate error, not a tenant refusal.
    map_fields(world, c, {"NOTE": ("contact.udef.blocked", True, False)})
    map_fields(
        world, c, {"LIMIT": ("contact.udef.discount", True, True), "GRADE": ("contact.category", True, True)}
    )


@pytest.mark.parametrize(
    "elsewhere", [(True, False), (True, True), (False, True)], ids=["to-crm", "both", "to-erp"]
)
def test_a_field_mapped_in_another_connection_cannot_be_one_way_to_crm_here(
    world: World, elsewhere: tuple[bool, bool]
) -> None:
    # AlreadyMapped: "already mapped in some other connection? If so, then it cannot be one-way
    # mapped TO SuperOffice here", whatever the direction there.
    first = new_connection(world, "first")
    second = new_connection(world, "second")
    map_fields(world, first.erp_connection_id, {"email": ("contact.email", *elsewhere)})
    refused(
        world,
        lambda: map_fields(world, second.erp_connection_id, {"email": ("contact.email", True, False)}),
        "is already mapped in another ERP connection",
    )
    shown = world.agent.get_actor_type_mapping(second.erp_connection_id, ErpActorType.CUSTOMER)
    assert next(f for f in shown.field_mappings if f.erp_field_key == "email").already_mapped
    map_fields(
        world, second.erp_connection_id, {"email": ("contact.email", True, True)}
    )  # both ways is allowed


def test_a_field_mapped_elsewhere_without_a_direction_does_not_block(world: World) -> None:
    first = new_connection(world, "first")
    second = new_connection(world, "second")
    map_fields(world, first.erp_connection_id, {"email": ("contact.email", False, False)})
    map_fields(world, second.erp_connection_id, {"email": ("contact.email", True, False)})


def test_a_direction_on_a_field_the_erp_dropped_is_not_refused(world: World) -> None:
    # MissingInERP says only that the field should be unmapped: validate reports it (SS302).
    conn = new_connection(world)
    world.mini.fields["Customer"] = [f for f in world.mini.fields["Customer"] if f.field_key != "NOTE"]
    world.agent.update_connection_fields(conn.erp_connection_id)
    map_fields(world, conn.erp_connection_id, {"NOTE": ("contact.udef.erp_note", True, False)})


def test_every_problem_is_reported_and_none_written(world: World) -> None:
    conn = new_connection(world)
    read = world.agent.get_actor_type_mapping(conn.erp_connection_id, ErpActorType.CUSTOMER)
    rows = {f.erp_field_key: f for f in read.field_mappings}
    bad = read.model_copy(
        update={
            "is_active": True,
            "field_mappings": [
                rows["NAME"].model_copy(update={"crm_field_key": "contact.name", "sync_to_crm": True}),
                rows["LIMIT"].model_copy(update={"sync_to_erp": True}),
                rows["NAME"],
            ],
        }
    )
    error = refused(world, lambda: world.agent.save_actor_type_mapping(bad), "(and 1 more)")
    assert len(error.reasons) == 2 and "listed twice" in error.reasons[1]


def test_an_erp_field_id_of_zero_never_duplicates_a_row(world: World) -> None:
    # SaveActorTypeMapping creates "new mapping rows ... if needed": id 0 asks for a new row,
    # which UNIQUE(ErpConnectionActorTypeId, ErpFieldKey) forbids for a field the actor has.
    conn = new_connection(world)
    blank = ErpSyncActorTypeMapping(
        erp_connection_id=conn.erp_connection_id,
        actor_type_erp=ErpActorType.CUSTOMER,
        actor_type_crm=CrmActorType.CONTACT,
        field_mappings=[ErpSyncFieldMapping(erp_field_key="NAME", crm_field_key="contact.name")],
    )
    refused(world, lambda: world.agent.save_actor_type_mapping(blank), "ErpFieldId 0 asks for a new row")
    keys = [
        f.erp_field_key
        for f in world.agent.get_actor_type_mapping(
            conn.erp_connection_id, ErpActorType.CUSTOMER
        ).field_mappings
    ]
    assert len(keys) == len(set(keys))


def test_a_save_stores_field_type_access_and_the_crm_actor_type_as_sent(world: World) -> None:
    # Only display names and tooltips are documented as ignored on save.
    conn = new_connection(world)
    read = world.agent.get_actor_type_mapping(conn.erp_connection_id, ErpActorType.CUSTOMER)
    limit = next(f for f in read.field_mappings if f.erp_field_key == "LIMIT")
    assert limit.field_type is not FieldMetadataType.TEXT
    sent = limit.model_copy(update={"field_type": FieldMetadataType.TEXT, "erp_display_name": "ignored"})
    saved = world.agent.save_actor_type_mapping(
        read.model_copy(update={"field_mappings": [sent], "actor_type_crm": CrmActorType.PERSON})
    )
    stored = next(f for f in saved.field_mappings if f.erp_field_key == "LIMIT")
    assert stored.field_type is FieldMetadataType.TEXT
    assert stored.erp_display_name == limit.erp_display_name
    assert saved.actor_type_crm is CrmActorType.PERSON
