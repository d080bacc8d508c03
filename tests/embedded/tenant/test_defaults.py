from __future__ import annotations

from syncspec.targets.carriers import ErpSyncDefaultValue
from tests.embedded.tenant.conftest import World, field_id, new_connection, refused


def _save(world: World, fid: int, **kw: object) -> ErpSyncDefaultValue:
    """Read-modify-write, as a client should: everything not in `kw` is sent as stored."""
    current = world.agent.get_default_value_info(fid)
    return world.agent.save_default_value_info(current.model_copy(update=kw))


def test_default_round_trip(world: World) -> None:
    conn = new_connection(world)
    fid = field_id(world, conn.erp_connection_id, "LIMIT")
    saved = _save(
        world,
        fid,
        has_first_sync_default_value=True,
        first_sync_default_value="[F:1000.5]",
        prompt_user=True,
        mandatory=True,
    )
    assert (saved.first_sync_default_value, saved.prompt_user, saved.mandatory) == ("[F:1000.5]", True, True)
    assert world.agent.get_default_value_info(fid) == saved


def test_mandatory_needs_a_value_or_a_prompt(world: World) -> None:
    conn = new_connection(world)
    fid = field_id(world, conn.erp_connection_id, "LIMIT")
    refused(world, lambda: _save(world, fid, mandatory=True), "must also choose 'Set default value'")


def test_connector_mandatory_fields_are_always_mandatory(world: World) -> None:
    conn = new_connection(world)
    fid = field_id(world, conn.erp_connection_id, "NAME")
    assert world.agent.get_default_value_info(fid).mandatory
    refused(world, lambda: _save(world, fid), "must also choose")
    assert _save(world, fid, prompt_user=True, mandatory=False).mandatory


def test_a_set_default_needs_a_valid_value(world: World) -> None:
    conn = new_connection(world)
    c = conn.erp_connection_id
    refused(
        world,
        lambda: _save(world, field_id(world, c, "LIMIT"), has_first_sync_default_value=True),
        "'Set default value' needs a value",
    )
    refused(
        world,
        lambda: _save(
            world,
            field_id(world, c, "LIMIT"),
            has_first_sync_default_value=True,
            first_sync_default_value="lots",
        ),
        "not valid",
        "Double",
    )
    refused(
        world,
        lambda: _save(
            world,
            field_id(world, c, "SINCE"),
            has_first_sync_default_value=True,
            first_sync_default_value="31.12.2024",
        ),
        "Date",
    )
    refused(
        world,
        lambda: _save(
            world,
            field_id(world, c, "NOTE"),
            has_first_sync_default_value=True,
            first_sync_default_value="far too long for ten",
        ),
        "longer than",
    )
    _save(
        world,
        field_id(world, c, "BLOCKED"),
        has_first_sync_default_value=True,
        first_sync_default_value="[I:1]",
    )


def test_a_list_default_must_be_an_erp_item_key(world: World) -> None:
    conn = new_connection(world)
    fid = field_id(world, conn.erp_connection_id, "GRADE")
    refused(
        world,
        lambda: _save(world, fid, has_first_sync_default_value=True, first_sync_default_value="Gold"),
        "key of an item in the ERP list 'grade'",
    )
    assert _save(
        world, fid, has_first_sync_default_value=True, first_sync_default_value="A"
    ).has_first_sync_default_value


def test_unknown_field_is_not_found(world: World) -> None:
    error = refused(world, lambda: world.agent.get_default_value_info(4242), "does not exist")
    assert error.error_code == "ErrorNotFound"


def test_a_save_stores_the_connectors_default_and_the_field_description_as_sent(world: World) -> None:
    # DefaultValue is "stored using CultureDataFormatter format": a save that blanks it loses it.
    c = new_connection(world).erp_connection_id
    fid = field_id(world, c, "LIMIT")
    read = world.agent.get_default_value_info(fid)
    saved = world.agent.save_default_value_info(read.model_copy(update={"default_value": "[F:2.5]"}))
    assert saved.default_value == "[F:2.5]"
    blank = ErpSyncDefaultValue(erp_field_id=fid, erp_field_key="LIMIT", prompt_user=True)
    saved = world.agent.save_default_value_info(blank)
    assert (saved.default_value, saved.field_type.value) == ("", "Text")


def test_a_default_for_another_key_is_refused(world: World) -> None:
    c = new_connection(world).erp_connection_id
    fid = field_id(world, c, "LIMIT")
    refused(
        world,
        lambda: world.agent.save_default_value_info(ErpSyncDefaultValue(erp_field_id=fid, prompt_user=True)),
        "is the ERP field 'LIMIT', not ''",
    )
