"""Example documents per kind, each with the verdict the schemas (and the models) must give.

Shared by tests/spec/schema/test_packaged.py (jsonschema and jsonschema_rs) and
tests/model/test_desired.py (the pydantic models), so all three are held to one table.
"""

from __future__ import annotations

from typing import Any, NamedTuple


class Case(NamedTuple):
    id: str
    doc: Any
    valid: bool


def _with(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    out = dict(base)
    for key, value in changes.items():
        if value is _DROP:
            out.pop(key, None)
        else:
            out[key] = value
    return out


_DROP = object()

CONNECTOR = {"kind": "Connector", "name": "demo-erp", "url": "plugin://demo"}
CONNECTION = {
    "kind": "Connection",
    "name": "visma-norway",
    "connector": "demo-erp",
    "description": "Visma Business, client 1001",
    "active": True,
    "access": "everyone",
    "config": {"server": "${var:erp_server}", "client": "1001", "password": "${env:VISMA_PASSWORD}"},
    "actors": {"Customer": {"sync": True}, "Person": {"sync": False}},
}
MAPPINGS = {
    "kind": "FieldMappings",
    "connection": "visma-norway",
    "actor": "Customer",
    "fields": {
        "CUSTNO": {"crm": "contact.number2", "direction": "to-crm", "show_in_search": True},
        "NAME": {"crm": "contact.name", "direction": "both", "show_in_search": True},
        "CREDITLIMIT": {"show_in_tab": True},
    },
}
LISTS = {
    "kind": "ListMappings",
    "connection": "visma-norway",
    "actor": "Customer",
    "field": "CATEGORY",
    "items": {"A": "Key account", "B": {"id": 7}, "X": None, "NO": "Norway"},
}
DEFAULTS = {
    "kind": "Defaults",
    "connection": "visma-norway",
    "actor": "Customer",
    "fields": {
        "CURRENCY": {"value": "NOK"},
        "PAYTERMS": {"prompt": True, "mandatory": True},
        "LIMIT": {"value": 5},
    },
}
RANKING = {
    "kind": "Ranking",
    "connection": "visma-norway",
    "actor": "Customer",
    "order": ["CUSTNO", "NAME", "CREDITLIMIT", "BALANCE"],
}
PRIORITY = {"kind": "SyncPriority", "order": ["visma-norway", "visma-sweden"]}
ENGINE = {"kind": "SyncEngine", "automatic": True, "interval": "00:05:00"}
PROJECT = {
    "kind": "Project",
    "config_dir": "connections",
    "state": {"backend": "local"},
    "environments": {
        "test": {
            "target": {"type": "local", "path": ".syncspec/test.db"},
            "vars": {"erp_server": "https://t"},
        },
        "prod": {
            "target": {
                "type": "superoffice",
                "url": "https://online.superoffice.com/Cust1",
                "token": "${env:SO}",
            },
            "vars": {"erp_server": "https://erp.example.com", "retries": 3, "strict": True},
        },
    },
    "default_environment": "test",
}


def _fields(**spec: Any) -> dict[str, Any]:
    return _with(MAPPINGS, fields={"CUSTNO": spec})


CASES: list[Case] = [
    # Connector
    Case("connector", CONNECTOR, True),
    Case(
        "connector-https",
        _with(CONNECTOR, url="https://erp.example.com/ErpConnectorWS.svc?ConnectorName=x"),
        True,
    ),
    Case("connector-app", _with(CONNECTOR, url="app://a1b2-c3"), True),
    Case("connector-ftp", _with(CONNECTOR, url="ftp://erp"), False),
    Case("connector-no-url", _with(CONNECTOR, url=_DROP), False),
    Case("connector-upper-name", _with(CONNECTOR, name="Demo"), False),
    Case("connector-name-newline", _with(CONNECTOR, name="demo\n"), False),
    Case("connector-name-64", _with(CONNECTOR, name="a" * 64), False),
    Case("connector-name-63", _with(CONNECTOR, name="a" * 63), True),
    Case("connector-extra-key", _with(CONNECTOR, id=3), False),
    Case("connector-schema-key", _with(CONNECTOR, **{"$schema": "x"}), False),
    Case("connector-url-too-long", _with(CONNECTOR, url="https://e/" + "a" * 1020), False),
    # Connection
    Case("connection", CONNECTION, True),
    Case("connection-minimal", {"kind": "Connection", "name": "c", "connector": "d"}, True),
    Case("connection-groups", _with(CONNECTION, access={"groups": ["Sales"], "users": ["ANNA"]}), True),
    Case("connection-users-only", _with(CONNECTION, access={"users": ["ANNA"]}), True),
    Case("connection-access-empty", _with(CONNECTION, access={}), False),
    Case("connection-access-nobody", _with(CONNECTION, access="nobody"), False),
    Case("connection-access-dup", _with(CONNECTION, access={"groups": ["A", "A"]}), False),
    Case("connection-access-everyone-key", _with(CONNECTION, access={"everyone": True}), False),
    Case("connection-description-254", _with(CONNECTION, description="d" * 254), True),
    Case("connection-description-255", _with(CONNECTION, description="d" * 255), False),
    Case("connection-description-null", _with(CONNECTION, description=None), False),
    Case("connection-active-string", _with(CONNECTION, active="yes"), False),
    Case("connection-active-int", _with(CONNECTION, active=1), False),
    Case(
        "connection-config-scalars", _with(CONNECTION, config={"port": 1433, "rate": 0.5, "ssl": False}), True
    ),
    Case("connection-config-dollar", _with(CONNECTION, config={"price": "$5 and ${env:A}x${var:b}"}), True),
    Case("connection-config-multiline", _with(CONNECTION, config={"pem": "-----\nabc\n-----\n"}), True),
    Case("connection-config-bad-ref", _with(CONNECTION, config={"p": "${env:}"}), False),
    Case("connection-config-unknown-source", _with(CONNECTION, config={"p": "${file:x}"}), False),
    Case("connection-config-open-ref", _with(CONNECTION, config={"p": "${env:X"}), False),
    Case("connection-config-list", _with(CONNECTION, config={"p": ["a"]}), False),
    Case("connection-config-null", _with(CONNECTION, config={"p": None}), False),
    Case("connection-actor-sale", _with(CONNECTION, actors={"Sale": {"sync": True}}), False),
    Case("connection-actor-lowercase", _with(CONNECTION, actors={"customer": {"sync": True}}), False),
    Case("connection-actor-no-sync", _with(CONNECTION, actors={"Customer": {}}), False),
    Case("connection-actor-extra", _with(CONNECTION, actors={"Customer": {"sync": True, "x": 1}}), False),
    Case("connection-no-connector", _with(CONNECTION, connector=_DROP), False),
    # FieldMappings
    Case("mappings", MAPPINGS, True),
    Case("mappings-empty-fields", _with(MAPPINGS, fields={}), True),
    Case("mappings-empty-spec", _fields(), False),
    Case("mappings-direction-none", _fields(crm="contact.name", direction="none"), True),
    Case("mappings-direction-arrow", _fields(crm="contact.name", direction=">"), False),
    Case("mappings-crm-no-entity", _fields(crm="name"), False),
    Case("mappings-crm-upper-entity", _fields(crm="Contact.name"), False),
    Case("mappings-crm-udef", _fields(crm="contact.udef_string_1"), True),
    Case("mappings-crm-null", _fields(crm=None), False),
    Case("mappings-show-string", _fields(show_in_tab="true"), False),
    Case("mappings-unknown-key", _fields(show_in_gui=True), False),
    Case("mappings-bad-field-key", _with(MAPPINGS, fields={"CUST NO": {"show_in_tab": True}}), False),
    Case("mappings-dotted-field-key", _with(MAPPINGS, fields={"addr.line-1_x": {"show_in_tab": True}}), True),
    Case("mappings-actor-employee", _with(MAPPINGS, actor="Employee"), False),
    Case("mappings-partner", _with(MAPPINGS, actor="Partner"), True),
    Case("mappings-no-actor", _with(MAPPINGS, actor=_DROP), False),
    # ListMappings
    Case("lists", LISTS, True),
    Case("lists-empty-items", _with(LISTS, items={}), True),
    Case("lists-id-zero", _with(LISTS, items={"A": {"id": 0}}), False),
    Case("lists-id-string", _with(LISTS, items={"A": {"id": "7"}}), False),
    Case("lists-id-bool", _with(LISTS, items={"A": {"id": True}}), False),
    Case("lists-id-and-name", _with(LISTS, items={"A": {"id": 7, "name": "x"}}), False),
    Case("lists-name-object", _with(LISTS, items={"A": {"name": "x"}}), False),
    Case("lists-empty-name", _with(LISTS, items={"A": ""}), False),
    Case("lists-number-item", _with(LISTS, items={"A": 7}), False),
    Case("lists-odd-item-keys", _with(LISTS, items={"a b/ø": "x", "0012": None}), True),
    Case("lists-no-field", _with(LISTS, field=_DROP), False),
    # Defaults
    Case("defaults", DEFAULTS, True),
    Case("defaults-empty-fields", _with(DEFAULTS, fields={}), False),
    Case("defaults-empty-spec", _with(DEFAULTS, fields={"X": {}}), False),
    Case("defaults-value-bool", _with(DEFAULTS, fields={"X": {"value": False}}), True),
    Case("defaults-value-float", _with(DEFAULTS, fields={"X": {"value": 1.25}}), True),
    Case("defaults-value-null", _with(DEFAULTS, fields={"X": {"value": None}}), False),
    Case("defaults-value-list", _with(DEFAULTS, fields={"X": {"value": ["a"]}}), False),
    Case("defaults-prompt-string", _with(DEFAULTS, fields={"X": {"prompt": "yes"}}), False),
    Case("defaults-unknown-key", _with(DEFAULTS, fields={"X": {"ask": True}}), False),
    # Ranking
    Case("ranking", RANKING, True),
    Case("ranking-empty", _with(RANKING, order=[]), False),
    Case("ranking-duplicate", _with(RANKING, order=["A", "B", "A"]), False),
    Case("ranking-bad-key", _with(RANKING, order=["A B"]), False),
    Case("ranking-not-list", _with(RANKING, order="A"), False),
    # SyncPriority
    Case("priority", PRIORITY, True),
    Case("priority-empty", _with(PRIORITY, order=[]), True),
    Case("priority-duplicate", _with(PRIORITY, order=["a", "a"]), False),
    Case("priority-bad-name", _with(PRIORITY, order=["Visma Norway"]), False),
    Case("priority-extra", _with(PRIORITY, connection="a"), False),
    Case("engine", ENGINE, True),
    Case("engine-automatic-only", _with(ENGINE, interval=_DROP), True),
    Case("engine-interval-only", _with(ENGINE, automatic=_DROP), True),
    Case("engine-interval-days", _with(ENGINE, interval="1.00:00:00"), True),
    Case("engine-empty", {"kind": "SyncEngine"}, False),
    Case("engine-automatic-string", _with(ENGINE, automatic="yes"), False),
    Case("engine-automatic-null", _with(ENGINE, automatic=None), False),
    Case("engine-interval-zero", _with(ENGINE, interval="00:00:00"), False),
    Case("engine-interval-minutes", _with(ENGINE, interval="5"), False),
    Case("engine-interval-short-hours", _with(ENGINE, interval="0:05:00"), False),
    Case("engine-interval-61-minutes", _with(ENGINE, interval="00:61:00"), False),
    Case("engine-interval-zero-days", _with(ENGINE, interval="0.00:05:00"), False),
    Case("engine-interval-iso", _with(ENGINE, interval="PT5M"), False),
    Case("engine-interval-newline", _with(ENGINE, interval="00:05:00\n"), False),
    Case("engine-interval-number", _with(ENGINE, interval=300), False),
    Case("engine-extra", _with(ENGINE, running=True), False),
    # Project
    Case("project", PROJECT, True),
    Case("project-minimal", {"kind": "Project"}, True),
    Case(
        "project-postgres",
        _with(PROJECT, state={"backend": "postgres", "dsn": "${env:SYNCSPEC_PG_DSN}"}),
        True,
    ),
    # without a dsn the SYNCSPEC_PG_DSN environment variable names the database
    Case("project-postgres-no-dsn", _with(PROJECT, state={"backend": "postgres"}), True),
    Case(
        "project-postgres-named",
        _with(PROJECT, state={"backend": "postgres", "project": "acme-erp-sync"}),
        True,
    ),
    Case("project-local-named", _with(PROJECT, state={"backend": "local", "project": "x"}), False),
    Case("project-bad-name", _with(PROJECT, state={"backend": "postgres", "project": "a b"}), False),
    Case("project-local-dsn", _with(PROJECT, state={"backend": "local", "dsn": "x"}), False),
    Case("project-unknown-backend", _with(PROJECT, state={"backend": "redis"}), False),
    Case("project-no-environments", _with(PROJECT, environments={}), False),
    Case(
        "project-local-default-path", _with(PROJECT, environments={"t": {"target": {"type": "local"}}}), True
    ),
    Case(
        "project-superoffice-full",
        _with(
            PROJECT,
            environments={
                "p": {
                    "target": {
                        "type": "superoffice",
                        "url": "${env:SO_URL}",
                        "token": "${env:SO_TOKEN}",
                        "app_token": "${env:SO_APP}",
                        "ca_bundle": "certs/ca.pem",
                    }
                }
            },
        ),
        True,
    ),
    Case(
        "project-superoffice-no-token",
        _with(PROJECT, environments={"p": {"target": {"type": "superoffice", "url": "https://x"}}}),
        False,
    ),
    Case(
        "project-superoffice-path",
        _with(
            PROJECT,
            environments={
                "p": {"target": {"type": "superoffice", "url": "https://x", "token": "t", "path": "x"}}
            },
        ),
        False,
    ),
    Case(
        "project-superoffice-ftp",
        _with(
            PROJECT, environments={"p": {"target": {"type": "superoffice", "url": "ftp://x", "token": "t"}}}
        ),
        False,
    ),
    Case(
        "project-local-url",
        _with(PROJECT, environments={"t": {"target": {"type": "local", "url": "https://x"}}}),
        False,
    ),
    Case("project-no-target", _with(PROJECT, environments={"t": {"vars": {}}}), False),
    Case(
        "project-bad-var-name",
        _with(PROJECT, environments={"t": {"target": {"type": "local"}, "vars": {"a-b": 1}}}),
        False,
    ),
    Case(
        "project-var-list",
        _with(PROJECT, environments={"t": {"target": {"type": "local"}, "vars": {"a": [1]}}}),
        False,
    ),
    Case("project-bad-env-name", _with(PROJECT, environments={"-t": {"target": {"type": "local"}}}), False),
    Case("project-config-dir-empty", _with(PROJECT, config_dir=""), False),
    Case("project-default-env-null", _with(PROJECT, default_environment=None), False),
    # Not a document of any kind
    Case("unknown-kind", {"kind": "Connections", "name": "x"}, False),
    Case("no-kind", {"name": "x", "connector": "y"}, False),
    Case("kind-not-string", {"kind": 3}, False),
    Case("not-a-mapping", ["kind", "Connector"], False),
]

KIND_OF_CASE: dict[str, str | None] = {
    case.id: case.doc.get("kind")
    if isinstance(case.doc, dict) and isinstance(case.doc.get("kind"), str)
    else None
    for case in CASES
}
