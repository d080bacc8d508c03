"""RestAgent: SuperOffice's ErpSync agent over its REST WebApi (or the syncspec emulator).

Which calls are retried after a failure that leaves the outcome unknown (a 5xx, a
dropped connection, a read timeout):

- reads, and whole-object saves of existing objects (saving the same thing twice is
  saving it once): retried as they are;
- `ToggleErpConnectionActive` flips, so `Active` is read first and re-read after the
  failure: changed means done, unchanged means try again;
- `MoveErpFieldItem` moves one step, so the ranks (ErpField archive) are read first and re-read after;
- creates (id 0) and deletes: the list is re-read to find whether it happened.

Failures that leave no doubt (no connection made, 429) are retried for every call.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

import httpx

from syncspec.model.enums import ErpActorType
from syncspec.model.errors import AgentError, TargetError
from syncspec.targets.agent import ErpSyncAgent
from syncspec.targets.carriers import (
    ErpConnection,
    ErpSyncConnectorEntity,
    MDOListItem,
)
from syncspec.targets.lists import ErpFieldRow
from syncspec.targets.rest.http import Resolved, RestClient, auth_header
from syncspec.targets.rest.lists import RestLists
from syncspec.targets.rest.moves import RankMemo, Ranks, after_move, connection_named
from syncspec.targets.rest.retry import RetryPolicy
from syncspec.targets.rest.wire import BY_ATTRIBUTE, WireMethod, encode_request, install_agent_methods

# Calls that leave a connection's ranks as they were, besides reads and tests: the moves
# themselves (predicted) and a default's save (it writes the field's default, not its rank).
_KEEP_RANKS = frozenset({"move_erp_field_item", "save_default_value_info"})


class RestAgent:
    """Implements `syncspec.targets.agent.TenantApi` (agent, archive, MDO lists) over HTTP with httpx.

    Give at most one of `token` (Bearer), `ticket` (SOTicket) or `basic` (user,
    password); `app_token` adds SuperOffice Online's `SO-AppToken`. `verify` is True
    (the system's CAs), a CA bundle path, or False. `timeout` is (connect, read) seconds;
    `deadline` bounds one attempt in all (default: connect + twice read), so a server
    that drips its answer cannot hold a call.
    `retries` is the number of retries after the first attempt, or a full `RetryPolicy`.
    Safe to share between threads; at most `concurrency` requests are in flight.
    Credentials never appear in its repr, errors or logs.
    """

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        ticket: str | None = None,
        basic: tuple[str, str] | None = None,
        app_token: str | None = None,
        verify: bool | str | os.PathLike[str] = True,
        timeout: tuple[float, float] = (5.0, 30.0),
        deadline: float | None = None,
        retries: int | RetryPolicy = 3,
        concurrency: int = 8,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        authorization, self._auth_kind = auth_header(token, ticket, basic)
        policy = retries if isinstance(retries, RetryPolicy) else RetryPolicy(attempts=max(0, retries) + 1)
        secrets = tuple(s for s in (token, ticket, app_token, basic[1] if basic else None) if s)
        self._http = RestClient(
            base_url,
            authorization=authorization,
            app_token=app_token,
            verify=verify,
            timeout=timeout,
            deadline=deadline,
            policy=policy,
            concurrency=concurrency,
            transport=transport,
            secrets=secrets,
        )
        self._lists = RestLists(self._http)
        self._ranks = RankMemo()  # what a lost move's answer is decided against (rest/moves.py)

    @property
    def base_url(self) -> str:
        return self._http.shown_url

    def __repr__(self) -> str:
        return f"RestAgent({self._http.shown_url!r}, auth={self._auth_kind})"

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> RestAgent:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(
        self,
        attribute: str,
        *,
        repeatable: bool = True,
        resolve: Callable[[], Resolved[Any]] | None = None,
        **args: Any,
    ) -> Any:
        method = BY_ATTRIBUTE[attribute]
        self._forget_ranks(attribute, args)
        return self._http.call(method, encode_request(method, args), repeatable=repeatable, resolve=resolve)

    def _request(self, method: WireMethod, arguments: dict[str, Any]) -> Any:
        """One plain request: what every agent method of the wire table not written out below
        is (`install_agent_methods`). Reads, and writes that set a state (repeating them after
        a lost answer is harmless: SaveActorTypeMapping, SaveDefaultValueInfo, the engine's
        status and interval), need nothing more than the table says; the methods below
        cannot be repeated blindly or take arguments the encoder needs in another form."""
        self._forget_ranks(method.attribute, arguments)
        return self._http.call(method, encode_request(method, arguments), repeatable=True, resolve=None)

    def _forget_ranks(self, attribute: str, arguments: Mapping[str, Any]) -> None:
        if attribute not in _KEEP_RANKS and not attribute.startswith(("get_", "test_")):
            # any other write may change ranks (a mapping save, a refresh): predictions go
            self._ranks.drop(connection_named(arguments))

    if TYPE_CHECKING:
        # The plain agent methods are installed from the wire table below the class.
        def __getattr__(self, attribute: str) -> Callable[..., Any]: ...

    # --- sync connectors: creating and deleting cannot be repeated blindly ----------------
    def save_erp_sync_connector_entity(self, entity: ErpSyncConnectorEntity) -> ErpSyncConnectorEntity:
        if entity.erp_connector_id:
            return cast(ErpSyncConnectorEntity, self._call("save_erp_sync_connector_entity", entity=entity))
        known = {c.id for c in self.get_all_connectors()}

        def created() -> Resolved[Any]:
            for item in self.get_all_connectors():
                if item.id not in known and item.name == entity.display_name:
                    return Resolved(True, self.get_erp_sync_connector_entity(item.id))
            return Resolved(False)

        return cast(
            ErpSyncConnectorEntity,
            self._call("save_erp_sync_connector_entity", repeatable=False, resolve=created, entity=entity),
        )

    def delete_erp_sync_connector_entity(self, erp_sync_connector_entity_id: int) -> None:
        def deleted() -> Resolved[Any]:
            try:
                entity = self.get_erp_sync_connector_entity(erp_sync_connector_entity_id)
            except AgentError:
                return Resolved(True)
            return Resolved(entity.deleted)

        self._call(
            "delete_erp_sync_connector_entity",
            repeatable=False,
            resolve=deleted,
            erp_sync_connector_entity_id=erp_sync_connector_entity_id,
        )

    # --- connections ------------------------------------------------------------------
    def save_connection(self, connection: ErpConnection) -> ErpConnection:
        if connection.erp_connection_id:
            return cast(ErpConnection, self._call("save_connection", connection=connection))
        known = {c.erp_connection_id for c in self.get_all_connections(True)}

        def created() -> Resolved[Any]:
            for item in self.get_all_connections(True):
                if (
                    item.erp_connection_id not in known
                    and item.display_name == connection.display_name
                    and item.erp_connector_id == connection.erp_connector_id
                ):
                    return Resolved(True, self.get_connection(item.erp_connection_id))
            return Resolved(False)

        return cast(
            ErpConnection,
            self._call("save_connection", repeatable=False, resolve=created, connection=connection),
        )

    def delete_connection(self, erp_connection_id: int) -> None:
        def deleted() -> Resolved[Any]:
            for item in self.get_all_connections(True):
                if item.erp_connection_id == erp_connection_id:
                    return Resolved(item.deleted)
            return Resolved(True)

        self._call(
            "delete_connection", repeatable=False, resolve=deleted, erp_connection_id=erp_connection_id
        )

    def test_connection_by_config(self, erp_connection_id: int, config_fields: Mapping[str, str]) -> bool:
        return cast(
            bool,
            self._call(
                "test_connection_by_config",
                erp_connection_id=erp_connection_id,
                config_fields=dict(config_fields),
            ),
        )

    def toggle_erp_connection_active(self, erp_connection_id: int) -> list[str]:
        # It flips: repeating it after a lost answer could flip it back. Read, then decide.
        before = self.get_connection(erp_connection_id).active

        def flipped() -> Resolved[Any]:
            now = self.get_connection(erp_connection_id).active
            return Resolved(True, []) if now != before else Resolved(False)

        return cast(
            list[str],
            self._call(
                "toggle_erp_connection_active",
                repeatable=False,
                resolve=flipped,
                erp_connection_id=erp_connection_id,
            ),
        )

    # --- mappings -------------------------------------------------------------------
    def move_erp_field_item(
        self, erp_field_id: int, direction: int, erp_connection_id: int, erp_actor_type: ErpActorType
    ) -> None:
        # One step per call: repeating it after a lost answer would move twice. Read (or take
        # the ranks the previous move predicted), then decide after a lost answer.
        def ranks() -> Ranks:
            rows = self.get_erp_field_rows(erp_connection_id)
            return tuple(sorted((r.id, r.rank) for r in rows if r.actor_type_erp is erp_actor_type))

        before = self._ranks.take(erp_connection_id, erp_actor_type) or ranks()
        expected = after_move(before, erp_field_id, direction)

        def moved() -> Resolved[Any]:
            now = ranks()
            if now == before:
                return Resolved(False)
            if expected is None or now == expected:
                return Resolved(True)
            raise TargetError(
                "MoveErpFieldItem: the ranks read back are neither those before the move nor "
                "those one step would leave; cannot tell whether it moved"
            )

        resolve: Callable[[], Resolved[Any]] | None = moved
        self._call(
            "move_erp_field_item",
            repeatable=False,
            resolve=resolve,
            erp_field_id=erp_field_id,
            direction=direction,
            erp_connection_id=erp_connection_id,
            erp_actor_type=erp_actor_type,
        )
        if expected is not None:
            self._ranks.keep(erp_connection_id, erp_actor_type, expected)

    def save_erp_connection_sync_priorities(self, erp_connection_ids: Sequence[int]) -> bool:
        return cast(
            bool,
            self._call("save_erp_connection_sync_priorities", erp_connection_ids=list(erp_connection_ids)),
        )

    # --- the ErpField archive and MDO lists (GET; rest_lists) --------------------------
    def get_erp_field_rows(self, erp_connection_id: int) -> list[ErpFieldRow]:
        return self._lists.get_erp_field_rows(erp_connection_id)

    def get_mdo_list(self, list_name: str, additional: str = "") -> list[MDOListItem]:
        return self._lists.get_mdo_list(list_name, additional)


install_agent_methods(RestAgent, RestAgent._request, ErpSyncAgent)
