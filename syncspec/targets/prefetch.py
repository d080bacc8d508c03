"""Ask a tenant's reads side by side before the live state or the metadata is assembled.

Assembling walks connection after connection, read after read; over a network each read is
a round trip, so a walk of N connections took N x 8 round trips. Prefetching asks the same
reads first, at most `parallelism` at once (the REST agent bounds the requests in flight to
the same number), and fills `AgentReads`' cache; the walk then finds every answer there.
It asks nothing the walk would not: the same methods with the same arguments, each once.
A read that fails raises here, as it would have in the walk.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from syncspec.model.errors import AgentError
from syncspec.targets.carriers import ErpConnection
from syncspec.targets.reads import AgentReads

Read = Callable[[], Any]


def prefetch(
    reads: AgentReads, *, connections: Collection[str] | None, live: bool, metadata: bool, crm_fields: bool
) -> None:
    """Fill the cache for a read of `connections` (None: all): what `read_live_state` asks when
    `live`, what `read_metadata` asks when `metadata` (`crm_fields`: without embedded facts)."""
    if reads.parallelism <= 1:
        return  # a tenant that serialises its calls: the walk is as fast
    if connections is not None and len(connections) <= 1:
        # an apply unit's read of its own connection: its lists would be asked again by the
        # walk whenever another unit's write dropped them in between, for a gain of a few
        # round trips
        return
    with ThreadPoolExecutor(max_workers=reads.parallelism, thread_name_prefix="syncspec-read") as pool:
        _all(pool, _tenant_reads(reads, live=live, metadata=metadata, crm_fields=crm_fields))
        chosen = _chosen(reads, connections)
        wanted = [c.erp_connection_id for c in chosen]
        first: list[Read] = [_bind(reads.connector_entity, c.id) for c in reads.connectors()]
        # config field types: of the connectors the chosen connections use (the walk asks the
        # rest, if any, itself)
        first += [_bind(reads.configuration_fields, i) for i in sorted({c.erp_connector_id for c in chosen})]
        first += [read for cid in wanted for read in _connection_reads(reads, cid, live=live)]
        _all(pool, first)
        # the actor types come from the summaries read above
        second = [
            _bind2(reads.actor_mapping, cid, actor) for cid in wanted for actor in reads.actor_types(cid)
        ]
        _all(pool, second)


def _tenant_reads(reads: AgentReads, *, live: bool, metadata: bool, crm_fields: bool) -> list[Read]:
    """The tenant-wide reads: connectors and connections always, the rest as asked."""
    tenant: list[Read] = [reads.connectors, reads.connections]
    if live:
        tenant += [reads.sync_priorities, _engine_status(reads)]
    if metadata:
        tenant += [reads.associates, reads.user_groups] + ([reads.crm_fields] if crm_fields else [])
    return tenant


def _connection_reads(reads: AgentReads, connection_id: int, *, live: bool) -> list[Read]:
    """One connection's reads whose arguments are known before any answer."""
    own: list[Read] = [_bind(reads.connection, connection_id)] if live else []
    own += [
        _bind(reads.summary, connection_id),
        _bind(reads.erp_field_rows, connection_id),
        _bind(reads.list_mappings, connection_id),
    ]
    return own


def _chosen(reads: AgentReads, connections: Collection[str] | None) -> list[ErpConnection]:
    """The live connections a read of `connections` (None: all) describes."""
    return [
        c
        for c in reads.connections()
        if not c.deleted and (connections is None or c.display_name in connections)
    ]


def _engine_status(reads: AgentReads) -> Read:
    def read() -> Any:
        try:
            return reads.engine_status()
        except AgentError:
            return None  # a tenant may refuse to say; the walk reads it again and allows that

    return read


def _all(pool: ThreadPoolExecutor, work: Iterable[Read]) -> None:
    futures = [pool.submit(read) for read in work]
    for future in futures:
        future.result()  # the first failure raises, after the others ran (the pool waits for them)


def _bind(read: Callable[[int], Any], value: int) -> Read:
    return lambda: read(value)


def _bind2(read: Callable[[int, Any], Any], first: int, second: Any) -> Read:
    return lambda: read(first, second)
