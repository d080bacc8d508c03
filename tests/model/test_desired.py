from __future__ import annotations

from typing import Any

import pydantic
import pytest

from syncspec.model.desired import (
    Access,
    ActorDesired,
    ConnectionDesired,
    ConnectionDoc,
    ConnectorDoc,
    CrmItemRef,
    DefaultsDoc,
    DesiredState,
    Direction,
    FieldMappingsDoc,
    FieldMappingSpec,
    ListMappingsDoc,
    PostgresState,
    ProjectDoc,
    RankingDoc,
    SuperOfficeTarget,
    SyncEngineDoc,
    SyncPriorityDoc,
    build_document,
)
from syncspec.model.enums import ErpActorType
from syncspec.model.source import Origin
from syncspec.spec.schema.packaged import KINDS
from tests.spec.schema.schema_cases import (
    CASES,
    CONNECTION,
    CONNECTOR,
    DEFAULTS,
    ENGINE,
    KIND_OF_CASE,
    LISTS,
    MAPPINGS,
    PRIORITY,
    PROJECT,
    RANKING,
    Case,
)

ORIGIN = Origin("connections/x.yaml", document=1, first_line=7)
OF_A_KIND = [c for c in CASES if KIND_OF_CASE[c.id] in KINDS]


def _accepts(doc: Any) -> bool:
    try:
        build_document(doc, ORIGIN)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("case", OF_A_KIND, ids=[c.id for c in OF_A_KIND])
def test_the_models_accept_exactly_what_the_schemas_accept(case: Case) -> None:
    assert _accepts(case.doc) is case.valid


VALID = [c for c in OF_A_KIND if c.valid]


@pytest.mark.parametrize("case", VALID, ids=[c.id for c in VALID])
def test_a_dump_of_what_was_written_builds_the_same_document(case: Case) -> None:
    doc = build_document(case.doc, ORIGIN)
    dumped = doc.model_dump(mode="json", exclude_unset=True)
    assert dumped == case.doc
    assert build_document(dumped, ORIGIN).model_dump() == doc.model_dump()


@pytest.mark.parametrize("doc", [{"kind": "Connections"}, {"name": "x"}, {"kind": 3}])
def test_build_document_refuses_what_is_not_a_known_kind(doc: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="unknown document kind"):
        build_document(doc, ORIGIN)


def test_build_document_picks_the_model_by_kind() -> None:
    expected = {
        "Project": (PROJECT, ProjectDoc),
        "Connector": (CONNECTOR, ConnectorDoc),
        "Connection": (CONNECTION, ConnectionDoc),
        "FieldMappings": (MAPPINGS, FieldMappingsDoc),
        "ListMappings": (LISTS, ListMappingsDoc),
        "Defaults": (DEFAULTS, DefaultsDoc),
        "Ranking": (RANKING, RankingDoc),
        "SyncPriority": (PRIORITY, SyncPriorityDoc),
        "SyncEngine": (ENGINE, SyncEngineDoc),
    }
    assert list(expected) == list(KINDS)
    for kind, (data, model) in expected.items():
        doc = build_document(data, ORIGIN)
        assert type(doc) is model
        assert doc.kind == kind


def test_origin_rides_along_but_is_not_part_of_the_value() -> None:
    doc = build_document(CONNECTOR, ORIGIN)
    assert doc.origin is ORIGIN
    assert "origin" not in doc.model_dump()
    assert "connections/x.yaml" not in repr(doc)
    with pytest.raises(ValueError, match="not a document key"):
        build_document({**CONNECTOR, "origin": "elsewhere"}, ORIGIN)


def test_documents_are_frozen() -> None:
    doc = build_document(CONNECTION, ORIGIN)
    assert isinstance(doc, ConnectionDoc)
    with pytest.raises(pydantic.ValidationError):
        doc.active = False  # type: ignore[misc]


def test_connection_values_are_typed() -> None:
    doc = build_document(CONNECTION, ORIGIN)
    assert isinstance(doc, ConnectionDoc)
    assert doc.all_access
    assert set(doc.actors) == {ErpActorType.CUSTOMER, ErpActorType.PERSON}
    assert doc.actors[ErpActorType.CUSTOMER].sync is True
    scoped = build_document({**CONNECTION, "access": {"groups": ["Sales"]}}, ORIGIN)
    assert isinstance(scoped, ConnectionDoc)
    assert not scoped.all_access
    assert scoped.access == Access(groups=("Sales",))
    minimal = build_document({"kind": "Connection", "name": "c", "connector": "d"}, ORIGIN)
    assert isinstance(minimal, ConnectionDoc)
    assert (minimal.description, minimal.active, minimal.access, minimal.config) == (
        "",
        False,
        "everyone",
        {},
    )


def test_field_mappings_keep_unset_settings_as_none() -> None:
    doc = build_document(MAPPINGS, ORIGIN)
    assert isinstance(doc, FieldMappingsDoc)
    assert doc.actor is ErpActorType.CUSTOMER
    assert doc.fields["CUSTNO"].direction is Direction.TO_CRM
    assert doc.fields["CREDITLIMIT"] == FieldMappingSpec(show_in_tab=True)
    assert doc.fields["CREDITLIMIT"].crm is None


