from __future__ import annotations

import uuid
from pathlib import Path

from syncspec.embedded.tenant import InProcessAgent, Tenant
from syncspec.model.enums import ErpActorType
from syncspec.targets.carriers import MASKED_VALUE, ErpConnection, ErpSyncConnectorEntity
from tests.embedded.tenant.conftest import World, map_fields, new_connection, refused
from tests.embedded.tenant.mini_connector import SECRET
from tests.support.reads import field_ranks


def test_create_mints_a_guid_stores_config_and_tells_the_connector(world: World) -> None:
    conn = new_connection(world, region="north")
    assert uuid.UUID(conn.connection_id).version == 4
    assert conn.active is False
    assert world.mini.stored[conn.connection_id] == {"host": "erp.local", "token": SECRET, "region": "north"}
    assert conn.config_fields == {"host": "erp.local", "token": MASKED_VALUE, "region": "north"}
    assert world.agent.get_erp_connection_config_fields(conn.erp_connection_id)["token"] == MASKED_VALUE
    listed = world.agent.get_all_connections(include_deleted=False)
    assert [c.display_name for c in listed] == ["erp-one"] and listed[0].config_fields == {}


def test_save_refused_when_the_connector_rejects_the_config(world: World) -> None:
    bad = ErpConnection(
        erp_connector_id=world.connector_id,
        display_name="x",
        config_fields={"host": "h", "token": "wrong-token-123"},
    )
    error = refused(world, lambda: world.agent.save_connection(bad), "Test ERP connection failed", "rejected")
    assert "wrong-token-123" not in error.message


def test_save_refused_when_a_mandatory_config_field_is_empty(world: World) -> None:
    bad = ErpConnection(
        erp_connector_id=world.connector_id, display_name="x", config_fields={"host": " ", "token": SECRET}
    )
    refused(world, lambda: world.agent.save_connection(bad), "'Host' is mandatory")


def test_unknown_config_keys_and_connectors_are_refused(world: World) -> None:
    bad = ErpConnection(
        erp_connector_id=world.connector_id,
        display_name="x",
        config_fields={"host": "h", "token": SECRET, "colour": "red"},
    )
    refused(world, lambda: world.agent.save_connection(bad), "no configuration field 'colour'")
    orphan = ErpConnection(
        erp_connector_id=42, display_name="x", config_fields={"host": "h", "token": SECRET}
    )
    refused(world, lambda: world.agent.save_connection(orphan), "sync connector 42 does not exist")


def test_masked_value_keeps_the_stored_secret(world: World) -> None:
    conn = new_connection(world)
    conn.config_fields["region"] = "south"
    saved = world.agent.save_connection(conn)  # token still MASKED_VALUE
    assert saved.config_fields["token"] == MASKED_VALUE
    assert world.mini.stored[conn.connection_id]["token"] == SECRET
    assert world.mini.stored[conn.connection_id]["region"] == "south"


def test_masked_value_without_a_stored_secret_is_refused(world: World) -> None:
    bad = ErpConnection(
        erp_connector_id=world.connector_id,
        display_name="x",
        config_fields={"host": "h", "token": MASKED_VALUE},
    )
    refused(world, lambda: world.agent.save_connection(bad), "no stored value")


def _activate(world: World, conn: ErpConnection) -> None:
    map_fields(world, conn.erp_connection_id, {"NAME": ("contact.name", True, True)})
    assert world.agent.toggle_erp_connection_active(conn.erp_connection_id) == []


def test_config_change_on_an_active_connection_is_refused(world: World) -> None:
    conn = new_connection(world)
    _activate(world, conn)
    conn.config_fields["region"] = "west"
    refused(world, lambda: world.agent.save_connection(conn), "deactivate the connection before changing")


def test_name_description_and_access_may_change_while_active(world: World) -> None:
    conn = new_connection(world)
    _activate(world, conn)
    conn = world.agent.get_connection(conn.erp_connection_id)
    conn.display_name, conn.display_description = "renamed", "about"
    conn.all_access, conn.user_group_access_ids, conn.associate_access_ids = False, [1], [2]
    saved = world.agent.save_connection(conn)
    assert (saved.display_name, saved.display_description, saved.active) == ("renamed", "about", True)
    assert (saved.all_access, saved.user_group_access_ids, saved.associate_access_ids) == (False, [1], [2])


def test_a_save_stores_active_guid_and_timestamp_as_sent(world: World) -> None:
    # The least forgiving reading: SuperOffice documents none of these as ignored on save,
    # so a carrier built from scratch instead of read first loses them.
    conn = new_connection(world)
    _activate(world, conn)
    read = world.agent.get_connection(conn.erp_connection_id)
    guid = read.connection_id
    blank = ErpConnection(
        erp_connection_id=conn.erp_connection_id,
        erp_connector_id=world.connector_id,
        display_name="visma",
        config_fields=read.config_fields,
    )
    saved = world.agent.save_connection(blank)
    assert (saved.active, saved.connection_id, saved.most_recent_timestamp) == (False, "", "")
    assert guid
    saved.connection_id, saved.most_recent_timestamp = guid, "20261201T10:00:00"
    again = world.agent.save_connection(saved)
    assert (again.connection_id, again.most_recent_timestamp) == (guid, "20261201T10:00:00")


