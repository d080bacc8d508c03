from __future__ import annotations

from tests.embedded.tenant.conftest import World, new_connection, refused
from tests.support.reads import sync_priorities


def test_priorities_list_every_connection_and_unlisted_ones_keep_their_order(world: World) -> None:
    a, b, c, d = (new_connection(world, n).erp_connection_id for n in "abcd")
    assert sync_priorities(world.agent) == [a, b, c, d]
    assert world.agent.save_erp_connection_sync_priorities([c, a])
    assert sync_priorities(world.agent) == [c, a, b, d]
    world.agent.delete_connection(a)
    assert sync_priorities(world.agent) == [c, b, d]
    e = new_connection(world, "e").erp_connection_id
    assert sync_priorities(world.agent) == [c, b, d, e]


def test_unknown_deleted_or_repeated_ids_are_refused(world: World) -> None:
    a, b = (new_connection(world, n).erp_connection_id for n in "ab")
    refused(world, lambda: world.agent.save_erp_connection_sync_priorities([a, 99]), "99 does not exist")
    refused(world, lambda: world.agent.save_erp_connection_sync_priorities([a, b, a]), "listed twice")
    world.agent.delete_connection(b)
    refused(world, lambda: world.agent.save_erp_connection_sync_priorities([b]), "does not exist")
