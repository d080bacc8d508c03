"""The import writer: names, quoting, documents per kind, and layouts that plan as no change."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syncspec.model.applied import LastApplied
from syncspec.model.diagnostics import has_errors
from syncspec.model.enums import CrmActorType, ErpActorType, FieldAccess, FieldMetadataType
from syncspec.model.live import (
    LiveAccess,
    LiveActor,
    LiveConnection,
    LiveConnector,
    LiveDefault,
    LiveField,
    LiveState,
)
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
from syncspec.model.text import scalar_text
from syncspec.plan.model import Plan
from syncspec.plan.planner import PlanOptions, plan
from syncspec.spec.build import Variables, build_desired
from syncspec.spec.formatting.canonical import format_text
from syncspec.spec.loading.documents import LoadedDocument
from syncspec.spec.loading.interpolate import resolve
from syncspec.spec.loading.yamlload import load_bytes
from syncspec.spec.schema.check import check_documents
from syncspec.spec.writing.layout import (
    Layout,
    WriterOptions,
    build_layout,
    env_var_name,
    typed_scalar,
    valid_name,
    yaml_text,
)
from syncspec.targets.carriers import MASKED_VALUE

CUSTOMER = ErpActorType.CUSTOMER
T = FieldMetadataType
SECRET = "s3cret-value"
NOW = datetime(2026, 1, 2, tzinfo=UTC)

# key -> (type, access, ERP list)
ERP_FIELDS: dict[str, tuple[FieldMetadataType, FieldAccess, str]] = {
    "CUSTNO": (T.TEXT, FieldAccess.READ_ONLY, ""),
    "NAME": (T.TEXT, FieldAccess.MANDATORY, ""),
    "COUNTRY": (T.LIST, FieldAccess.NORMAL, "country"),
    "CATEGORY": (T.LIST, FieldAccess.NORMAL, "customer_category"),
    "CURRENCY": (T.LIST, FieldAccess.MANDATORY, "currency"),
    "DISCOUNT": (T.INTEGER, FieldAccess.NORMAL, ""),
    "BLOCKED": (T.CHECKBOX, FieldAccess.NORMAL, ""),
    "BALANCE": (T.DOUBLE, FieldAccess.READ_ONLY, ""),
}
ERP_LISTS = {
    "country": {"NO": "Norway", "SE": "Sweden", "DK": "Denmark"},
    "customer_category": {"A": "Key account", "B": "Customer", "C": "Prospect"},
    "currency": {"NOK": "Norwegian krone", "EUR": "Euro"},
}
CRM_LIST_OF = {"contact.country": "country", "contact.category": "category", "contact.currency": "currency"}
CRM_LISTS = {
    "country": {1: "Norway", 2: "Sweden", 3: "Denmark"},
    "category": {1: "Key account", 2: "Customer", 3: "Prospect", 4: "Customer"},  # "Customer" twice
    "currency": {1: "NOK", 2: "EUR"},
}
CRM_FIELDS = ["contact.name", "contact.number2", "contact.department", *CRM_LIST_OF]


def metadata(connections: tuple[str, ...] = ("demo-norway",)) -> Metadata:
    actor = ActorMeta(
        CUSTOMER,
        CrmActorType.CONTACT,
        {k: ErpFieldMeta(k, k.title(), t, a, lst) for k, (t, a, lst) in ERP_FIELDS.items()},
    )
    config_fields = {
        "server": ConfigFieldMeta("server", "Server", T.TEXT, FieldAccess.MANDATORY),
        "client": ConfigFieldMeta("client", "Client", T.INTEGER, FieldAccess.MANDATORY),
        "password": ConfigFieldMeta("password", "Password", T.PASSWORD, FieldAccess.MANDATORY),
        "verbose": ConfigFieldMeta("verbose", "Verbose", T.CHECKBOX),
        "language": ConfigFieldMeta("language", "Language", T.LIST, list_name="languages"),
    }
    return Metadata(
        connectors={"demo-erp": ConnectorMeta("demo-erp", "plugin://demo", config_fields)},
        connections={
            name: ConnectionMeta(name, "demo-erp", {CUSTOMER: actor}, ERP_LISTS) for name in connections
        },
        crm_fields={
            key: CrmFieldMeta(
                key,
                key,
                CrmActorType.CONTACT,
                T.LIST if key in CRM_LIST_OF else T.TEXT,
                list_name=CRM_LIST_OF.get(key, ""),
            )
            for key in CRM_FIELDS
        },
        crm_lists={name: CrmListMeta(name, items) for name, items in CRM_LISTS.items()},
        users=frozenset({"ANNA"}),
        groups=frozenset({"Sales"}),
    )


def live_fields(**changes: LiveField) -> dict[str, LiveField]:
    fields = {key: LiveField(field_id=i + 1, key=key, rank=i + 1) for i, key in enumerate(ERP_FIELDS)}
    fields.update(changes)
    return fields


def connection(name: str = "demo-norway", **kw: object) -> LiveConnection:
    fields = live_fields(
        CUSTNO=LiveField(1, "CUSTNO", "contact.number2", to_crm=True, show_in_search=True, rank=1),
        NAME=LiveField(
            2, "NAME", "contact.name", to_crm=True, to_erp=True, rank=2, default=LiveDefault(mandatory=True)
        ),
        COUNTRY=LiveField(3, "COUNTRY", "contact.country", to_crm=True, rank=3),
        CATEGORY=LiveField(4, "CATEGORY", "contact.category", to_crm=True, rank=4),
        CURRENCY=LiveField(5, "CURRENCY", "", rank=5, default=LiveDefault(mandatory=True)),
        DISCOUNT=LiveField(6, "DISCOUNT", rank=6, default=LiveDefault(has_value=True, value="[I:5]")),
        BLOCKED=LiveField(
            7, "BLOCKED", rank=7, default=LiveDefault(has_value=True, value="[I:0]", prompt=True)
        ),
        BALANCE=LiveField(8, "BALANCE", show_in_tab=True, rank=8),
    )
    lists = {
        "COUNTRY": {"NO": 1, "SE": 2, "DK": None},
        "CATEGORY": {"A": 1, "B": 2, "C": None},
    }
    values: dict[str, object] = {
        "id": 1,
        "guid": "g-1",
        "name": name,
        "connector": "demo-erp",
        "description": "Demo Norge AS",
        "active": True,
        "access": LiveAccess(everyone=False, groups=("Sales",), users=("ANNA",)),
        "config": {
            "server": "https://erp.example.com",
            "client": "[I:1001]",  # as SuperOffice stores it (CultureDataFormatter)
            "password": SECRET,  # a target masks it; the writer must not rely on that
            "verbose": "[I:1]",
            "language": "NO",
        },
        "config_sensitive": frozenset({"password"}),
        "actors": {CUSTOMER: LiveActor(CUSTOMER, True, fields, lists)},
    }
    values.update(kw)
    return LiveConnection(**values)  # type: ignore[arg-type]


def live_state(*connections: LiveConnection) -> LiveState:
    conns = connections or (connection(),)
    return LiveState(
        connectors={"demo-erp": LiveConnector(1, "demo-erp", "plugin://demo")},
        connections={c.name: c for c in conns},
        sync_priority=tuple(c.name for c in conns),
    )


def files(layout: Layout) -> dict[str, str]:
    return {f.path: f.text for f in layout.files}


def plan_of(layout: Layout, live: LiveState, meta: Metadata) -> Plan:
    """Load the written texts like `validate` does, then plan them against the live state they came from."""
    documents: list[LoadedDocument] = []
    for file in layout.files:
        loaded = load_bytes(file.text.encode(), file.path)
        assert not loaded.diagnostics, loaded.diagnostics
        documents.extend(loaded.documents)
    assert not check_documents(documents)
    env = {variable: "anything" for variable in layout.env_vars}
    desired, problems = build_desired(documents, Variables(env=env))
    assert not has_errors(problems), problems
    resolved = {
        name: {k: resolve(scalar_text(v), env=env, vars={}) for k, v in c.connection.config.items()}
        for name, c in desired.connections.items()
    }
    return plan(
        desired,
        live,
        meta,
        resolved_config=resolved,
        last_applied=LastApplied.empty(),
        now=NOW,
        options=PlanOptions(),
    )


# --- small pieces --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("display", "expected"),
    [
        ("demo-norway", "demo-norway"),
        ("Visma Norway", "visma-norway"),
        ("  Visma / Sverige AB ", "visma-sverige-ab"),
        ("ÆØÅ client 1", "client-1"),
        ("---", "unnamed"),
        ("x" * 80, "x" * 63),
    ],
)
def test_valid_name(display: str, expected: str) -> None:
    assert valid_name(display) == expected


@pytest.mark.parametrize(
    ("connection_name", "key", "expected"),
    [
        ("demo-norway", "password", "DEMO_NORWAY_PASSWORD"),
        ("erp_1", "api.key", "ERP_1_API_KEY"),
        ("1st", "password", "_1ST_PASSWORD"),
    ],
)
def test_env_var_name(connection_name: str, key: str, expected: str) -> None:
    assert env_var_name(connection_name, key) == expected


@pytest.mark.parametrize(
    "text", ["NO", "no", "Yes", "on", "OFF", "null", "~", "12", "1.5", "1:30", "0x1f", "true"]
)
def test_strings_yaml_1_1_reads_otherwise_are_quoted(text: str) -> None:
    assert type(yaml_text(text)).__name__ == "SingleQuotedScalarString"


@pytest.mark.parametrize("text", ["Norway", "SE", "14D", "contact.name", "${env:X}", ""])
def test_plain_strings_stay_plain(text: str) -> None:
    assert type(yaml_text(text)) is str


@pytest.mark.parametrize(
    ("text", "field_type", "expected"),
    [
        ("1001", T.INTEGER, 1001),
        ("-3", T.INTEGER, -3),
        ("0012", T.INTEGER, "0012"),  # as an int it would compare as "12"
        ("true", T.CHECKBOX, True),
        ("false", T.CHECKBOX, False),
        ("1", T.CHECKBOX, "1"),
        ("1.50", T.DOUBLE, "1.50"),
        ("1001", T.TEXT, "1001"),
        ("1001", None, "1001"),
    ],
)
def test_typed_scalar_keeps_the_tenant_string(
    text: str, field_type: FieldMetadataType | None, expected: object
) -> None:
    value = typed_scalar(text, field_type)
    assert value == expected and type(value) is type(expected)


# --- documents ------------------------------------------------------------------------------
def test_layout_files_and_texts() -> None:
    written = files(build_layout(live_state(), metadata(), WriterOptions(schema_base="../schemas")))
    assert list(written) == [
        "connectors.yaml",
        "sync-priority.yaml",
        "demo-norway/connection.yaml",
        "demo-norway/customer.mappings.yaml",
        "demo-norway/customer.lists.yaml",
        "demo-norway/customer.defaults.yaml",
    ]
    assert written["demo-norway/connection.yaml"] == (
        "# yaml-language-server: $schema=../../schemas/Connection.schema.json\n"
        "kind: Connection\n"
        "name: demo-norway\n"
        "connector: demo-erp\n"
        "description: Demo Norge AS\n"
        "active: true\n"
        "access:\n"
        "  groups: [Sales]\n"
        "  users: [ANNA]\n"
        "config:\n"
        "  server: https://erp.example.com\n"
        "  client: 1001\n"
        "  password: ${env:DEMO_NORWAY_PASSWORD}\n"
        "  verbose: true\n"
        "  language: 'NO'\n"
        "actors:\n"
        "  Customer: {sync: true}\n"
    )
    assert written["demo-norway/customer.mappings.yaml"].splitlines()[4:] == [
        "fields:",
        "  CUSTNO: {crm: contact.number2, direction: to-crm, show_in_search: true}",
        "  NAME: {crm: contact.name, direction: both}",
        "  COUNTRY: {crm: contact.country, direction: to-crm}",
        "  CATEGORY: {crm: contact.category, direction: to-crm}",
        "  BALANCE: {show_in_tab: true}",
    ]
    assert written["connectors.yaml"].startswith(
        "# yaml-language-server: $schema=../schemas/Connector.schema.json\n"
    )


def test_lists_by_unique_name_else_by_id_and_one_document_per_field() -> None:
    text = files(build_layout(live_state(), metadata()))["demo-norway/customer.lists.yaml"]
    documents = text.split("---\n")
    assert len(documents) == 2
    assert all(
        d.startswith("# yaml-language-server: $schema=https://syncspec.dev/schemas/") for d in documents
    )
    assert "field: COUNTRY\nitems:\n  'NO': Norway\n  SE: Sweden\n" in documents[0]
    # "Customer" names two CRM items, so B is written by id; unmapped C is left out
    assert documents[1].endswith("field: CATEGORY\nitems:\n  A: Key account\n  B: {id: 2}\n")


def test_defaults_keep_types_and_leave_out_what_the_connector_implies() -> None:
    text = files(build_layout(live_state(), metadata()))["demo-norway/customer.defaults.yaml"]
    assert text.splitlines()[4:] == [
        "fields:",
        "  DISCOUNT: {value: 5}",
        "  BLOCKED: {value: false, prompt: true}",
    ]  # CURRENCY is mandatory by the connector with nothing else set: nothing to write


def test_secret_values_never_appear_and_their_variables_are_listed() -> None:
    layout = build_layout(live_state(), metadata())
    assert layout.env_vars == ("DEMO_NORWAY_PASSWORD",)
    assert all(SECRET not in f.text for f in layout.files)
    masked = connection(config={"password": MASKED_VALUE, "client": "1001"})
    text = files(build_layout(live_state(masked), metadata()))["demo-norway/connection.yaml"]
    assert MASKED_VALUE not in text and "password: ${env:DEMO_NORWAY_PASSWORD}" in text


def test_ranking_is_omitted_in_connector_order_and_a_live_prefix_otherwise() -> None:
    assert "demo-norway/customer.ranking.yaml" not in files(build_layout(live_state(), metadata()))
    base = connection()
    actor = base.actors[CUSTOMER]
    order = [
        "BALANCE",
        "NAME",
        "CUSTNO",
        *(k for k in actor.fields if k not in ("BALANCE", "NAME", "CUSTNO")),
    ]
    shown = {k: replace(actor.fields[k], show_in_tab=k in ("BALANCE", "CUSTNO")) for k in order}
    moved = replace(base, actors={CUSTOMER: replace(actor, fields=shown)})
    text = files(build_layout(live_state(moved), metadata()))["demo-norway/customer.ranking.yaml"]
    assert text.endswith("order: [BALANCE, NAME, CUSTNO]\n")


def test_partial_import_writes_the_chosen_connection_and_no_priority() -> None:
    live = live_state(connection("demo-norway"), connection("demo-sweden", id=2))
    layout = build_layout(
        live, metadata(("demo-norway", "demo-sweden")), WriterOptions(connections=("demo-sweden",))
    )
    assert sorted(files(layout)) == [
        "connectors.yaml",
        "demo-sweden/connection.yaml",
        "demo-sweden/customer.defaults.yaml",
        "demo-sweden/customer.lists.yaml",
        "demo-sweden/customer.mappings.yaml",
    ]
    missing = build_layout(live, metadata(), WriterOptions(connections=("nope", "demo-norway")))
    assert missing.missing == ("nope",)


def test_invalid_live_names_are_renamed_with_a_comment_and_a_note() -> None:
    live = live_state(connection("Visma Norway"), connection("visma-norway", id=2))
    layout = build_layout(live, metadata(("Visma Norway", "visma-norway")))
    written = files(layout)
    assert layout.renamed == {"Visma Norway": "visma-norway-2"}
    assert "sync-priority.yaml" in written and written["sync-priority.yaml"].endswith(
        "order: [visma-norway-2, visma-norway]\n"
    )
    assert written["visma-norway-2/connection.yaml"].splitlines()[1:3] == [
        "# Imported from the SuperOffice connection named 'Visma Norway'.",
        "kind: Connection",
    ]
    assert any("'Visma Norway'" in note and "rename it in SuperOffice" in note for note in layout.notes)


def test_output_is_deterministic_and_already_formatted() -> None:
    first = build_layout(live_state(), metadata())
    again = build_layout(live_state(), metadata())
    assert first == again
    for file in first.files:
        result = format_text(file.text, display=file.path)
        assert not result.changed and not result.diagnostics, file.path


def test_the_layout_plans_as_no_change() -> None:
    live = live_state(connection("demo-norway"), connection("demo-sweden", id=2, active=False))
    meta = metadata(("demo-norway", "demo-sweden"))
    result = plan_of(build_layout(live, meta), live, meta)
    assert result.changes == ()
    assert result.unmanaged == ()


# --- property: any consistent live actor round-trips ----------------------------------------
CRM_FOR = {
    "CUSTNO": "contact.number2",
    "NAME": "contact.name",
    "COUNTRY": "contact.country",
    "CATEGORY": "contact.category",
    "CURRENCY": "contact.currency",
    "DISCOUNT": "contact.department",
    "BLOCKED": "contact.department",
    "BALANCE": "contact.department",
}
# Stored as SuperOffice stores them: non-text values in CultureDataFormatter form.
DEFAULT_VALUES = {
    "COUNTRY": "NO",
    "CATEGORY": "A",
    "CURRENCY": "EUR",
    "DISCOUNT": "[I:10]",
    "BLOCKED": "[I:1]",
}


@st.composite
def live_actors(draw: st.DrawFn) -> LiveActor:
    order = draw(st.permutations(list(ERP_FIELDS)))
    fields: dict[str, LiveField] = {}
    lists: dict[str, Mapping[str, int | None]] = {}
    for rank, key in enumerate(order, start=1):
        _, access, erp_list = ERP_FIELDS[key]
        crm = CRM_FOR[key] if draw(st.booleans()) else ""
        direction = draw(st.sampled_from(["none", "to-crm", "both"])) if crm else "none"
        has_value = key in DEFAULT_VALUES and draw(st.booleans())
        prompt = draw(st.booleans())
        mandatory = access is FieldAccess.MANDATORY or ((has_value or prompt) and draw(st.booleans()))
        fields[key] = LiveField(
            field_id=rank,
            key=key,
            crm=crm,
            to_crm=direction != "none",
            to_erp=direction == "both" and access is not FieldAccess.READ_ONLY,
            show_in_search=draw(st.booleans()),
            show_in_tab=draw(st.booleans()),
            rank=rank,
            default=LiveDefault(
                has_value, DEFAULT_VALUES.get(key, "") if has_value else "", prompt, mandatory
            ),
        )
        if crm in CRM_LIST_OF and draw(st.booleans()):
            crm_ids = st.none() | st.sampled_from(sorted(CRM_LISTS[CRM_LIST_OF[crm]]))
            lists[key] = {item: draw(crm_ids) for item in ERP_LISTS[erp_list]}
    return LiveActor(CUSTOMER, draw(st.booleans()), fields, lists)


@settings(max_examples=60, deadline=None)
@given(actor=live_actors(), active=st.booleans(), everyone=st.booleans())
def test_any_consistent_live_actor_plans_as_no_change(actor: LiveActor, active: bool, everyone: bool) -> None:
    access = LiveAccess() if everyone else LiveAccess(everyone=False, users=("ANNA",))
    live = live_state(connection(actors={CUSTOMER: actor}, active=active, access=access))
    layout = build_layout(live, metadata())
    result = plan_of(layout, live, metadata())
    assert result.changes == (), [c.address for c in result.changes]
