from __future__ import annotations

import pytest

from syncspec.model.diagnostics import Severity
from syncspec.model.enums import ErpActorType
from tests.rules.helpers import check, demo_metadata, found, with_erp_field
from tests.rules.texts import connection, defaults

E = Severity.ERROR


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("DISCOUNT: {value: lots}", "Integer value"),
        ("CREDITLIMIT: {value: '1,5'}", "dot as the decimal separator"),
        ("BLOCKED: {value: maybe}", "Checkbox value"),
        ("PRICELIST: {value: Standard}", "has no item key 'Standard'"),
        ("PAYTERMS: {value: true}", "not a boolean"),
        ("BALANCE: {value: 1.5, prompt: true}", None),  # a valid Double: no diagnostic
    ],
    ids=["integer", "double", "checkbox", "list-text-not-key", "list-boolean", "valid"],
)
def test_ss312_default_value_invalid_for_the_field(field: str, expected: str | None) -> None:
    diags = check(connection(), defaults(f"  {field}\n"))
    if expected is None:
        assert diags == []
        return
    assert found(diags) == [("SS312", E, "f2.yaml", 5)]
    assert expected in diags[0].message
    assert diags[0].address.endswith(".default")
    assert diags[0].location is not None and diags[0].location.json_path.endswith(".value")


def test_ss312_list_default_is_the_item_key() -> None:
    diags = check(connection(), defaults("  PRICELIST: {value: Standard}\n"))
    assert diags[0].hint == "use the item key 'STD' ('Standard' is its display text)"
    assert check(connection(), defaults("  PRICELIST: {value: STD}\n")) == []


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("CURRENCY: {prompt: false}", [("SS322", E, "f2.yaml", 5)]),
        ("NAME: {mandatory: false}", [("SS322", E, "f2.yaml", 5)]),
        ("CURRENCY: {prompt: true}", []),
        ("SALESREP: {prompt: false}", []),  # not mandatory in the ERP: an empty default is allowed
    ],
    ids=["no-source", "not-mandatory-asked", "prompt", "optional-field"],
)
def test_ss322_a_connector_mandatory_default_needs_a_value_or_a_prompt(
    field: str, expected: list[tuple[str, Severity, str, int]]
) -> None:
    # The tenant keeps the field mandatory and refuses a mandatory default without a source.
    diags = check(connection(), defaults(f"  {field}\n"))
    assert found(diags) == expected
    if diags:
        assert diags[0].address.endswith(".field." + field.split(":")[0] + ".default")


def test_ss312_a_typed_value_longer_than_the_field_allows() -> None:
    # The tenant refuses a value longer than MaxLength whatever the field's type.
    meta = with_erp_field(demo_metadata("main"), "main", ErpActorType.CUSTOMER, "DISCOUNT", max_length=2)
    diags = check(connection(), defaults("  DISCOUNT: {value: 125}\n"), metadata=meta)
    assert found(diags) == [("SS312", E, "f2.yaml", 5)]
    assert "longer than the field's 2 characters" in diags[0].message
    assert check(connection(), defaults("  DISCOUNT: {value: 12}\n"), metadata=meta) == []
