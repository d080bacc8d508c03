"""Calling a connector on behalf of a connection, the way NetServer does.

A connector that lost a connection's config answers UNKNOWN_CONNECTION_ID; the tenant
then re-sends its stored copy with `save_connection(guid, config)` and retries once.
A connector that raises (it should not) is reported without its message, which could
carry config values.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from syncspec.embedded.connectors.base import UNKNOWN_CONNECTION_ID, ErpConnector, PluginResponse
from syncspec.embedded.tenant.records import remember_secrets, stored_config

if TYPE_CHECKING:
    from syncspec.embedded.tenant.engine import TenantCall

ConnectorCall = Callable[[ErpConnector, str], PluginResponse]


def invoke(s: TenantCall, thunk: Callable[[], PluginResponse]) -> PluginResponse:
    try:
        return thunk()
    except Exception as exc:  # a connector bug must not escape as a traceback
        s.refuse(f"The sync connector failed unexpectedly ({type(exc).__name__})")


def ask(s: TenantCall, connection: sqlite3.Row, call: ConnectorCall) -> PluginResponse:
    """Run `call(connector, guid)` for a stored connection, re-sending its config once if asked to."""
    connection_id = int(connection["erpconnection_id"])
    remember_secrets(s, connection_id)
    connector = s.connector(str(connection["ConnectorURL"]))
    guid = str(connection["ConnectionId"])
    result = invoke(s, lambda: call(connector, guid))
    if not result.is_ok and result.error_code == UNKNOWN_CONNECTION_ID:
        config = stored_config(s.db, connection_id)
        resent = invoke(s, lambda: connector.save_connection(guid, config))
        if resent.is_ok:
            result = invoke(s, lambda: call(connector, guid))
    return result


def explain(s: TenantCall, result: PluginResponse) -> str:
    text = result.user_explanation or result.tech_explanation or "the sync connector reported an error"
    return s.scrub(text)


def require_ok(s: TenantCall, result: PluginResponse, doing: str) -> PluginResponse:
    if not result.is_ok:
        s.refuse(f"{doing}: {explain(s, result)}", error_code=result.error_code)
    return result
