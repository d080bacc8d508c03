"""Counted, cached reads over an ErpSyncAgent: every read happens at most once per cache lifetime.

Live-state and metadata reads share one `AgentReads`, so a plan that needs both pays
for each agent call once. Writes invalidate what they may have changed (see
`AgentReads.forget_connection`), so a read after a write is fresh.

Concurrency: the cache maps each key to an `_Entry` that is filled once, under the
entry's own lock, by the first reader (later readers of the same key wait for that
answer instead of calling the agent again). Invalidation only unlinks entries from the
map: a reader already holding an entry still gets its answer, and an answer fetched
before an invalidation lands in an unlinked entry, never in the cache later readers see.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from syncspec.model.enums import ErpActorType
from syncspec.model.errors import AgentError
from syncspec.targets.agent import ErpSyncAgent
from syncspec.targets.carriers import (
    ConnectorListItem,
    CrmField,
    CrmList,
    ErpConnection,
    ErpConnectionListMappingContainer,
    ErpFieldRank,
    ErpListItem,
    ErpSyncActorTypeMapping,
    ErpSyncConnectorEntity,
    ErpSyncDefaultValue,
    ErpSyncEngineStatus,
    FieldMetadata,
    MDOListItem,
)

T = TypeVar("T")

# The actor types ErpSync supports; SuperOffice has no "which actor types does this
# connection have" read in the agent, so each one is asked for (see `actor_mapping`).
SYNCABLE_ACTORS: tuple[ErpActorType, ...] = (
    ErpActorType.CUSTOMER,
    ErpActorType.SUPPLIER,
    ErpActorType.PARTNER,
    ErpActorType.PERSON,
    ErpActorType.PROJECT,
)


class AgentReads:
    """The agent's read methods, each call counted in `call_counts` and its answer cached."""

    def __init__(self, agent: ErpSyncAgent, *, parallelism: int = 8) -> None:
        if parallelism < 1:
            raise ValueError("parallelism must be at least 1")
        self.agent = agent
        self.parallelism = parallelism
        self.call_counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        # key: (method, *args); the connection id, when there is one, is always args[0]
        self._cache: dict[tuple[Hashable, ...], _Entry] = {}
        # ERP field id -> connection id, learnt from actor mappings, so a write to one
        # connection forgets only that connection's cached defaults
        self._field_connection: dict[int, int] = {}

    # --- plumbing ------------------------------------------------------------------
    def call(self, method: str, fn: Callable[..., T], *args: Any) -> T:
        """Call the agent (uncached) and count it; writes use this too."""
        with self._lock:
            self.call_counts[method] += 1
        return fn(*args)

    def _cached(self, method: str, *args: Hashable) -> Any:
        return self._read_once((method, *args), lambda: self.call(method, getattr(self.agent, method), *args))

    def _read_once(self, key: tuple[Hashable, ...], fetch: Callable[[], Any]) -> Any:
        """The cached answer for `key`, fetching it (once, whoever asks) when there is none."""
        with self._lock:
            entry = self._cache.get(key)
            if entry is None:
                entry = self._cache[key] = _Entry()
        # The map lock is never held while an entry's lock is taken, so a slow agent call
        # blocks only the readers of that one key.
        with entry.lock:
            if not entry.filled:
                entry.value = fetch()  # an exception leaves the entry empty: the next reader retries
                entry.filled = True
            return entry.value

    def forget_all(self) -> None:
        with self._lock:
            self._cache.clear()

    def forget_connection(self, connection_id: int) -> None:
        """Drop what a write to one connection may have changed, plus the connection lists."""
        per_connection = {
            "get_connection",
            "get_actor_type_mapping",
            "get_erp_field_ranks",
            "get_connection_list_mappings",
            "get_erp_list_items",
        }
        global_lists = {"get_all_connections", "get_erp_connection_sync_priorities"}
        with self._lock:
            for key in list(self._cache):
                method = key[0]
                if (
                    method in global_lists
                    or (method in per_connection and key[1] == connection_id)
                    or (
                        method == "get_default_value_info"
                        and isinstance(key[1], int)
                        and self._field_connection.get(key[1]) == connection_id
                    )
                ):
                    del self._cache[key]

    def forget_default(self, field_id: int) -> None:
        with self._lock:
            self._cache.pop(("get_default_value_info", field_id), None)

    def forget_priorities(self) -> None:
        with self._lock:
            self._cache.pop(("get_erp_connection_sync_priorities",), None)

    def forget_connectors(self) -> None:
        with self._lock:
            for key in list(self._cache):
                if key[0] in {
                    "get_all_connectors",
                    "get_erp_sync_connector_entity",
                    "get_configuration_fields",
                }:
                    del self._cache[key]

    # --- connectors ---------------------------------------------------------------
    def connectors(self) -> list[ConnectorListItem]:
        result: list[ConnectorListItem] = self._cached("get_all_connectors")
        return result

    def connector_entity(self, connector_id: int) -> ErpSyncConnectorEntity:
        result: ErpSyncConnectorEntity = self._cached("get_erp_sync_connector_entity", connector_id)
        return result

    def configuration_fields(self, connector_id: int) -> list[FieldMetadata]:
        result: list[FieldMetadata] = self._cached("get_configuration_fields", connector_id)
        return result

    # --- connections ----------------------------------------------------------------
    def connections(self) -> list[ErpConnection]:
        result: list[ErpConnection] = self._cached("get_all_connections", False)
        return result

    def connection(self, connection_id: int) -> ErpConnection:
        result: ErpConnection = self._cached("get_connection", connection_id)
        return result

    def sync_priorities(self) -> list[int]:
        result: list[int] = self._cached("get_erp_connection_sync_priorities")
        return result

    # --- mappings -------------------------------------------------------------------
    def actor_mapping(self, connection_id: int, actor: ErpActorType) -> ErpSyncActorTypeMapping | None:
        """The actor type's mapping, or None when the connection does not offer that actor type."""

        def fetch() -> ErpSyncActorTypeMapping | None:
            try:
                mapping: ErpSyncActorTypeMapping | None = self.call(
                    "get_actor_type_mapping", self.agent.get_actor_type_mapping, connection_id, actor
                )
            except AgentError:
                return None  # the tenant refuses actor types the connector does not offer
            if mapping is not None and not mapping.field_mappings and not mapping.is_active:
                return None  # an empty, inactive mapping is how some tenants say "not offered"
            with self._lock:
                for field in mapping.field_mappings if mapping is not None else ():
                    self._field_connection[field.erp_field_id] = connection_id
            return mapping

        found: ErpSyncActorTypeMapping | None = self._read_once(
            ("get_actor_type_mapping", connection_id, actor), fetch
        )
        return found

    def actor_mappings(self, connection_id: int) -> dict[ErpActorType, ErpSyncActorTypeMapping]:
        found = {actor: self.actor_mapping(connection_id, actor) for actor in SYNCABLE_ACTORS}
        return {actor: mapping for actor, mapping in found.items() if mapping is not None}

    def field_ranks(self, connection_id: int, actor: ErpActorType) -> list[ErpFieldRank]:
        result: list[ErpFieldRank] = self._cached("get_erp_field_ranks", connection_id, actor)
        return result

    def list_mappings(self, connection_id: int) -> ErpConnectionListMappingContainer:
        result: ErpConnectionListMappingContainer = self._cached(
            "get_connection_list_mappings", connection_id
        )
        return result

    def erp_list_items(self, connection_id: int, list_name: str) -> list[ErpListItem]:
        result: list[ErpListItem] = self._cached("get_erp_list_items", connection_id, list_name)
        return result

    def erp_list_items_if_offered(self, connection_id: int, list_name: str) -> list[ErpListItem] | None:
        """Like `erp_list_items`, but a refusal is an answer too (None), cached like any other."""

        def fetch() -> list[ErpListItem] | None:
            try:
                items: list[ErpListItem] = self.call(
                    "get_erp_list_items", self.agent.get_erp_list_items, connection_id, list_name
                )
            except AgentError:
                return None
            return items

        found: list[ErpListItem] | None = self._read_once(
            ("get_erp_list_items", connection_id, list_name), fetch
        )
        return found

    def defaults(self, field_ids: Iterable[int]) -> dict[int, ErpSyncDefaultValue]:
        """Every field's default; SuperOffice reads them one field at a time, so in a bounded pool."""
        wanted = list(dict.fromkeys(field_ids))
        with self._lock:
            missing = [fid for fid in wanted if not _filled(self._cache.get(("get_default_value_info", fid)))]

        def one(fid: int) -> ErpSyncDefaultValue:
            value: ErpSyncDefaultValue = self._cached("get_default_value_info", fid)
            return value

        # Answers are collected as they are read, never looked up again afterwards: another
        # thread's fresh read may have emptied the cache in between.
        if len(missing) > 1 and self.parallelism > 1:
            with ThreadPoolExecutor(max_workers=min(self.parallelism, len(missing))) as pool:
                return dict(zip(wanted, pool.map(one, wanted), strict=True))
        return {fid: one(fid) for fid in wanted}

    # --- CRM side, users and groups -------------------------------------------------
    def crm_fields(self) -> list[CrmField]:
        result: list[CrmField] = self._cached("get_crm_fields")
        return result

    def crm_lists(self) -> list[CrmList]:
        result: list[CrmList] = self._cached("get_crm_lists")
        return result

    def associates(self) -> list[MDOListItem]:
        result: list[MDOListItem] = self._cached("get_associates")
        return result

    def user_groups(self) -> list[MDOListItem]:
        result: list[MDOListItem] = self._cached("get_user_groups")
        return result

    # --- the sync engine ------------------------------------------------------------
    def engine_status(self) -> ErpSyncEngineStatus:
        result: ErpSyncEngineStatus = self._cached("get_engine_status")
        return result

    def forget_engine(self) -> None:
        with self._lock:
            self._cache.pop(("get_engine_status",), None)


class _Entry:
    """One cache slot: filled once, under its own lock, by the first reader of its key."""

    __slots__ = ("filled", "lock", "value")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.filled = False
        self.value: Any = None


def _filled(entry: _Entry | None) -> bool:
    return entry is not None and entry.filled
