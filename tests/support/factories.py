"""Small, realistic inputs for planner and renderer tests: one demo connector, one connection, two actors."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from syncspec.model.applied import LastApplied
from syncspec.model.desired import (
    ConnectionDesired,
    ConnectionDoc,
    ConnectorDoc,
    DefaultsDoc,
    DesiredState,
    FieldMappingsDoc,
    ListMappingsDoc,
    RankingDoc,
    SyncPriorityDoc,
)
from syncspec.model.enums import CrmActorType, ErpActorType, FieldAccess, FieldMetadataType
from syncspec.model.live import LiveActor, LiveConnection, LiveConnector, LiveDefault, LiveField, LiveState
from syncspec.model.metadata import (
    ActorMeta,
    ConfigFieldMeta,
    ConnectionMeta,
    ConnectorMeta,
    CrmFieldMeta,
    CrmListMeta,
    ErpFieldMeta,
    Metadata,
)
from syncspec.model.source import Origin
from syncspec.plan.model import Plan
from syncspec.plan.planner import PlanOptions, plan

CUSTOMER = ErpActorType.CUSTOMER
PERSON = ErpActorType.PERSON
NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
SECRET = "hunter2-very-secret"
MASK = "********"
CUSTOMER_FIELDS = ("CUSTNO", "NAME", "CATEGORY", "CURRENCY", "CREDITLIMIT")
PERSON_FIELDS = ("PNO", "PNAME")


@dataclass(frozen=True)
class Resolved:
    value: object
    sensitive: bool = False
    missing: bool = False


def origin(file: str, positions: Mapping[tuple[str | int, ...], tuple[int, int]] | None = None) -> Origin:
    index = dict(positions or {})
    return Origin(file=file, _positions=lambda: index)


def _erp(key: str, access: FieldAccess = FieldAccess.NORMAL, list_name: str = "") -> ErpFieldMeta:
    kind = FieldMetadataType.LIST if list_name else FieldMetadataType.TEXT
    return ErpFieldMeta(key, key.title(), kind, access=access, list_name=list_name)


def connection_meta(name: str = "main") -> ConnectionMeta:
    customer = {
        "CUSTNO": _erp("CUSTNO", FieldAccess.READ_ONLY),
        "NAME": _erp("NAME"),
        "CATEGORY": _erp("CATEGORY", list_name="custcat"),
        "CURRENCY": _erp("CURRENCY", FieldAccess.MANDATORY),
        "CREDITLIMIT": _erp("CREDITLIMIT"),
    }
    person = {"PNO": _erp("PNO", FieldAccess.READ_ONLY), "PNAME": _erp("PNAME")}
    return ConnectionMeta(
        name=name,
        connector="demo-erp",
        actors={
            CUSTOMER: ActorMeta(CUSTOMER, CrmActorType.CONTACT, customer),
            PERSON: ActorMeta(PERSON, CrmActorType.PERSON, person),
        },
        erp_lists={"custcat": {"A": "Key", "B": "Normal", "X": "Other"}},
    )


def metadata() -> Metadata:
    text, password = FieldMetadataType.TEXT, FieldMetadataType.PASSWORD
    config = {
        "server": ConfigFieldMeta("server", "Server", text),
        "client": ConfigFieldMeta("client", "Client", text),
        "password": ConfigFieldMeta("password", "Password", password),
    }
    crm = {
        "contact.name": CrmFieldMeta("contact.name", "Name", CrmActorType.CONTACT, text),
        "contact.number2": CrmFieldMeta("contact.number2", "Number", CrmActorType.CONTACT, text),
        "contact.category": CrmFieldMeta(
            "contact.category", "Category", CrmActorType.CONTACT, FieldMetadataType.LIST, list_name="category"
        ),
    }
    return Metadata(
        connectors={"demo-erp": ConnectorMeta("demo-erp", "plugin://demo", config)},
        connections={"main": connection_meta()},
        crm_fields=crm,
        crm_lists={"category": CrmListMeta("category", {1: "Key account", 2: "Customer", 3: "Prospect"})},
    )


def live_connection(name: str = "main", *, active: bool = True, conn_id: int = 10) -> LiveConnection:
    customer = {
        key: LiveField(field_id=conn_id * 100 + i, key=key, rank=i) for i, key in enumerate(CUSTOMER_FIELDS)
    }
    customer["CATEGORY"] = replace(customer["CATEGORY"], crm="contact.category", to_crm=True)
    customer["CURRENCY"] = replace(customer["CURRENCY"], default=LiveDefault(mandatory=True))
    person = {
        key: LiveField(field_id=conn_id * 100 + 50 + i, key=key, rank=i)
        for i, key in enumerate(PERSON_FIELDS)
    }
    return LiveConnection(
        id=conn_id,
        guid=f"guid-{conn_id}",
        name=name,
        connector="demo-erp",
        description="Demo",
        active=active,
        config={"server": "erp.local", "client": "1001", "password": MASK},
        config_sensitive=frozenset({"password"}),
        actors={
            CUSTOMER: LiveActor(CUSTOMER, True, customer, {"CATEGORY": {"A": 1, "B": None, "X": None}}),
            PERSON: LiveActor(PERSON, False, person),
        },
    )


def live(*connections: LiveConnection) -> LiveState:
    conns = connections or (live_connection(),)
    return LiveState(
        connectors={"demo-erp": LiveConnector(1, "demo-erp", "plugin://demo")},
        connections={c.name: c for c in conns},
        sync_priority=tuple(c.name for c in conns),
    )


def connector_doc() -> ConnectorDoc:
    return ConnectorDoc(name="demo-erp", url="plugin://demo", origin=origin("connections/connectors.yaml"))


def connection_doc(name: str = "main", **changes: Any) -> ConnectionDoc:
    base: dict[str, Any] = {
        "name": name,
        "connector": "demo-erp",
        "description": "Demo",
        "active": True,
        "config": {"server": "erp.local", "client": "1001", "password": "${env:PW}"},
        "actors": {CUSTOMER: {"sync": True}},
        "origin": origin(f"connections/{name}/connection.yaml", {("config", "client"): (9, 3)}),
    }
    base.update(changes)
    return ConnectionDoc.model_validate(base)


def desired(*connections: ConnectionDesired, priority: tuple[str, ...] | None = None) -> DesiredState:
    conns = connections or (ConnectionDesired(connection=connection_doc()),)
    sync = (
        SyncPriorityDoc(order=priority, origin=origin("connections/sync-priority.yaml")) if priority else None
    )
    return DesiredState(
        connectors={"demo-erp": connector_doc()},
        connections={c.name: c for c in conns},
        sync_priority=sync,
    )


def mappings(
    fields: dict[str, dict[str, Any]], name: str = "main", actor: ErpActorType = CUSTOMER
) -> FieldMappingsDoc:
    return FieldMappingsDoc.model_validate(
        {
            "connection": name,
            "actor": actor,
            "fields": fields,
            "origin": origin(
                f"connections/{name}/customer.mappings.yaml", {("fields", "NAME", "crm"): (5, 13)}
            ),
        }
    )


def defaults(fields: dict[str, dict[str, Any]], name: str = "main") -> DefaultsDoc:
    return DefaultsDoc.model_validate(
        {"connection": name, "actor": CUSTOMER, "fields": fields, "origin": origin("defaults.yaml")}
    )


def lists(items: dict[str, Any], name: str = "main") -> ListMappingsDoc:
    return ListMappingsDoc.model_validate(
        {
            "connection": name,
            "actor": CUSTOMER,
            "field": "CATEGORY",
            "items": items,
            "origin": origin("lists.yaml"),
        }
    )


def ranking(order: tuple[str, ...], name: str = "main") -> RankingDoc:
    return RankingDoc(connection=name, actor=CUSTOMER, order=order, origin=origin("ranking.yaml"))


def resolved(name: str = "main", secret: str = SECRET) -> dict[str, dict[str, Resolved]]:
    return {name: {"password": Resolved(secret, sensitive=True)}}


def make_plan(
    state: DesiredState,
    current: LiveState,
    *,
    last: LastApplied | None = None,
    secrets: Mapping[str, Mapping[str, Resolved]] | None = None,
    **options: Any,
) -> Plan:
    return plan(
        state,
        current,
        metadata(),
        resolved_config=resolved() if secrets is None else secrets,
        last_applied=last or LastApplied.empty(),
        now=NOW,
        options=PlanOptions(**options),
    )
