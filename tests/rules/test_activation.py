from __future__ import annotations

import pytest

from syncspec.model.diagnostics import Severity
from syncspec.model.enums import ErpActorType
from syncspec.model.live import LiveActor, LiveConnection, LiveField, LiveState
from tests.rules.helpers import check, demo_metadata, found
from tests.rules.texts import connection, mappings

E = Severity.ERROR
# Customer's mandatory fields in the demo catalogue are NAME and CURRENCY; Person's is LASTNAME.
CUSTOMER_OK = (
    "  NAME: {crm: contact.name, direction: both}\n  CURRENCY: {crm: contact.currency, direction: to-crm}\n"
)
TWO = demo_metadata("alpha", "beta")
PERSON_OK = "  LASTNAME: {crm: person.lastname, direction: both}\n"


def test_ss306_one_per_mandatory_field_without_direction_when_active() -> None:
    customer = mappings("  NAME: {crm: contact.name}\n  PHONE: {crm: contact.phone, direction: both}\n")
    diags = check(connection(active=True), customer, mappings(PERSON_OK, actor="Person"))
    # NAME is listed without a direction (its own line); CURRENCY is not listed (the fields key).
    assert found(diags) == [("SS306", E, "f2.yaml", 4), ("SS306", E, "f2.yaml", 5)]
    assert [d.address.rsplit(".", 1)[1] for d in diags] == ["CURRENCY", "NAME"]
    assert all(d.related and d.related[0].line == 4 for d in diags)  # the connection's `active`


def test_ss306_silent_when_inactive_or_the_actor_does_not_sync() -> None:
    assert check(connection(active=False), mappings("  PHONE: {crm: contact.phone}\n")) == []
    not_syncing = connection(active=True).replace("Person: {sync: true}", "Person: {sync: false}")
    assert check(not_syncing, mappings(CUSTOMER_OK)) == []


def test_ss306_without_mappings_the_live_directions_count() -> None:
    live_fields = {
        "NAME": LiveField(1, "NAME", crm="contact.name", to_crm=True, to_erp=True),
        "CURRENCY": LiveField(2, "CURRENCY", crm="contact.currency", to_crm=True),
    }
    live = LiveState(
        connections={
            "main": LiveConnection(
                1,
                "g",
                "main",
                "demo-erp",
                actors={ErpActorType.CUSTOMER: LiveActor(ErpActorType.CUSTOMER, True, live_fields)},
            )
        }
    )
    text = connection(active=True)
    assert found(check(text, mappings(PERSON_OK, actor="Person"), live=live)) == []
    # A new connection (nothing live) has no directions yet: reported at the actor of the connection.
    diags = check(text, mappings(PERSON_OK, actor="Person"))
    assert found(diags) == [("SS306", E, "f1.yaml", 11), ("SS306", E, "f1.yaml", 11)]


def test_ss307_crm_field_fed_one_way_by_two_connections() -> None:
    first = mappings("  CUSTNO: {crm: contact.number2, direction: to-crm}\n", name="alpha")
    second = mappings("  NUMBER1: {crm: contact.number2, direction: to-crm}\n", name="beta")
    diags = check(connection("beta"), second, connection("alpha"), first, metadata=TWO)
    assert found(diags) == [("SS307", E, "f2.yaml", 5)]
    assert diags[0].address == "connection.beta.actor.Customer.field.NUMBER1"
    assert [(r.file, r.line) for r in diags[0].related] == [("f4.yaml", 5)]


@pytest.mark.parametrize("elsewhere", ["both", "to-erp"])
def test_ss307_any_direction_elsewhere_blocks_one_way_to_crm_here(elsewhere: str) -> None:
    # AlreadyMapped: "already mapped in some other connection? If so, then it cannot be one-way
    # mapped TO SuperOffice here". The one-way mapping is reported, whichever name sorts first.
    one_way = mappings("  CUSTNO: {crm: contact.number2, direction: to-crm}\n", name="alpha")
    other = mappings(f"  NUMBER1: {{crm: contact.number2, direction: {elsewhere}}}\n", name="beta")
    diags = check(connection("alpha"), one_way, connection("beta"), other, metadata=TWO)
    assert found(diags) == [("SS307", E, "f2.yaml", 5)]
    assert diags[0].address == "connection.alpha.actor.Customer.field.CUSTNO"
    assert [(r.file, r.line) for r in diags[0].related] == [("f4.yaml", 5)]


def test_ss307_both_ways_in_both_connections_is_allowed() -> None:
    first = mappings("  NAME: {crm: contact.number2, direction: both}\n", name="alpha")
    second = mappings("  NUMBER1: {crm: contact.number2, direction: both}\n", name="beta")
    assert check(connection("alpha"), first, connection("beta"), second, metadata=TWO) == []


def test_ss307_a_mapping_without_direction_elsewhere_does_not_block() -> None:
    first = mappings("  CUSTNO: {crm: contact.number2}\n", name="alpha")
    second = mappings("  NUMBER1: {crm: contact.number2, direction: to-crm}\n", name="beta")
    assert check(connection("alpha"), first, connection("beta"), second, metadata=TWO) == []


def _legacy_mapping(field: LiveField) -> LiveState:
    """A tenant with a connection the configuration does not manage, mapping CUSTNO as given."""
    customer = LiveActor(ErpActorType.CUSTOMER, True, {"CUSTNO": field})
    legacy = LiveConnection(9, "g", "legacy", "demo-erp", actors={ErpActorType.CUSTOMER: customer})
    return LiveState(connections={"legacy": legacy})


def test_ss307_a_live_connection_mapping_both_ways_blocks_one_way_here() -> None:
    field = LiveField(7, "CUSTNO", crm="contact.number2", to_crm=True, to_erp=True)
    live = _legacy_mapping(field)
    diags = check(connection(), mappings("  NUMBER1: {crm: contact.number2, direction: to-crm}\n"), live=live)
    assert found(diags) == [("SS307", E, "f2.yaml", 5)]
    assert "'legacy'" in diags[0].message


def test_ss307_against_a_live_connection_the_configuration_does_not_manage() -> None:
    field = LiveField(7, "CUSTNO", crm="contact.number2", to_crm=True)
    live = _legacy_mapping(field)
    diags = check(connection(), mappings("  NUMBER1: {crm: contact.number2, direction: to-crm}\n"), live=live)
    assert found(diags) == [("SS307", E, "f2.yaml", 5)]
    assert "'legacy'" in diags[0].message and diags[0].related == ()
