"""Rules over metadata as a real tenant gives it: CRM field keys only, ERP lists of mapped fields only.

What the tenant does not publish is not checked, and SS324 (info) says so; what it does
publish (which keys exist) is still checked.
"""

from __future__ import annotations

from dataclasses import replace

from syncspec.model.diagnostics import Severity
from syncspec.model.metadata import CrmFieldMeta, Metadata
from tests.rules.helpers import check, demo_metadata, found
from tests.rules.texts import connection, defaults, lists, mappings

E, INFO = Severity.ERROR, Severity.INFO


def documented_only(metadata: Metadata, *, list_of: dict[str, str] | None = None) -> Metadata:
    """The metadata the REST path reads: keys, a mapped field's list, no connector-only ERP lists."""
    known = list_of or {}
    crm = {key: CrmFieldMeta(key, key, list_name=known.get(key, "")) for key in metadata.crm_fields}
    connections = {
        name: replace(conn, erp_lists={k: v for k, v in conn.erp_lists.items() if k == "customer_category"})
        for name, conn in metadata.connections.items()
    }
    connectors = {name: replace(c, config_lists={}) for name, c in metadata.connectors.items()}
    return replace(metadata, crm_fields=crm, connections=connections, connectors=connectors)


def test_entity_type_and_read_only_checks_become_one_note_per_document() -> None:
    meta = documented_only(demo_metadata("main"))
    text = mappings(
        "  EMAIL: {crm: person.email, direction: both}\n"  # another entity: not knowable
        "  BLOCKED: {crm: contact.udef.erp_note, direction: both}\n"  # incompatible types: not knowable
        "  DISCOUNT: {crm: contact.id, direction: to-crm}\n"  # read-only: not knowable
    )
    diags = check(connection(), text, metadata=meta)
    assert found(diags) == [("SS324", INFO, "f2.yaml", 4)]
    assert "3 mapping(s) (EMAIL, BLOCKED, DISCOUNT)" in diags[0].message


def test_a_key_the_tenant_does_not_list_is_still_an_error() -> None:
    meta = documented_only(demo_metadata("main"))
    diags = check(connection(), mappings("  NAME: {crm: contact.nmae, direction: both}\n"), metadata=meta)
    assert [d.code for d in diags if d.severity is E] == ["SS303"]


def test_crm_items_of_a_list_the_tenant_has_not_named_are_not_checked() -> None:
    meta = documented_only(demo_metadata("main"))
    text = lists("CATEGORY", "  A: No such item\n")
    diags = check(
        connection(),
        mappings("  CATEGORY: {crm: contact.category, direction: to-crm}\n"),
        text,
        metadata=meta,
    )
    assert ("SS324", INFO) in [(d.code, d.severity) for d in diags]
    assert not [d for d in diags if d.severity is E]
    # once a mapping's ListReference names the list, its items are checked again
    named = documented_only(demo_metadata("main"), list_of={"contact.category": "category"})
    diags = check(
        connection(),
        mappings("  CATEGORY: {crm: contact.category, direction: to-crm}\n"),
        text,
        metadata=named,
    )
    assert [d.code for d in diags if d.severity is E] == ["SS310"]


def test_unlisted_erp_and_config_lists_are_not_checked_but_said_so() -> None:
    meta = documented_only(demo_metadata("main"))
    diags = check(connection(), defaults("  PRICELIST: {value: NOPE}\n"), metadata=meta)
    assert [(d.code, d.severity) for d in diags] == [("SS324", INFO)]
    assert "price_list" in diags[0].message