def test_switching_active_on_through_a_save_needs_what_the_toggle_needs(world: World) -> None:
    conn = new_connection(world)
    # an active Customer mapping that leaves the mandatory NAME without a direction: the toggle refuses
    map_fields(world, conn.erp_connection_id, {"email": ("contact.email", True, True)})
    conn = world.agent.get_connection(conn.erp_connection_id)
    conn.active = True
    refused(world, lambda: world.agent.save_connection(conn), "cannot be activated")


def test_a_guid_cannot_be_shared(world: World) -> None:
    first = new_connection(world, "one")
    second = new_connection(world, "two")
    second.connection_id = first.connection_id
    refused(world, lambda: world.agent.save_connection(second), "GUID is already used")


def test_access_needs_existing_groups_and_users(world: World) -> None:
    conn = new_connection(world)
    conn.all_access = False
    refused(world, lambda: world.agent.save_connection(conn), "at least one user or user group")
    conn.user_group_access_ids = [77]
    refused(world, lambda: world.agent.save_connection(conn), "user group 77 does not exist")
    conn.user_group_access_ids, conn.associate_access_ids = [], [88]
    refused(world, lambda: world.agent.save_connection(conn), "user 88 does not exist")


def test_delete_is_soft_and_tells_the_connector(world: World) -> None:
    conn = new_connection(world)
    world.agent.delete_connection(conn.erp_connection_id)
    assert world.mini.deleted == [conn.connection_id]
    assert world.agent.get_all_connections(include_deleted=False) == []
    assert [c.deleted for c in world.agent.get_all_connections(include_deleted=True)] == [True]
    refused(world, lambda: world.agent.get_connection(conn.erp_connection_id), "does not exist")


def test_test_connection_by_config_and_by_id(world: World) -> None:
    assert world.agent.test_connection_by_config(world.connector_id, {"host": "h", "token": SECRET})
    assert not world.agent.test_connection_by_config(world.connector_id, {"host": "h", "token": "nope"})
    assert not world.agent.test_connection_by_config(world.connector_id, {"token": SECRET})  # host missing
    conn = new_connection(world)
    assert world.agent.test_connection_by_config(conn.erp_connection_id, {"host": "h", "token": MASKED_VALUE})
    assert world.agent.test_connection_by_id(conn.erp_connection_id)
    world.mini.online = False
    assert not world.agent.test_connection_by_id(conn.erp_connection_id)


def test_the_embedded_tenant_tells_why_a_config_test_fails(world: World) -> None:
    explain = world.agent.connection_config_refusal
    assert explain(world.connector_id, {"host": "h", "token": SECRET}) == ""
    assert (
        explain(world.connector_id, {"host": "h", "token": "nope"})
        == "Login failed: the API token was rejected"
    )
    assert "mandatory" in explain(world.connector_id, {"token": SECRET})  # host missing
    conn = new_connection(world)
    world.mini.online = False
    assert (
        explain(conn.erp_connection_id, {"host": "h", "token": MASKED_VALUE})
        == "The ERP server does not answer"
    )


def test_unknown_connection_id_makes_the_tenant_resend_the_config_and_retry(tmp_path: Path) -> None:
    # The demo connector keeps configs in memory: a second open gets a fresh instance that knows nothing.
    path = tmp_path / "t.db"
    with Tenant.create(path) as tenant:
        agent = InProcessAgent(tenant)
        entity = agent.save_erp_sync_connector_entity(
            ErpSyncConnectorEntity(display_name="d", URL="plugin://demo")
        )
        conn = agent.save_connection(
            ErpConnection(
                erp_connector_id=entity.erp_connector_id,
                display_name="demo",
                config_fields={
                    "server": "https://erp.example.com",
                    "client": "1001",
                    "user": "sync",
                    "password": "demo-password",
                },
            )
        )
    with Tenant.open(path) as tenant:
        agent = InProcessAgent(tenant)
        fresh = tenant.connector_for("plugin://demo", "test")
        assert fresh.test_connection(conn.connection_id).error_code == "UNKNOWN_CONNECTION_ID"
        assert agent.test_connection_by_id(conn.erp_connection_id)
        assert fresh.test_connection(conn.connection_id).is_ok  # the config was re-sent
        items = agent.connector_list(conn.erp_connection_id, "country")
        assert items is not None and "NO" in items


def test_update_connection_fields_works_after_the_connector_forgot(world: World, tmp_path: Path) -> None:
    conn = new_connection(world)
    world.mini.stored.clear()
    assert world.agent.update_connection_fields(conn.erp_connection_id)
    assert conn.connection_id in world.mini.stored
    ranks = field_ranks(world.agent, conn.erp_connection_id, ErpActorType.CUSTOMER)
    assert [r.rank for r in ranks] == list(range(1, len(ranks) + 1))


def test_config_fields_are_stored_as_a_whole(world: World) -> None:
    # A client that sends part of the config (GetAllConnections answers none) loses the rest.
    conn = new_connection(world, region="north")
    read = world.agent.get_connection(conn.erp_connection_id)
    assert read.config_fields["region"] == "north"
    saved = world.agent.save_connection(
        read.model_copy(update={"config_fields": {"host": "erp.local", "token": MASKED_VALUE}})
    )
    assert saved.config_fields == {"host": "erp.local", "token": MASKED_VALUE}
    refused(
        world,
        lambda: world.agent.save_connection(saved.model_copy(update={"config_fields": {}})),
        "is mandatory",
    )
