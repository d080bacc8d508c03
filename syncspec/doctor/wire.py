"""The documented read requests doctor may send, and the allow-list that keeps it read-only.

Every request doctor sends is built here and passes `require_read_only` twice: once when it
is built and once more on the wire (`probe.Probe` re-checks each outgoing httpx request), so
a write cannot leave the process even through a path built some other way.

Read-only means a method that only reads NetServer's database. `TestConnectionByConfig` and
`TestConnectionById` are left out although they change nothing in CRM: they make the
connector contact the ERP system, which is a side effect on a system syncspec does not own.
`CanDeleteErpSyncConnectorEntity` reads, but syncspec does not need it, so it is left out too.

Request forms follow the method pages of SuperOffice's documentation (and the contract cases
in tests/contract/cases written from them): `POST /api/v1/Agents/ErpSync/<Method>` with a
PascalCase JSON body, or no body where the page documents none; the connector entity id in
the query string; `GET /api/v1/archive/ErpField` with OData parameters; `GET
/api/v1/MDOList/{name}`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from syncspec.model.errors import TargetError

AGENT_PATH = "/api/v1/Agents/ErpSync/"
ARCHIVE_ERPFIELD_PATH = "/api/v1/archive/ErpField"
MDO_LIST_PATH = "/api/v1/MDOList/"

# The ErpSync agent methods doctor may call: reads syncspec needs, nothing else.
READ_AGENT_METHODS = frozenset(
    {
        "GetAllConnectors",
        "GetErpSyncConnectorEntity",
        "GetConfigurationFields",
        "GetAllConnections",
        "GetConnection",
        "GetErpSyncConnectionSummary",
        "GetActorTypeMapping",
        "GetConnectionListMappings",
        "GetDefaultValueInfo",
        "GetCrmActorType",
    }
)

# The ErpField archive columns syncspec reads for ranks and defaults (provider page, E14).
ARCHIVE_COLUMNS = (
    "Id",
    "ErpFieldKey",
    "Rank",
    "ConnectionId",
    "ActorTypeErp",
    "ListName",
    "HasFirstSyncDefaultValue",
    "FirstSyncDefaultValue",
    "PromptUser",
    "Mandatory",
)

# The MDO lists syncspec reads besides the CRM lists (mdo-providers reference pages).
NEEDED_MDO_LISTS = ("erpconnections", "crmfields", "associate", "usergroup")

# An MDO list name is one path segment; names taken from tenant data must look like one.
_LIST_NAME = re.compile(r"\A[A-Za-z][A-Za-z0-9_]{0,63}\Z")
_METHOD_NAME = re.compile(r"\A[A-Za-z][A-Za-z0-9]{0,63}\Z")


class NotReadOnly(TargetError):
    """A request outside the allow-list was about to be sent; doctor refuses it."""


@dataclass(frozen=True)
class ProbeRequest:
    """One documented read. `body` None: the request carries no body."""

    endpoint: str  # the name shown in reports: "ErpSync.GetConnection", "MDOList.associate"
    method: str  # "GET" or "POST"
    path: str  # below the tenant's base URL
    query: tuple[tuple[str, str], ...] = ()
    body: Mapping[str, Any] | None = None

    def __post_init__(self) -> None:
        require_read_only(self.method, self.path)


@dataclass(frozen=True)
class Answer:
    """What came back for one request, before any judgement.

    `status` None: no HTTP answer at all (`failure` says why). `has_body` False: an empty
    body (a 204, or nothing); otherwise `body` is the parsed JSON, where None is JSON null.
    `failure` is also set when an answer came but could not be read (not JSON, too large).
    """

    request: ProbeRequest
    status: int | None
    body: Any = None
    has_body: bool = False
    failure: str = ""
    truncated: bool = False  # the answer was larger than doctor reads


def is_allowed(method: str, path: str) -> bool:
    """True for the documented reads doctor may send (path below the base URL)."""
    if method == "POST" and path.startswith(AGENT_PATH):
        name = path[len(AGENT_PATH) :]
        return bool(_METHOD_NAME.match(name)) and name in READ_AGENT_METHODS
    if method == "GET":
        if path == ARCHIVE_ERPFIELD_PATH:
            return True
        if path.startswith(MDO_LIST_PATH):
            return bool(_LIST_NAME.match(path[len(MDO_LIST_PATH) :]))
    return False


def require_read_only(method: str, path: str) -> None:
    if not is_allowed(method, path):
        raise NotReadOnly(
            f"doctor refused to send {method} {path}: it is not one of the documented reads it may send",
            hint="doctor never writes; this is a bug in syncspec, please report it",
        )


def is_list_name(name: str) -> bool:
    return bool(_LIST_NAME.match(name))


# --- the requests ---------------------------------------------------------------------------
def agent(method: str, body: Mapping[str, Any] | None = None, **query: str) -> ProbeRequest:
    return ProbeRequest(f"ErpSync.{method}", "POST", AGENT_PATH + method, tuple(query.items()), body)


def get_all_connectors() -> ProbeRequest:
    return agent("GetAllConnectors")  # the page documents no request body


def get_connector_entity(connector_id: int) -> ProbeRequest:
    return agent("GetErpSyncConnectorEntity", erpSyncConnectorEntityId=str(connector_id))


def get_configuration_fields(connector_id: int) -> ProbeRequest:
    return agent("GetConfigurationFields", {"ErpConnectorId": connector_id})


def get_all_connections() -> ProbeRequest:
    return agent("GetAllConnections", {"IncludeDeleted": False})


def get_connection(connection_id: int) -> ProbeRequest:
    return agent("GetConnection", {"ErpConnectionId": connection_id})


def get_connection_summary(connection_id: int) -> ProbeRequest:
    return agent("GetErpSyncConnectionSummary", {"ErpSyncConnectionId": connection_id})


def get_actor_type_mapping(connection_id: int, actor_type: str) -> ProbeRequest:
    return agent("GetActorTypeMapping", {"ErpConnectionId": connection_id, "ActorType": actor_type})


def get_crm_actor_type(connection_id: int, actor_type: str) -> ProbeRequest:
    return agent("GetCrmActorType", {"ErpConnectionId": connection_id, "ErpActorType": actor_type})


def get_list_mappings(connection_id: int) -> ProbeRequest:
    return agent("GetConnectionListMappings", {"ErpConnectionId": connection_id})


def get_default_value_info(erp_field_id: int) -> ProbeRequest:
    return agent("GetDefaultValueInfo", {"ErpFieldId": erp_field_id})


def archive_erp_fields(connection_id: int, top: int) -> ProbeRequest:
    query = (
        ("$select", ",".join(ARCHIVE_COLUMNS)),
        ("$filter", f"ConnectionId eq {connection_id}"),  # OData 'col eq value' (generic page)
        # the first page, ordered as syncspec's own reads page through it (targets/rest/lists.py)
        ("$orderBy", "Id"),
        ("$top", str(top)),
        ("$skip", "0"),
    )
    return ProbeRequest("Archive.ErpField", "GET", ARCHIVE_ERPFIELD_PATH, query)


def mdo_list(name: str) -> ProbeRequest:
    # erpconnections sorted by rank: the order syncspec reads as the sync priority (inferred)
    # flat=true as syncspec's reads ask (documented parameter of GET MDOList/{name})
    query: tuple[tuple[str, str], ...] = (("flat", "true"),)
    if name == "erpconnections":
        query = (*query, ("additional", "useRank=true"))
    return ProbeRequest(f"MDOList.{name}", "GET", MDO_LIST_PATH + name, query)
