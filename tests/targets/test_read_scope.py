"""What a scoped fresh read, a write and a metadata read after it ask the tenant again.

The applier leans on these: a unit's fresh read of its own connection, the stale check's
read of the fingerprinted connections, and the follow-up plan of a created connection
must not read every other connection again (that made `apply` quadratic in connections).
"""

from __future__ import annotations

from collections.abc import Callable

from syncspec.targets.agent_target import AgentTarget
from syncspec.targets.base import FieldMappingValue
from tests.targets.conftest import CUSTOMER, Seeded
from tests.targets.recording import RecordingAgent


def recording(seeded: Seeded) -> tuple[AgentTarget, RecordingAgent]:
    agent = RecordingAgent(seeded.agent)
    return AgentTarget(agent, "local:test", parallelism=1), agent


def after_full_read(seeded: Seeded) -> tuple[AgentTarget, RecordingAgent]:
    target, agent = recording(seeded)
    target.read_live()
    target.read_metadata()
    agent.take()
    return target, agent


def test_a_scoped_fresh_read_asks_again_only_for_its_connections(seeded: Seeded) -> None:
    target, agent = after_full_read(seeded)
    live = target.read_live(connections=["visma-norway"], fresh=True)
    per_connection, calls = agent.take()
    assert set(per_connection) == {seeded.norway}
    assert calls["get_all_connections"] == 1  # the list around it is fresh too
    assert calls["get_all_connectors"] == 0  # connectors stay cached
    assert set(live.connections) == {"visma-norway"}


def test_a_scoped_fresh_read_sees_a_change_made_behind_the_cache(seeded: Seeded) -> None:
    target, _ = after_full_read(seeded)
    other = AgentTarget(seeded.agent, "local:test", parallelism=1)
    other.save_connection(
        name="visma-norway",
        connector_id=seeded.connector_id,
        description="changed elsewhere",
        access=target.read_live().connections["visma-norway"].access,
        config={},
        existing_id=seeded.norway,
    )
    assert target.read_live().connections["visma-norway"].description == "Demo Norge AS"  # cached
    fresh = target.read_live(connections=["visma-norway"], fresh=True)
    assert fresh.connections["visma-norway"].description == "changed elsewhere"


def test_an_unscoped_fresh_read_reads_everything_again(seeded: Seeded) -> None:
    target, agent = after_full_read(seeded)
    target.read_live(fresh=True)
    per_connection, calls = agent.take()
    assert set(per_connection) == {seeded.norway, seeded.sweden}
    assert calls["get_all_connectors"] == 1


def test_metadata_after_a_write_reads_only_the_written_connection(seeded: Seeded) -> None:
    """What the follow-up plan of a created connection does: metadata, without a fresh read."""
    target, agent = after_full_read(seeded)
    target.save_actor_mapping(
        seeded.sweden, CUSTOMER, sync=True, fields={"NAME": FieldMappingValue("contact.name", True, True)}
    )
    agent.take()
    metadata = target.read_metadata()
    per_connection, _ = agent.take()
    assert set(per_connection) == {seeded.sweden}
    assert set(metadata.connections) == {"visma-norway", "visma-sweden"}


def test_nothing_is_read_twice_without_a_write(seeded: Seeded) -> None:
    target, agent = after_full_read(seeded)
    reads: list[Callable[[], object]] = [target.read_live, target.read_metadata]
    for read in reads:
        read()
    per_connection, calls = agent.take()
    assert not per_connection and not calls


def test_scoped_metadata_describes_and_reads_only_the_named_connection(seeded: Seeded) -> None:
    """The follow-up plan of a connection the apply just created reads its metadata like this."""
    target, agent = recording(seeded)
    metadata = target.read_metadata(connections=["visma-sweden"])
    per_connection, _ = agent.take()
    assert set(per_connection) == {seeded.sweden}
    assert set(metadata.connections) == {"visma-sweden"}
