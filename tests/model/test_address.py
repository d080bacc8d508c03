from __future__ import annotations

import pytest

from syncspec.model.address import Address, Part

TEXTS = [
    "connector.demo-erp",
    "connection.main",
    "connection.main.actor.Customer",
    "connection.main.actor.Customer.field.NAME",
    "connection.main.actor.Customer.field.NAME.default",
    "connection.main.actor.Customer.list.CURRENCY",
    "connection.main.actor.Customer.ranking",
    "connection.with.dots.actor.Person",
    "sync_priority",
    "sync_engine",
]


@pytest.mark.parametrize("text", TEXTS)
def test_every_address_form_reads_back_to_the_same_text(text: str) -> None:
    assert str(Address.parse(text)) == text


def test_built_addresses_have_the_plan_texts() -> None:
    actor = Address.connection("main").of_actor("Customer")
    assert str(actor.of_field("NAME")) == "connection.main.actor.Customer.field.NAME"
    assert str(actor.of_default("NAME")) == "connection.main.actor.Customer.field.NAME.default"
    assert str(actor.of_list("CURRENCY")) == "connection.main.actor.Customer.list.CURRENCY"
    assert str(actor.of_ranking()) == "connection.main.actor.Customer.ranking"
    assert str(Address.connector("x")) == "connector.x" and str(Address.sync_priority()) == "sync_priority"


def test_parts_of_an_address() -> None:
    default = Address.parse("connection.a.b.actor.Person.field.PNO.default")
    assert (default.name, default.actor, default.part, default.key) == ("a.b", "Person", Part.DEFAULT, "PNO")
    assert str(default.connection_address) == "connection.a.b"
    assert str(default.actor_address) == "connection.a.b.actor.Person"
    assert Address.parse("connection.a").is_connection and not default.is_connection


def test_addresses_order_by_their_text() -> None:
    assert sorted(Address.parse(t) for t in TEXTS) == [Address.parse(t) for t in sorted(TEXTS)]


@pytest.mark.parametrize(
    "text", ["", "connection", "thing.x", "connection.a.actor.", "connection.a.actor.Customer.bogus.K"]
)
def test_what_is_not_an_address_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not an address"):
        Address.parse(text)
