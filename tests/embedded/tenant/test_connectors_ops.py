from __future__ import annotations

from syncspec.model.enums import ErpSyncResponseCode
from syncspec.targets.carriers import ErpSyncConnectorEntity
from tests.embedded.tenant.conftest import World, new_connection, refused


def test_save_creates_with_id_zero_and_updates_by_id(world: World) -> None:
    created = world.agent.save_erp_sync_connector_entity(
        ErpSyncConnectorEntity(display_name="x", URL="plugin://x")
    )
    assert created.erp_connector_id > world.connector_id
    created.display_name = "renamed"
    updated = world.agent.save_erp_sync_connector_entity(created)
    assert updated.erp_connector_id == created.erp_connector_id
    assert [c.name for c in world.agent.get_all_connectors()] == ["mini", "renamed"]
    assert world.agent.get_erp_sync_connector_entity(created.erp_connector_id).display_name == "renamed"


def test_connector_needs_name_and_url(world: World) -> None:
    refused(
        world,
        lambda: world.agent.save_erp_sync_connector_entity(ErpSyncConnectorEntity(URL="plugin://x")),
        "needs a name",
    )
    refused(
        world,
        lambda: world.agent.save_erp_sync_connector_entity(ErpSyncConnectorEntity(display_name="x")),
        "needs a URL",
    )


def test_unknown_connector_is_not_found(world: World) -> None:
    assert world.agent.can_delete_erp_sync_connector_entity(99) is ErpSyncResponseCode.ERROR_NOT_FOUND
    error = refused(world, lambda: world.agent.delete_erp_sync_connector_entity(99), "does not exist")
    assert error.error_code == "ErrorNotFound"
    refused(world, lambda: world.agent.get_erp_sync_connector_entity(99), "does not exist")


def test_connector_with_connections_cannot_be_deleted_until_they_are(world: World) -> None:
    conn = new_connection(world)
    assert (
        world.agent.can_delete_erp_sync_connector_entity(world.connector_id)
        is ErpSyncResponseCode.ERROR_CONNECTOR_HAS_CONNECTIONS
    )
    error = refused(
        world,
        lambda: world.agent.delete_erp_sync_connector_entity(world.connector_id),
        "still has ERP connections",
    )
    assert error.error_code == "ErrorConnectorHasConnections"
    entity = world.agent.get_erp_sync_connector_entity(world.connector_id)
    entity.deleted = True
    refused(world, lambda: world.agent.save_erp_sync_connector_entity(entity), "still has ERP connections")
    world.agent.delete_connection(conn.erp_connection_id)
    assert (
        world.agent.can_delete_erp_sync_connector_entity(world.connector_id) is ErpSyncResponseCode.NO_ERROR
    )
    world.agent.delete_erp_sync_connector_entity(world.connector_id)
    assert world.agent.get_all_connectors() == []
    assert world.agent.get_erp_sync_connector_entity(world.connector_id).deleted  # soft: the row stays


def test_configuration_fields_come_from_the_connector(world: World) -> None:
    fields = world.agent.get_configuration_fields(world.connector_id)
    assert [(f.field_key, f.field_type.value, f.access.value) for f in fields] == [
        ("host", "Text", "Mandatory"),
        ("token", "Password", "Mandatory"),
        ("region", "Text", "Normal"),
    ]


def test_a_connector_url_nothing_serves_is_refused_on_use(world: World) -> None:
    entity = world.agent.save_erp_sync_connector_entity(
        ErpSyncConnectorEntity(display_name="gone", URL="plugin://nowhere")
    )
    refused(world, lambda: world.agent.get_configuration_fields(entity.erp_connector_id), "was not found")


def test_a_new_entity_starts_from_the_defaults_and_stores_nothing(world: World) -> None:
    before = world.agent.get_all_connectors()
    entity = world.agent.create_default_erp_sync_connector_entity()
    assert (entity.erp_connector_id, entity.display_name, entity.url, entity.deleted) == (0, "", "", False)
    assert world.agent.get_all_connectors() == before


def test_connector_url_test_says_whether_a_connector_answers(world: World) -> None:
    url = world.agent.get_erp_sync_connector_entity(world.connector_id).url
    assert world.agent.test_connector_url(url) is ErpSyncResponseCode.NO_ERROR
    assert world.agent.test_connector_url("plugin://nothing-here") is ErpSyncResponseCode.ERROR_NOT_FOUND
    assert world.agent.test_connector_url("not a url") is ErpSyncResponseCode.ERROR_NOT_FOUND
