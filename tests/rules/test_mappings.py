from __future__ import annotations

import pytest

from syncspec.model.diagnostics import Severity
from syncspec.model.enums import ErpActorType
from tests.rules.helpers import check, demo_metadata, found, with_erp_field
from tests.rules.texts import connection, defaults, lists, mappings

E = Severity.ERROR
W = Severity.WARNING


def test_ss302_unknown_erp_field_in_mappings_hints_closest_keys() -> None:
    diags = check(
        connection(),
        mappings("  NAME: {crm: contact.name, direction: both}\n  CUSTNOO: {show_in_tab: true}\n"),
    )
    assert found(diags) == [("SS302", E, "f2.yaml", 6)]
    assert diags[0].address == "connection.main.actor.Customer.field.CUSTNOO"
    assert diags[0].hint == "did you mean 'CUSTNO'?"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (defaults("  PRICELST: {value: STD}\n"), 5),
        (lists("CATEGROY", "  A: Key account\n"), 4),
    ],
    ids=["defaults", "list-field"],
)
def test_ss302_unknown_erp_field_in_defaults_and_lists(text: str, line: int) -> None:
    assert found(check(connection(), text)) == [("SS302", E, "f2.yaml", line)]


def test_ss302_field_the_connector_no_longer_reports() -> None:
    meta = with_erp_field(demo_metadata("main"), "main", ErpActorType.CUSTOMER, "FAX", missing_in_erp=True)
    diags = check(connection(), mappings("  FAX: {crm: contact.fax, direction: both}\n"), metadata=meta)
    assert found(diags) == [("SS302", E, "f2.yaml", 5)]
    assert "no longer exists" in diags[0].message


def test_ss303_unknown_crm_field() -> None:
    diags = check(connection(), mappings("  NAME: {crm: contact.nmae, direction: both}\n"))
    assert found(diags) == [("SS303", E, "f2.yaml", 5)]
    assert diags[0].hint.startswith("did you mean 'contact.name'")


def test_ss303_crm_field_of_another_entity() -> None:
    diags = check(connection(), mappings("  EMAIL: {crm: person.email, direction: both}\n"))
    assert found(diags) == [("SS303", E, "f2.yaml", 5)]
    assert "Customer syncs with Contact" in diags[0].message
    assert diags[0].hint == "did you mean 'contact.email'?"


def test_ss304_incompatible_types_for_the_direction() -> None:
    # A checkbox renders as text in the CRM, but text cannot flow back into a checkbox.
    ok = check(connection(), mappings("  BLOCKED: {crm: contact.udef.erp_note, direction: to-crm}\n"))
    assert ok == []
    diags = check(connection(), mappings("  BLOCKED: {crm: contact.udef.erp_note, direction: both}\n"))
    assert found(diags) == [("SS304", E, "f2.yaml", 5)]
    assert "Checkbox" in diags[0].message and "Text" in diags[0].message


def test_ss305_direction_towards_the_erp_on_a_read_only_field() -> None:
    assert check(connection(), mappings("  CUSTNO: {crm: contact.number2, direction: to-crm}\n")) == []
    diags = check(connection(), mappings("  CUSTNO: {crm: contact.number2, direction: both}\n"))
    assert found(diags) == [("SS305", E, "f2.yaml", 5)]
    assert diags[0].location is not None and diags[0].location.column == 34  # the direction key


def test_ss314_show_in_tab_on_a_synced_field_is_a_warning() -> None:
    diags = check(
        connection(), mappings("  PHONE: {crm: contact.phone, direction: both, show_in_tab: true}\n")
    )
    assert found(diags) == [("SS314", W, "f2.yaml", 5)]
    assert check(connection(), mappings("  PHONE: {crm: contact.phone, show_in_tab: true}\n")) == []


def test_ss319_direction_towards_crm_into_a_read_only_crm_field() -> None:
    diags = check(connection(), mappings("  DISCOUNT: {crm: contact.id, direction: to-crm}\n"))
    assert found(diags) == [("SS319", E, "f2.yaml", 5)]
    assert check(connection(), mappings("  DISCOUNT: {crm: contact.id, direction: to-erp}\n")) == []