def test_list_items_by_name_by_id_and_unset() -> None:
    doc = build_document(LISTS, ORIGIN)
    assert isinstance(doc, ListMappingsDoc)
    assert doc.items["A"] == CrmItemRef(name="Key account")
    assert doc.items["B"] == CrmItemRef(id=7)
    assert doc.items["X"].is_unset and not doc.items["A"].is_unset
    assert doc.items["NO"].name == "Norway"  # YAML 1.2 keeps NO a string; so do we
    integral = build_document({**LISTS, "items": {"A": {"id": 3.0}}}, ORIGIN)
    assert isinstance(integral, ListMappingsDoc)
    assert integral.items["A"].id == 3  # JSON Schema's integer includes 3.0


def test_project_state_and_targets() -> None:
    doc = build_document(
        {**PROJECT, "state": {"backend": "postgres", "dsn": "${env:SYNCSPEC_PG_DSN}"}},
        ORIGIN,
    )
    assert isinstance(doc, ProjectDoc)
    assert doc.state == PostgresState(dsn="${env:SYNCSPEC_PG_DSN}")
    prod = doc.environments["prod"].target
    assert isinstance(prod, SuperOfficeTarget)
    assert prod.token == "${env:SO}" and prod.app_token is None
    assert doc.environments["prod"].vars == {
        "erp_server": "https://erp.example.com",
        "retries": 3,
        "strict": True,
    }
    minimal = build_document({"kind": "Project"}, ORIGIN)
    assert isinstance(minimal, ProjectDoc)
    assert (minimal.config_dir, minimal.state.backend, minimal.environments) == ("connections", "local", {})


@pytest.mark.parametrize(
    ("direction", "to_crm", "to_erp"),
    [
        (Direction.NONE, False, False),
        (Direction.TO_CRM, True, False),
        (Direction.TO_ERP, False, True),
        (Direction.BOTH, True, True),
    ],
)
def test_direction_flags_round_trip(direction: Direction, to_crm: bool, to_erp: bool) -> None:
    assert (direction.sync_to_crm, direction.sync_to_erp) == (to_crm, to_erp)
    assert Direction.from_flags(to_crm, to_erp) is direction


def test_python_code_may_build_empty_settings_that_documents_may_not_contain() -> None:
    # import builds models from live state: a connection nobody may use, a field with nothing set.
    assert Access() == Access(groups=(), users=())
    assert FieldMappingSpec(crm=None) == FieldMappingSpec()
    assert not _accepts({**MAPPINGS, "fields": {"A": {"crm": None}}})
    assert not _accepts({**CONNECTION, "access": {}})


def test_validation_errors_do_not_echo_input_values() -> None:
    with pytest.raises(pydantic.ValidationError) as caught:
        build_document({**CONNECTION, "config": {"password": ["hunter2-secret"]}}, ORIGIN)
    assert "hunter2-secret" not in str(caught.value)


def _doc(data: dict[str, Any], **changes: Any) -> Any:
    return build_document({**data, **changes}, ORIGIN)


def test_connection_desired_collects_documents_per_actor() -> None:
    connection = _doc(CONNECTION)
    mappings, defaults, ranking = _doc(MAPPINGS), _doc(DEFAULTS), _doc(RANKING)
    category, country = _doc(LISTS), _doc(LISTS, field="COUNTRY")
    person_ranking = _doc(RANKING, actor="Person")
    desired = ConnectionDesired(connection=connection)
    for doc in (mappings, category, defaults, ranking, country, person_ranking):
        desired = desired.with_document(doc)
    customer = desired.actor(ErpActorType.CUSTOMER)
    assert customer == ActorDesired(
        mappings=mappings,
        lists={"CATEGORY": category, "COUNTRY": country},
        defaults=defaults,
        ranking=ranking,
    )
    assert desired.actor(ErpActorType.PERSON) == ActorDesired(ranking=person_ranking)
    assert desired.actor(ErpActorType.PROJECT) == ActorDesired()
    assert desired.name == "visma-norway"
    # with_document returns a new value; the first aggregate is untouched
    assert ConnectionDesired(connection=connection).actors == {}


def test_desired_state_lists_its_documents_in_a_stable_order() -> None:
    connection = _doc(CONNECTION)
    desired = (
        ConnectionDesired(connection=connection)
        .with_document(_doc(LISTS, field="Z"))
        .with_document(_doc(LISTS))
        .with_document(_doc(RANKING))
        .with_document(_doc(MAPPINGS))
    )
    state = DesiredState(
        connectors={"demo-erp": _doc(CONNECTOR)},
        connections={"visma-norway": desired},
        sync_priority=_doc(PRIORITY),
    )
    kinds = [(d.kind, getattr(d, "field", "")) for d in state.documents()]
    assert kinds == [
        ("Connector", ""),
        ("Connection", ""),
        ("FieldMappings", ""),
        ("Ranking", ""),
        ("ListMappings", "CATEGORY"),
        ("ListMappings", "Z"),
        ("SyncPriority", ""),
    ]
    assert DesiredState().documents() == []
