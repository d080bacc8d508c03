from __future__ import annotations

from syncspec.model.diagnostics import Severity
from syncspec.model.metadata import CrmListMeta
from tests.rules.helpers import check, demo_metadata, found
from tests.rules.texts import connection, lists, mappings

E = Severity.ERROR
W = Severity.WARNING
CATEGORY_TO_CRM = mappings("  CATEGORY: {crm: contact.category, direction: to-crm}\n")


def test_ss308_list_mappings_for_a_field_that_is_not_a_list() -> None:
    diags = check(
        connection(), mappings("  NAME: {crm: contact.name}\n"), lists("NAME", "  A: Key account\n")
    )
    assert found(diags) == [("SS308", E, "f3.yaml", 4)]
    assert "Text ERP field" in diags[0].message


def test_ss308_crm_field_that_is_not_a_list() -> None:
    text_crm = mappings("  CATEGORY: {crm: contact.udef.erp_note, direction: to-crm}\n")
    diags = check(connection(), text_crm, lists("CATEGORY", "  A: Key account\n"))
    assert found(diags) == [("SS308", E, "f3.yaml", 4)]
    assert "'contact.udef.erp_note'" in diags[0].message


def test_ss309_unknown_erp_list_item() -> None:
    diags = check(connection(), CATEGORY_TO_CRM, lists("CATEGORY", "  A: Key account\n  Q: Customer\n"))
    assert found(diags) == [("SS309", E, "f3.yaml", 7)]
    assert diags[0].address == "connection.main.actor.Customer.list.CATEGORY.item.Q"


def test_ss310_unknown_crm_item_by_name_and_by_id() -> None:
    items = "  A: Key acount\n  B: {id: 99}\n  X: null\n"
    diags = check(connection(), CATEGORY_TO_CRM, lists("CATEGORY", items))
    assert found(diags) == [("SS310", E, "f3.yaml", 6), ("SS310", E, "f3.yaml", 7)]
    assert diags[0].hint == "did you mean 'Key account'?"
    assert "id 99" in diags[1].message


def test_ss310_ambiguous_name_hints_at_ids() -> None:
    twice = CrmListMeta("category", {1: "Key account", 2: "Customer", 3: "Customer"})
    meta = demo_metadata("main", crm_lists={"category": twice})
    diags = check(
        connection(), CATEGORY_TO_CRM, lists("CATEGORY", "  B: Customer\n  C: {id: 3}\n"), metadata=meta
    )
    assert found(diags) == [("SS310", E, "f3.yaml", 6)]
    assert "2 items named 'Customer'" in diags[0].message
    assert "{id: N}" in diags[0].hint and "2, 3" in diags[0].hint


def test_ss311_duplicate_crm_item_is_an_error_whatever_the_direction() -> None:
    # The admin help: "You cannot map to the same CRM item twice", for to-crm fields too.
    diags = check(connection(), CATEGORY_TO_CRM, lists("CATEGORY", "  A: Key account\n  B: {id: 1}\n"))
    assert found(diags) == [("SS311", E, "f3.yaml", 7)]
    assert [(r.file, r.line) for r in diags[0].related] == [("f3.yaml", 6)]


def test_ss311_duplicate_crm_item_is_an_error_when_syncing_to_the_erp() -> None:
    both = mappings("  CATEGORY: {crm: contact.category, direction: both}\n")
    diags = check(connection(), both, lists("CATEGORY", "  A: Key account\n  B: Key account\n"))
    assert found(diags) == [("SS311", E, "f3.yaml", 7)]
