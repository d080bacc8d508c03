"""A small SuperOffice tenant answering over httpx.MockTransport as the documentation says.

Requests are read the documented way (the connector entity id in the query string, no body
where none is documented, PascalCase bodies) and a request in another form gets the Agents
WebAPI's answer to an invalid request: 200 with `{"Message", "MessageDetail"}` (E5). A call
about something the tenant does not have answers 200 with NULL. Every request is recorded,
so tests can check that doctor never sent a write.

The data is one connector with two config fields, one connection with a Customer actor of
three fields, a list field mapped to the CRM list `business`, and the MDO lists.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import httpx

BASE = "http://127.0.0.1:9/Cust1"
TOKEN = "doctor-test-token-7731"
AGENT = "/Cust1/api/v1/Agents/ErpSync/"

# Every documented ErpSync method that writes, or makes the connector contact the ERP.
WRITE_METHODS = frozenset(
    {
        "SaveErpSyncConnectorEntity",
        "CreateDefaultErpSyncConnectorEntity",
        "DeleteErpSyncConnectorEntity",
        "TestConnectorUrl",
        "SaveConnection",
        "DeleteConnection",
        "TestConnectionByConfig",
        "TestConnectionById",
        "ToggleErpConnectionActive",
        "UpdateConnectionFields",
        "SaveActorTypeMapping",
        "SaveConnectionListMappings",
        "SaveDefaultValueInfo",
        "MoveErpFieldItem",
        "SaveErpConnectionSyncPriorities",
        "ChangeEngineStatus",
        "ChangeEngineInterval",
    }
)

INVALID = {
    "Message": "The request is invalid.",
    "MessageDetail": "The parameters dictionary contains a null entry for a parameter.",
}


def mdo_item(item_id: int, name: str, extra: str = "") -> dict[str, Any]:
    return {
        "Id": item_id,
        "Name": name,
        "ToolTip": "",
        "Deleted": False,
        "Rank": 0,
        "Type": "",
        "ChildItems": [],
        "IconHint": "",
        "ColorBlock": 0,
        "ExtraInfo": extra,
        "StyleHint": "",
        "FullName": "",
        "TableRight": None,
        "FieldProperties": {},
    }


def field_mapping(erp_field_id: int, key: str, field_type: str, **extra: Any) -> dict[str, Any]:
    mapping = {
        "ErpFieldId": erp_field_id,
        "ErpFieldKey": key,
        "CrmFieldKey": key,
        "CrmDisplayName": key.title(),
        "CrmDisplayTooltip": "",
        "ErpDisplayName": key.title(),
        "ErpDisplayTooltip": "",
        "FieldType": field_type,
        "SyncToCrm": True,
        "SyncToErp": False,
        "ShowInGui": True,
        "ShowInSearch": False,
        "AlreadyMapped": False,
        "MissingInERP": False,
        "MissingInCRM": False,
        "Access": "Normal",
        "ListReference": "",
        "TableRight": None,
        "FieldProperties": {},
    }
    mapping.update(extra)
    return mapping


def _connection(config: Any) -> dict[str, Any]:
    return {
        "ErpConnectionId": 7,
        "ErpConnectorId": 3,
        "DisplayName": "Demo ERP",
        "DisplayDescription": None,
        "Active": True,
        "ConnectionId": "889BF882-C6DA-4AC5-B3C7-A5A650625D90",
        "MostRecentTimestamp": "",
        "ConfigFields": config,
        "Deleted": False,
        "AllAccess": True,
        "UserGroupAccessIds": [],
        "AssociateAccessIds": [],
        "TableRight": None,
        "FieldProperties": {},
    }


@dataclass
class DocumentedTenant:
    """The tenant's data and how it misbehaves. Change the fields before handing it to a Probe."""

    config_values: dict[str, str] = field(
        default_factory=lambda: {"timeout": "[I:30]", "retries": "3", "password": "s3cret-erp-pass"}
    )
    config_types: dict[str, str] = field(
        default_factory=lambda: {"timeout": "Integer", "retries": "Integer", "password": "Password"}
    )
    config_in_list: Any = None  # what GetAllConnections sends as ConfigFields
    customer_types: tuple[str, str, str] = ("Text", "Date", "List")
    connections: int = 1
    status_for: dict[str, int] = field(default_factory=dict)  # endpoint ("MDOList.crmfields") -> status
    null_agent: bool = False  # every agent call answers NULL
    refuse_agent: int | None = None  # every agent call answers this status
    token: str | None = TOKEN
    overrides: dict[str, Callable[[Any], Any]] = field(default_factory=dict)  # endpoint -> reshape body
    requests: list[httpx.Request] = field(default_factory=list)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    # --- HTTP -------------------------------------------------------------------------------
    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.token is not None and request.headers.get("authorization") != f"Bearer {self.token}":
            return httpx.Response(401, json={"Message": "Authorization has been denied for this request."})
        path = request.url.path
        if path.startswith(AGENT):
            endpoint = "ErpSync." + path[len(AGENT) :]
        elif path == "/Cust1/api/v1/archive/ErpField":
            endpoint = "Archive.ErpField"
        elif path.startswith("/Cust1/api/v1/MDOList/"):
            endpoint = "MDOList." + path.rsplit("/", 1)[-1]
        else:
            return httpx.Response(404, json={"Message": "No HTTP resource was found."})
        if endpoint in self.status_for:
            return httpx.Response(self.status_for[endpoint], json={"Message": "refused"})
        if endpoint.startswith("ErpSync."):
            if self.refuse_agent is not None:
                return httpx.Response(
                    self.refuse_agent, json={"Message": "The ErpSync agent is not available."}
                )
            if self.null_agent:
                return httpx.Response(200, content=b"null", headers={"Content-Type": "application/json"})
        body = self._answer(endpoint, request)
        if endpoint in self.overrides:
            body = self.overrides[endpoint](body)
        return httpx.Response(
            200, content=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
        )

    def _answer(self, endpoint: str, request: httpx.Request) -> Any:
        query = dict(parse_qsl(request.url.query.decode()))
        args = json.loads(request.content) if request.content else None
        if endpoint.startswith("ErpSync."):
            method = endpoint.removeprefix("ErpSync.")
            reader = getattr(self, f"_{method}", None)
            if reader is None:
                return {"Message": f"No action was found that matches {method}.", "MessageDetail": ""}
            return reader(query, args)
        if endpoint == "Archive.ErpField":
            return self._archive(query)
        return self._mdo_list(endpoint.removeprefix("MDOList."), query)

    # --- the agent's reads, each taking its parameters the documented way ----------------------
    def _GetAllConnectors(self, query: dict[str, str], args: Any) -> Any:
        if args is not None or query:
            return INVALID
        return [{"Id": 3, "Name": "Demo ERP connector", "ToolTip": "", "TableRight": None}]

    def _GetErpSyncConnectorEntity(self, query: dict[str, str], args: Any) -> Any:
        if args is not None or "erpSyncConnectorEntityId" not in query:
            return INVALID
        if query["erpSyncConnectorEntityId"] != "3":
            return None
        return {
            "ErpConnectorId": 3,
            "DisplayName": "Demo ERP connector",
            "URL": "https://erp.example/ws",
            "Deleted": False,
        }

    def _GetConfigurationFields(self, query: dict[str, str], args: Any) -> Any:
        if not isinstance(args, dict) or "ErpConnectorId" not in args:
            return INVALID
        return [
            {
                "FieldKey": key,
                "Rank": rank,
                "DisplayName": key,
                "DisplayDescription": "",
                "FieldType": kind,
                "ListName": "",
                "DefaultValue": "",
                "MaxLength": 0,
                "Access": "Normal",
                "ShowInSearch": False,
            }
            for rank, (key, kind) in enumerate(self.config_types.items(), 1)
        ]

    def _GetAllConnections(self, query: dict[str, str], args: Any) -> Any:
        if not isinstance(args, dict) or "IncludeDeleted" not in args:
            return INVALID
        listed = []
        for n in range(self.connections):
            connection = _connection(self.config_in_list)
            connection["ErpConnectionId"] = 7 + n
            listed.append(connection)
        return listed

    def _GetConnection(self, query: dict[str, str], args: Any) -> Any:
        if not isinstance(args, dict) or "ErpConnectionId" not in args:
            return INVALID
        if not 7 <= args["ErpConnectionId"] < 7 + self.connections:
            return None
        connection = _connection(dict(self.config_values))
        connection["ErpConnectionId"] = args["ErpConnectionId"]
        return connection

    def _GetErpSyncConnectionSummary(self, query: dict[str, str], args: Any) -> Any:
        if not isinstance(args, dict) or "ErpSyncConnectionId" not in args:
            return INVALID
        return {
            "DisplayName": "Demo ERP",
            "DisplayDescription": "",
            "Active": True,
            "Deleted": False,
            "LastSync": "2026-11-30T10:00:00",
            "Actors": [{"ActorType": "Customer", "HasMappings": True, "Defaults": "", "Mappings": ""}],
        }

    def _GetActorTypeMapping(self, query: dict[str, str], args: Any) -> Any:
        if not isinstance(args, dict) or {"ErpConnectionId", "ActorType"} - set(args):
            return INVALID
        if args["ActorType"] != "Customer":
            return None
        name, since, group = self.customer_types
        return {
            "ErpConnectionId": args["ErpConnectionId"],
            "IsActive": True,
            "FieldMappings": [
                field_mapping(101, "NAME", name),
                field_mapping(102, "SINCE", since),
                field_mapping(103, "GROUP", group, ListReference="table=business"),
            ],
            "ActorTypeErp": "Customer",
            "ActorTypeCrm": "Contact",
        }

    def _GetCrmActorType(self, query: dict[str, str], args: Any) -> Any:
        if not isinstance(args, dict) or {"ErpConnectionId", "ErpActorType"} - set(args):
            return INVALID
        return "Contact"

    def _GetConnectionListMappings(self, query: dict[str, str], args: Any) -> Any:
        if not isinstance(args, dict) or "ErpConnectionId" not in args:
            return INVALID
        return {
            "ErpConnectionId": args["ErpConnectionId"],
            "ErpConnectionName": "Demo ERP",
            "ErpListItemMappings": [
                {
                    "ErpFieldId": 103,
                    "ErpActorTypeName": "Customer",
                    "ErpListName": "groups",
                    "CrmList": None,
                    "ErpCrmListItemMappings": [
                        {
                            "ErpListItemId": "A",
                            "ErpListItemName": "Key",
                            "CrmListItem": mdo_item(4, "Key account"),
                        },
                        {"ErpListItemId": "X", "ErpListItemName": "Unused", "CrmListItem": None},
                    ],
                }
            ],
        }

    def _GetDefaultValueInfo(self, query: dict[str, str], args: Any) -> Any:
        if not isinstance(args, dict) or "ErpFieldId" not in args:
            return INVALID
        types = dict(zip((101, 102, 103), self.customer_types, strict=True))
        if args["ErpFieldId"] not in types:
            return None
        kind = types[args["ErpFieldId"]]
        return {
            "ErpFieldId": args["ErpFieldId"],
            "DefaultValue": "",
            "HasFirstSyncDefaultValue": kind == "Date",
            "FirstSyncDefaultValue": "[DT:12/31/2013 23:59:59.0000000]" if kind == "Date" else "",
            "PromptUser": False,
            "Mandatory": False,
            "ErpFieldKey": "",
            "FieldType": kind,
            "ListName": "",
            "Access": "Normal",
        }

    # --- archive and MDO lists --------------------------------------------------------------------
    def _archive(self, query: dict[str, str]) -> Any:
        if "$select" not in query:
            return {"Message": "No columns selected.", "MessageDetail": ""}
        rows = [
            {
                "Id": erp_field_id,
                "ErpFieldKey": key,
                "Rank": rank,
                "ConnectionId": 7,
                "ActorTypeErp": "Customer",
            }
            for rank, (erp_field_id, key) in enumerate(((101, "NAME"), (102, "SINCE"), (103, "GROUP")), 1)
        ]
        for row in rows:
            row.update(
                ListName="",
                HasFirstSyncDefaultValue=0,
                FirstSyncDefaultValue="",
                PromptUser=False,
                Mandatory=False,
                PrimaryKey=row["Id"],
                EntityName="erpfield",
            )
        return {"odata.metadata": f"{BASE}/api/v1/archive$metadata", "odata.nextLink": None, "value": rows}

    def _mdo_list(self, name: str, query: dict[str, str]) -> Any:
        lists = {
            "erpconnections": [mdo_item(7, "Demo ERP", "889BF882-C6DA-4AC5-B3C7-A5A650625D90")],
            "crmfields": [mdo_item(2, "Example")],
            "associate": [mdo_item(1, "Admin Adminson", "person_id=9&contact_id=0")],
            "usergroup": [mdo_item(1, "Administrasjon")],
            "business": [mdo_item(4, "Key account"), mdo_item(5, "Retail")],
            "category": [mdo_item(1, "Customer")],
        }
        return lists.get(name, [])

    # --- what was sent ----------------------------------------------------------------------------
    def agent_methods(self) -> list[str]:
        return [r.url.path[len(AGENT) :] for r in self.requests if r.url.path.startswith(AGENT)]
