"""Counted, cached reads over a `TenantApi`: every read happens at most once per cache lifetime.

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
from collections.abc import Callable, Collection, Hashable
from typing import Any, TypeVar

from syncspec.model.enums import CrmActorType, ErpActorType
from syncspec.targets.agent import TenantApi
from syncspec.targets.carriers import (
    ConnectorListItem,
    ErpConnection,
    ErpConnectionListMappingContainer,
    ErpSyncActorTypeMapping,
    ErpSyncConnectionSummary,
    ErpSyncConnectorEntity,
    ErpSyncEngineStatus,
    FieldMetadata,
    MDOListItem,
)
from syncspec.targets.lists import (
    ASSOCIATE_LIST,
    BY_RANK,
    CRM_FIELDS_LIST,
    ERP_CONNECTIONS_LIST,
    USER_GROUP_LIST,
    ErpFieldRow,
)

T = TypeVar("T")

# The reads whose first argument is a connection id: what a write to it may change.
_PER_CONNECTION = frozenset(
    {
        "get_connection",
        "get_erp_sync_connection_summary",
        "get_actor_type_mapping",
        "get_crm_actor_type",
        "get_erp_field_rows",
        "get_connection_list_mappings",
    }
)


class AgentReads:
    """The agent's read methods, each call counted in `call_counts` and its answer cached."""

    def __init__(self, agent: TenantApi, *, parallelism: int = 8) -> None:
        if parallelism < 1:
            raise ValueError("parallelism must be at least 1")
        self.agent = agent
        self.parallelism = parallelism
        self.call_counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        # key: (method, *args); the connection id, when there is one, is always args[0]
        self._cache: dict[tuple[Hashable, ...], _Entry] = {}
        # ERP field id -> connection id, learnt from the ErpField archive, so a default
        # written to one field forgets only its connection's rows
        self._field_connection: dict[int, int] = {}
        # connection name -> every id a connection list ever gave it, so a scoped fresh read can
        # forget a connection's answers even after a write dropped the list itself
        self._ids_by_name: dict[str, set[int]] = {}

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
        self._forget_connection_ids({connection_id})

    def forget_connections_named(self, names: Collection[str]) -> None:
        """Drop what a fresh read of these connections must ask again: their own answers, the
        connection list, the sync priority and the engine status. Connectors, CRM fields and
        lists, users and groups stay cached (only this run's connector writes change them, and
        those forget them)."""
        with self._lock:
            ids = {i for name in names for i in self._ids_by_name.get(name, ())}
            self._cache.pop(("get_engine_status",), None)
        self._forget_connection_ids(ids)

    def _forget_connection_ids(self, ids: Collection[int]) -> None:
        with self._lock:
            for key in list(self._cache):
                method = key[0]
                if (
                    method == "get_all_connections"
                    or key == ("get_mdo_list", ERP_CONNECTIONS_LIST, BY_RANK)
                    or (method in _PER_CONNECTION and key[1] in ids)
                ):
                    del self._cache[key]

    def forget_default(self, field_id: int) -> None:
        """A default lives on its ErpField row: forget the rows of the field's connection."""
        with self._lock:
            connection_id = self._field_connection.get(field_id)
            for key in list(self._cache):
                if key[0] == "get_erp_field_rows" and connection_id in (None, key[1]):
                    del self._cache[key]

    def forget_priorities(self) -> None:
        with self._lock:
            self._cache.pop(("get_mdo_list", ERP_CONNECTIONS_LIST, BY_RANK), None)

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
        def fetch() -> list[ErpConnection]:
            found: list[ErpConnection] = self.call(
                "get_all_connections", self.agent.get_all_connections, False
            )
            with self._lock:
                for conn in found:
                    self._ids_by_name.setdefault(conn.display_name, set()).add(conn.erp_connection_id)
            return found

        result: list[ErpConnection] = self._read_once(("get_all_connections", False), fetch)
        return result

    def connection(self, connection_id: int) -> ErpConnection:
        result: ErpConnection = self._cached("get_connection", connection_id)
        return result

    def sync_priorities(self) -> list[int]:
        """Connection ids, highest priority first: MDO list `erpconnections` sorted by rank."""
        return [item.id for item in self.mdo_list(ERP_CONNECTIONS_LIST, BY_RANK) if not item.deleted]

    # --- mappings -------------------------------------------------------------------
    def summary(self, connection_id: int) -> ErpSyncConnectionSummary:
        result: ErpSyncConnectionSummary = self._cached("get_erp_sync_connection_summary", connection_id)
        return result

    def actor_types(self, connection_id: int) -> list[ErpActorType]:
        """The connection's actor types, as GetErpSyncConnectionSummary lists them (each once)."""
        return list(dict.fromkeys(a.actor_type for a in self.summary(connection_id).actors))

    def actor_mapping(self, connection_id: int, actor: ErpActorType) -> ErpSyncActorTypeMapping:
        result: ErpSyncActorTypeMapping = self._cached("get_actor_type_mapping", connection_id, actor)
        return result

    def actor_mappings(self, connection_id: int) -> dict[ErpActorType, ErpSyncActorTypeMapping]:
        return {actor: self.actor_mapping(connection_id, actor) for actor in self.actor_types(connection_id)}

    def crm_actor_type(self, connection_id: int, actor: ErpActorType) -> CrmActorType:
        result: CrmActorType = self._cached("get_crm_actor_type", connection_id, actor)
        return result

    def erp_field_rows(self, connection_id: int) -> list[ErpFieldRow]:
        """The connection's rows of the `ErpField` archive: ranks, defaults and list names at once."""

        def fetch() -> list[ErpFieldRow]:
            rows: list[ErpFieldRow] = self.call(
                "get_erp_field_rows", self.agent.get_erp_field_rows, connection_id
            )
            with self._lock:
                for row in rows:
                    self._field_connection[row.id] = connection_id
            return rows

        found: list[ErpFieldRow] = self._read_once(("get_erp_field_rows", connection_id), fetch)
        return found

    def erp_fields_by_id(self, connection_id: int) -> dict[int, ErpFieldRow]:
        return {row.id: row for row in self.erp_field_rows(connection_id)}

    def list_mappings(self, connection_id: int) -> ErpConnectionListMappingContainer:
        result: ErpConnectionListMappingContainer = self._cached(
            "get_connection_list_mappings", connection_id
        )
        return result

    # --- MDO lists: CRM fields and lists, users and groups ----------------------------
    def mdo_list(self, list_name: str, additional: str = "") -> list[MDOListItem]:
        result: list[MDOListItem] = self._cached("get_mdo_list", list_name, additional)
        return result

    def crm_fields(self) -> list[MDOListItem]:
        return self.mdo_list(CRM_FIELDS_LIST)

    def associates(self) -> list[MDOListItem]:
        return self.mdo_list(ASSOCIATE_LIST)

    def user_groups(self) -> list[MDOListItem]:
        return self.mdo_list(USER_GROUP_LIST)

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
