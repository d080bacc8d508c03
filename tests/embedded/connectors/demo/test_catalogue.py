from __future__ import annotations

import copy
import json
import re
from importlib import resources
from typing import Any

import pytest

from syncspec.embedded.connectors.demo.catalogue import CatalogueError, load_catalogue, parse_catalogue
from syncspec.embedded.connectors.encoding import parse_value
from syncspec.model.enums import FieldAccess, FieldMetadataType

CATALOGUE = load_catalogue()
ACTOR_TYPES = list(CATALOGUE.actor_types)
FIELD_TYPES = {
    FieldMetadataType.TEXT,
    FieldMetadataType.INTEGER,
    FieldMetadataType.DOUBLE,
    FieldMetadataType.CHECKBOX,
    FieldMetadataType.LIST,
    FieldMetadataType.DATETIME,
}


def _raw() -> dict[str, Any]:
    text = (
        resources.files("syncspec.embedded.connectors.demo")
        .joinpath("catalogue.json")
        .read_text(encoding="utf-8")
    )
    data: dict[str, Any] = json.loads(text)
    return data


def test_loaded_once() -> None:
    assert load_catalogue() is CATALOGUE


def test_actor_types_are_the_four_of_the_demo_erp() -> None:
    assert ACTOR_TYPES == ["Customer", "Supplier", "Person", "Project"]


@pytest.mark.parametrize("actor_type", ACTOR_TYPES)
def test_actor_type_invariants(actor_type: str) -> None:
    actor = CATALOGUE.actor_types[actor_type]
    fields = {f.field_key: f for f in actor.fields}
    assert 15 <= len(actor.fields) <= 40
    assert len(fields) == len(actor.fields), "field keys are unique"
    assert {f.field_type for f in actor.fields} == FIELD_TYPES
    assert fields[actor.id_field].access is FieldAccess.READ_ONLY
    assert any(f.access is FieldAccess.READ_ONLY and f.field_key != actor.id_field for f in actor.fields)
    assert any(f.access is FieldAccess.MANDATORY for f in actor.fields)
    assert [f.rank for f in actor.fields] == list(range(1, len(actor.fields) + 1))
    for field in actor.fields:
        assert re.fullmatch(r"[A-Z0-9_]+", field.field_key)
        assert field.display_name and field.display_description
        if field.field_type is FieldMetadataType.LIST:
            assert field.list_name in CATALOGUE.lists
        else:
            assert field.list_name == ""
        if field.default_value and field.field_type is FieldMetadataType.LIST:
            assert field.default_value in CATALOGUE.lists[field.list_name]
        elif field.default_value:
            parse_value(field.field_type, field.default_value)
    assert set(actor.searchable) <= set(fields)


def test_the_briefs_fields_are_where_the_tenant_expects_them() -> None:
    def access(actor: str, key: str) -> FieldAccess:
        return {f.field_key: f.access for f in CATALOGUE.actor_types[actor].fields}[key]

    assert [CATALOGUE.actor_types[a].id_field for a in ACTOR_TYPES] == [
        "CUSTNO",
        "SUPPNO",
        "PERSONNO",
        "PROJNO",
    ]
    assert access("Customer", "NAME") is FieldAccess.MANDATORY
    assert access("Customer", "CURRENCY") is FieldAccess.MANDATORY
    assert access("Customer", "BALANCE") is FieldAccess.READ_ONLY
    assert access("Person", "LASTNAME") is FieldAccess.MANDATORY
    assert access("Project", "NAME") is FieldAccess.MANDATORY


def test_lists() -> None:
    assert "NO" in CATALOGUE.lists["country"]
    assert {"NOK", "SEK", "DKK", "EUR", "USD", "GBP"} <= set(CATALOGUE.lists["currency"])
    assert {"10D", "14D", "30D", "60D", "CASH"} <= set(CATALOGUE.lists["payment_terms"])
    assert {"A", "B", "C", "X"} <= set(CATALOGUE.lists["customer_category"])
    assert {
        "currency",
        "payment_terms",
        "customer_category",
        "country",
        "project_status",
        "price_list",
    } <= set(CATALOGUE.lists)
    assert CATALOGUE.config_lists == {"languages"}


def test_config_fields() -> None:
    fields = {f.field_key: f for f in CATALOGUE.config_fields}
    expected = {
        "server": (FieldMetadataType.TEXT, FieldAccess.MANDATORY),
        "client": (FieldMetadataType.INTEGER, FieldAccess.MANDATORY),
        "user": (FieldMetadataType.TEXT, FieldAccess.MANDATORY),
        "password": (FieldMetadataType.PASSWORD, FieldAccess.MANDATORY),
        "language": (FieldMetadataType.LIST, FieldAccess.NORMAL),
        "timeout": (FieldMetadataType.INTEGER, FieldAccess.NORMAL),
    }
    for key, (field_type, access) in expected.items():
        assert (fields[key].field_type, fields[key].access) == (field_type, access)
    assert fields["language"].list_name == "languages"
    assert fields["language"].default_value == "en"
    assert fields["timeout"].default_value == "30"
    assert any(f.field_type is FieldMetadataType.LABEL for f in CATALOGUE.config_fields)
    assert sorted(f.rank for f in CATALOGUE.config_fields) == list(range(1, len(fields) + 1))


def test_packaged_data_parses_to_the_loaded_catalogue() -> None:
    assert parse_catalogue(_raw()) == CATALOGUE


def _broken(edit: str) -> dict[str, Any]:
    data = copy.deepcopy(_raw())
    customer = data["actor_types"]["Customer"]
    if edit == "duplicate key":
        customer["fields"].append(dict(customer["fields"][1]))
    elif edit == "missing list":
        customer["fields"][1] = {"key": "NAME", "name": "Name", "type": "List", "list": "nope"}
    elif edit == "id not read-only":
        customer["fields"][0]["access"] = "Normal"
    elif edit == "bad default":
        customer["fields"][1]["default"] = "ZZZ"
        customer["fields"][1]["type"] = "Integer"
    elif edit == "lower-case key":
        customer["fields"][1]["key"] = "name"
    elif edit == "unsupported actor":
        data["actor_types"]["Employee"] = customer
    elif edit == "unknown searchable":
        customer["searchable"].append("NOPE")
    elif edit == "config list missing":
        data["config_lists"].append("timezones")
    return data


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ("duplicate key", "duplicate key 'NAME'"),
        ("missing list", "needs a list from lists, got 'nope'"),
        ("id not read-only", "'CUSTNO' must be ReadOnly"),
        ("bad default", "Integer value: expected an integer"),
        ("lower-case key", "field key 'name' does not match"),
        ("unsupported actor", "actor_types.Employee: not an actor type ERP sync supports"),
        ("unknown searchable", "'NOPE' is not one of its fields"),
        ("config list missing", "list 'timezones' is not in lists"),
    ],
)
def test_inconsistent_catalogue_is_refused_on_load(edit: str, message: str) -> None:
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(_broken(edit))
    assert message in str(caught.value)


def test_all_problems_are_reported_together() -> None:
    data = _broken("duplicate key")
    data["actor_types"]["Customer"]["searchable"].append("NOPE")
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(data)
    assert "duplicate key" in str(caught.value) and "'NOPE'" in str(caught.value)


@pytest.mark.parametrize("data", [None, [], {"format_version": 2}, {"format_version": 1, "lists": []}])
def test_malformed_data_is_a_catalogue_error(data: object) -> None:
    with pytest.raises(CatalogueError):
        parse_catalogue(data)
