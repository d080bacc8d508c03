"""The read cache under concurrency: a fresh read (or a write's invalidation) never pulls an
entry out from under another thread's read, and a read that began before a write never
leaves its pre-write answer in the cache."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from syncspec.embedded.tenant import InProcessAgent
from syncspec.model.live import LiveDefault
from syncspec.targets.agent_target import AgentTarget
from syncspec.targets.reads import AgentReads
from tests.targets.conftest import CUSTOMER, Seeded


class HookedAgent:
    """A real InProcessAgent; after `get_erp_field_rows(connection)` answers, `hook(connection)` runs.

    The hook runs on the reading thread between the agent's answer and the cache's store:
    exactly where another thread's invalidation can land.
    """

    def __init__(self, inner: InProcessAgent) -> None:
        self.inner = inner
        self.hook: Callable[[int], None] = lambda field_id: None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def get_erp_field_rows(self, connection_id: int) -> Any:
        answer = self.inner.get_erp_field_rows(connection_id)
        self.hook(connection_id)
        return answer


def _field_ids(seeded: Seeded) -> list[int]:
    mapping = seeded.agent.get_actor_type_mapping(seeded.norway, CUSTOMER)
    return [f.erp_field_id for f in mapping.field_mappings]


def test_a_fresh_read_during_a_rows_read_does_not_lose_its_entries(seeded: Seeded) -> None:
    agent = HookedAgent(seeded.agent)
    reads = AgentReads(agent, parallelism=1)  # type: ignore[arg-type]
    ids = _field_ids(seeded)
    assert len(ids) > 2
    fresh_reads: list[BaseException] = []

    def another_threads_fresh_read(connection_id: int) -> None:
        agent.hook = lambda _cid: None  # once
        # another thread's `read_live(fresh=True)` lands between the answer and the cache
        worker = threading.Thread(target=lambda: _catch(reads.forget_all, fresh_reads))
        worker.start()
        worker.join(timeout=10)
        assert not worker.is_alive()

    agent.hook = another_threads_fresh_read
    got = reads.erp_fields_by_id(seeded.norway)
    assert set(ids) <= set(got)
    assert all(got[i].id == i for i in ids)
    assert not fresh_reads


def test_a_read_that_began_before_a_write_does_not_cache_the_old_value(seeded: Seeded) -> None:
    agent = HookedAgent(seeded.agent)
    target = AgentTarget(agent, "race")  # type: ignore[arg-type]
    reads: AgentReads = target._reads
    field_id = _field_ids(seeded)[0]
    wanted = LiveDefault(has_value=True, value="written-meanwhile", prompt=False, mandatory=False)
    writes: list[BaseException] = []

    def write_meanwhile(_connection_id: int) -> None:
        agent.hook = lambda _cid: None  # once
        fid = field_id
        # the write (and its invalidation) completes on another thread while our read is in flight
        worker = threading.Thread(
            target=lambda: _catch(lambda: target.save_default(seeded.norway, fid, wanted), writes)
        )
        worker.start()
        worker.join(timeout=10)
        assert not worker.is_alive()

    agent.hook = write_meanwhile
    before = reads.erp_fields_by_id(seeded.norway)[field_id]
    assert before.first_sync_default_value != "written-meanwhile"  # the read began before the write
    assert not writes
    after = reads.erp_fields_by_id(seeded.norway)[field_id]
    assert after.first_sync_default_value == "written-meanwhile"


def test_threads_reading_rows_while_others_read_fresh_all_succeed(seeded: Seeded) -> None:
    agent = HookedAgent(seeded.agent)
    target = AgentTarget(agent, "race", parallelism=4)  # type: ignore[arg-type]
    reads: AgentReads = target._reads
    ids = _field_ids(seeded)
    errors: list[BaseException] = []
    stop = threading.Event()

    def readers() -> None:
        for _ in range(60):
            got = reads.erp_fields_by_id(seeded.norway)
            assert set(ids) <= set(got)

    def fresh() -> None:
        for round_ in range(400):
            if stop.is_set():
                return
            if round_ % 50 == 0:
                target.read_live(fresh=True)
            else:
                reads.forget_all()

    threads = [threading.Thread(target=lambda: _catch(readers, errors)) for _ in range(3)]
    threads.append(threading.Thread(target=lambda: _catch(fresh, errors)))
    for thread in threads:
        thread.start()
    for thread in threads[:3]:
        thread.join(timeout=120)
    stop.set()
    threads[3].join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert not errors, repr(errors[0])


def test_concurrent_readers_of_one_key_share_one_agent_call(seeded: Seeded) -> None:
    agent = HookedAgent(seeded.agent)
    reads = AgentReads(agent, parallelism=1)  # type: ignore[arg-type]
    errors: list[BaseException] = []

    def second_reader_arrives(cid: int) -> None:
        agent.hook = lambda _cid: None
        # a second thread asks for the same key while the first one's call is in flight
        worker = threading.Thread(target=lambda: _catch(lambda: reads.erp_field_rows(cid), errors))
        worker.start()
        worker.join(timeout=0.2)  # it waits for our answer instead of calling the agent
        holder.append(worker)

    holder: list[threading.Thread] = []
    agent.hook = second_reader_arrives
    reads.erp_field_rows(seeded.norway)
    holder[0].join(timeout=10)
    assert not holder[0].is_alive()
    assert not errors
    assert reads.call_counts["get_erp_field_rows"] == 1


def _catch(fn: Callable[[], object], into: list[BaseException]) -> None:
    try:
        fn()
    except BaseException as exc:  # reported by the test's assert
        into.append(exc)
