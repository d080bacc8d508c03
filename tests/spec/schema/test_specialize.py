"""Schemas specialised to metadata: still draft-07, still accept the example, and now know real names.

The demo metadata is the real thing: a fresh embedded tenant seeded with the demo
connector and the example's connections, read through the AgentTarget. The small
hand-built metadata checks merging across connectors.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import pytest

from syncspec.embedded.tenant import InProcessAgent, Tenant
from syncspec.model.enums import CrmActorType, ErpActorType, FieldAccess, FieldMetadataType
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
from syncspec.spec.loading.yamlload import load_file
from syncspec.spec.schema.packaged import KINDS, load_schema
from syncspec.spec.schema.specialize import facts_of, specialize, specialize_all
from syncspec.targets.agent_target import AgentTarget
from tests.support.example import REPO
from tests.support.tenants import seed_example_tenant

ALL = (None, *KINDS)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Metadata:
    path = tmp_path_factory.mktemp("tenant") / "tenant.db"
    seed_example_tenant(path)
    tenant = Tenant.open_or_create(path)
    target = AgentTarget(InProcessAgent(tenant), "local:test")
    try:
        return target.read_metadata()
    finally:
        tenant.close()


def _validator(kind: str | None, metadata: Metadata) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(specialize(kind, load_schema(kind), metadata, label="test"))


def _errors(kind: str | None, metadata: Metadata, document: dict[str, Any]) -> list[str]:
    return sorted(e.message for e in _validator(kind, metadata).iter_errors(document))


def _example_documents() -> list[dict[str, Any]]:
    documents = []
    for path in [REPO / "syncspec.yaml", *sorted((REPO / "connections").rglob("*.yaml"))]:
        loaded = load_file(path)
        assert loaded.ok, path
        documents.extend(doc.data for doc in loaded.documents)
    return documents


@pytest.mark.parametrize("kind", ALL)
def test_specialised_schemas_pass_the_draft07_metaschema(kind: str | None, demo: Metadata) -> None:
    jsonschema.Draft7Validator.check_schema(specialize(kind, load_schema(kind), demo, label="local"))


def test_the_example_configuration_is_accepted_by_each_kind_and_the_umbrella(demo: Metadata) -> None:
    documents = _example_documents()
    assert len(documents) == 26
    validators = {kind: _validator(kind, demo) for kind in ALL}
    for document in documents:
        for kind in (None, document["kind"]):
            problems = [e.message for e in validators[kind].iter_errors(document)]
            assert problems == [], (kind, document)


def _mappings(actor: str, fields: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "FieldMappings", "connection": "demo-norway", "actor": actor, "fields": fields}


@pytest.mark.parametrize("kind", ["FieldMappings", None])
def test_field_keys_are_enumerated_per_actor(kind: str | None, demo: Metadata) -> None:
    assert _errors(kind, demo, _mappings("Customer", {"CUSTNO": {"show_in_tab": True}})) == []
    assert _errors(kind, demo, _mappings("Person", {"PERSONNO": {"show_in_tab": True}})) == []
    # PERSONNO is a Person field, not a Customer one
    (message,) = _errors(kind, demo, _mappings("Customer", {"PERSONNO": {"show_in_tab": True}}))
    assert message.startswith("'PERSONNO' is not one of ['CUSTNO', 'NAME',")


def test_crm_values_are_the_fields_of_the_actors_entity(demo: Metadata) -> None:
    assert _errors("FieldMappings", demo, _mappings("Customer", {"EMAIL": {"crm": "contact.email"}})) == []
    (message,) = _errors("FieldMappings", demo, _mappings("Customer", {"EMAIL": {"crm": "person.email"}}))
    assert message.startswith("'person.email' is not one of ['contact.business',")
    assert _errors("FieldMappings", demo, _mappings("Person", {"EMAIL": {"crm": "person.email"}})) == []


def test_read_only_erp_fields_only_offer_directions_towards_the_crm(demo: Metadata) -> None:
    ok = _mappings("Customer", {"CUSTNO": {"crm": "contact.number2", "direction": "to-crm"}})
    bad = _mappings("Customer", {"CUSTNO": {"crm": "contact.number2", "direction": "both"}})
    assert _errors("FieldMappings", demo, ok) == []
    assert _errors("FieldMappings", demo, bad) == ["'both' is not one of ['none', 'to-crm']"]


def test_field_hints_carry_display_name_and_type(demo: Metadata) -> None:
    schema = specialize("FieldMappings", load_schema("FieldMappings"), demo)
    customer = next(b for b in schema["allOf"] if b["if"]["properties"]["actor"]["const"] == "Customer")
    currency = customer["then"]["properties"]["fields"]["properties"]["CURRENCY"]
    assert currency["description"] == "List, list currency, mandatory"
    assert currency["properties"]["crm"] == {"$ref": "#/definitions/crmFieldContact"}
    assert "contact.currency" in schema["definitions"]["crmFieldContact"]["enum"]


def test_defaults_keys_per_actor_and_list_values_are_item_keys(demo: Metadata) -> None:
    def doc(fields: dict[str, Any]) -> dict[str, Any]:
        return {"kind": "Defaults", "connection": "demo-norway", "actor": "Customer", "fields": fields}

    assert _errors("Defaults", demo, doc({"PRICELIST": {"value": "STD"}})) == []
    assert _errors("Defaults", demo, doc({"PRICELIST": {"value": "Standard"}})) == [
        "'Standard' is not one of ['EXPORT', 'RETAIL', 'STAFF', 'STD', 'WHOLESALE']"
    ]
    assert len(_errors("Defaults", demo, doc({"LANGUAGE": {"value": "nb"}}))) == 1  # a Person field
    assert _errors("Defaults", demo, doc({"DISCOUNT": {"value": 5}})) == []


def test_ranking_order_items_per_actor(demo: Metadata) -> None:
    def doc(actor: str, order: list[str]) -> dict[str, Any]:
        return {"kind": "Ranking", "connection": "demo-sweden", "actor": actor, "order": order}

    assert _errors("Ranking", demo, doc("Person", ["PURCHASELIMIT", "PERSONNO"])) == []
    assert len(_errors("Ranking", demo, doc("Customer", ["PURCHASELIMIT"]))) == 1


def test_list_mappings_field_is_a_list_field_and_items_are_that_lists_keys(demo: Metadata) -> None:
    def doc(field: str, items: dict[str, Any]) -> dict[str, Any]:
        return {
            "kind": "ListMappings",
            "connection": "demo-norway",
            "actor": "Customer",
            "field": field,
            "items": items,
        }

    assert _errors("ListMappings", demo, doc("COUNTRY", {"SE": "Sweden"})) == []
    assert _errors("ListMappings", demo, doc("CATEGORY", {"A": "Key account", "X": None})) == []
    assert _errors("ListMappings", demo, doc("CATEGORY", {"SE": "Sweden"})) == [
        "'SE' is not one of ['A', 'B', 'C', 'G', 'P', 'X']"
    ]
    (message,) = _errors("ListMappings", demo, doc("NAME", {"A": "x"}))
    assert message == "'NAME' is not one of ['COUNTRY', 'CURRENCY', 'PAYTERMS', 'CATEGORY', 'PRICELIST']"


def _connection(connector: str, config: dict[str, Any], actors: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": "Connection",
        "name": "demo-x",
        "connector": connector,
        "config": config,
        "actors": actors,
    }


def test_connection_config_keys_and_actors_come_from_the_connector(demo: Metadata) -> None:
    good = {"server": "${var:s}", "client": 3, "user": "u", "password": "${env:P}", "language": "da"}
    assert _errors("Connection", demo, _connection("demo-erp", good, {"Customer": {"sync": True}})) == []
    by_reference = {**good, "language": "${var:erp_language}"}
    assert _errors("Connection", demo, _connection("demo-erp", by_reference, {})) == []
    assert len(_errors("Connection", demo, _connection("demo-erp", {**good, "timout": 3}, {}))) == 1
    assert len(_errors("Connection", demo, _connection("demo-erp", {**good, "language": "xx"}, {}))) == 1
    assert len(_errors("Connection", demo, _connection("demo-erp", {"intro": "a label"}, {}))) == 1
    assert len(_errors("Connection", demo, _connection("demo-erp", good, {"Partner": {"sync": True}}))) == 1
    # a connector the tenant does not have yet: nothing beyond the packaged schema
    assert (
        _errors("Connection", demo, _connection("other-erp", {"timout": 3}, {"Partner": {"sync": True}}))
        == []
    )


def test_password_config_fields_say_to_use_an_env_reference(demo: Metadata) -> None:
    schema = specialize("Connection", load_schema("Connection"), demo)
    config = schema["allOf"][0]["then"]["properties"]["config"]
    assert config["properties"]["password"]["description"] == (
        "Password, mandatory; a secret: give it as ${env:NAME}"
    )
    assert "intro" not in config["properties"]  # a Label field takes no value


def test_names_are_suggested_but_new_ones_stay_valid(demo: Metadata) -> None:
    schema = specialize("SyncPriority", load_schema("SyncPriority"), demo)
    assert schema["properties"]["order"]["items"] == {
        "anyOf": [{"enum": ["demo-norway", "demo-sweden"]}, {"$ref": "#/definitions/name"}]
    }
    assert _errors("SyncPriority", demo, {"kind": "SyncPriority", "order": ["demo-sweden", "demo-new"]}) == []
    assert _errors("SyncPriority", demo, {"kind": "SyncPriority", "order": ["Demo Sweden"]}) != []
    assert _errors(
        "Ranking", demo, {"kind": "Ranking", "connection": "NEW", "actor": "Person", "order": ["EMAIL"]}
    )


def test_specialising_never_changes_the_packaged_schemas(demo: Metadata) -> None:
    before = {kind: copy.deepcopy(load_schema(kind)) for kind in ALL}
    specialize_all({kind: load_schema(kind) for kind in ALL}, demo, label="x")
    assert {kind: load_schema(kind) for kind in ALL} == before


def test_id_and_description_name_the_environment(demo: Metadata) -> None:
    schema = specialize("Ranking", load_schema("Ranking"), demo, label="prod eu")
    assert schema["$id"] == "https://syncspec.dev/schemas/env/prod%20eu/Ranking.schema.json"
    assert schema["description"].endswith(
        "Specialised to the metadata of environment 'prod eu' by `syncspec schema --env`."
    )


def test_empty_metadata_adds_no_constraints() -> None:
    empty = Metadata(connectors={}, connections={}, crm_fields={}, crm_lists={})
    for kind in ALL:
        packaged = load_schema(kind)
        specialised = specialize(kind, packaged, empty)
        assert specialised == packaged
        assert "[]" not in json.dumps(specialised).replace('"required": []', "")


def _field(key: str, field_type: FieldMetadataType = FieldMetadataType.TEXT, **kw: Any) -> ErpFieldMeta:
    return ErpFieldMeta(key=key, display_name=key.title(), field_type=field_type, **kw)


def _small(order: list[str]) -> Metadata:
    def connection(name: str, connector: str, keys: list[str], items: dict[str, str]) -> ConnectionMeta:
        fields = {k: _field(k) for k in keys}
        fields["GROUP"] = _field("GROUP", FieldMetadataType.LIST, list_name="groups")
        actor = ActorMeta(ErpActorType.CUSTOMER, CrmActorType.CONTACT, fields)
        return ConnectionMeta(name, connector, {ErpActorType.CUSTOMER: actor}, {"groups": items})

    connections = {
        "alpha": connection("alpha", "one", ["ID", "NAME"], {"A": "Alpha group"}),
        "beta": connection("beta", "two", ["NAME", "VAT"], {"B": "Beta group", "A": "Also alpha"}),
    }
    key = ConfigFieldMeta("key", "API key", FieldMetadataType.PASSWORD, FieldAccess.MANDATORY)
    return Metadata(
        connectors={
            "one": ConnectorMeta("one", "plugin://one", {"key": key}),
            "two": ConnectorMeta("two", "plugin://two", {}),
        },
        connections={name: connections[name] for name in order},
        crm_fields={
            "contact.name": CrmFieldMeta("contact.name", "Name", CrmActorType.CONTACT, FieldMetadataType.TEXT)
        },
        crm_lists={"g": CrmListMeta("g", {1: "G"})},
    )


def test_an_actors_fields_and_list_items_are_merged_over_its_connections() -> None:
    facts = facts_of(_small(["alpha", "beta"]))
    customer = facts.actors[ErpActorType.CUSTOMER]
    assert list(customer.fields) == ["ID", "NAME", "GROUP", "VAT"]
    assert customer.list_items == {"GROUP": {"A": "Alpha group", "B": "Beta group"}}
    assert facts.connector_actors == {"one": (ErpActorType.CUSTOMER,), "two": (ErpActorType.CUSTOMER,)}


def test_the_result_does_not_depend_on_the_order_metadata_was_read_in() -> None:
    forward = specialize(None, load_schema(None), _small(["alpha", "beta"]))
    backward = specialize(None, load_schema(None), _small(["beta", "alpha"]))
    assert json.dumps(forward) == json.dumps(backward)


def test_a_connector_without_connections_still_enumerates_its_config_keys() -> None:
    metadata = _small(["alpha"])
    connection = {"kind": "Connection", "name": "c", "connector": "one", "config": {"key": "${env:K}"}}
    assert _errors("Connection", metadata, connection) == []
    assert len(_errors("Connection", metadata, {**connection, "config": {"token": "x"}})) == 1
    two = {"kind": "Connection", "name": "c", "connector": "two", "config": {"anything": 1}}
    assert _errors("Connection", metadata, two) == []  # connector two defines no config fields at all
