"""Random desired/live pairs: applying the changes yields the desired state; a second plan is empty."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syncspec.model.desired import ConnectionDesired
from syncspec.model.live import LiveDefault, LiveField
from tests.plan.simulate import apply_changes
from tests.support.factories import (
    CUSTOMER,
    CUSTOMER_FIELDS,
    connection_doc,
    defaults,
    desired,
    lists,
    live,
    live_connection,
    make_plan,
    mappings,
    metadata,
    ranking,
)

CRM = st.sampled_from(["contact.name", "contact.number2"])
DIRECTION = st.sampled_from(["none", "to-crm", "to-erp", "both"])
field_spec = st.fixed_dictionaries(
    {},
    optional={
        "crm": CRM,
        "direction": DIRECTION,
        "show_in_search": st.booleans(),
        "show_in_tab": st.booleans(),
    },
).filter(bool)
default_spec = st.fixed_dictionaries(
    {},
    optional={
        "value": st.sampled_from(["NOK", "EUR", 7]),
        "prompt": st.booleans(),
        "mandatory": st.booleans(),
    },
).filter(bool)
item_ref = st.sampled_from(["Key account", "Customer", {"id": 3}, None])
keys = st.sampled_from([k for k in CUSTOMER_FIELDS if k != "CATEGORY"])


@st.composite
def live_fields(draw: st.DrawFn) -> dict[str, LiveField]:
    order = draw(st.permutations(CUSTOMER_FIELDS))
    out = {}
    for rank, key in enumerate(order):
        crm = "contact.category" if key == "CATEGORY" else draw(st.sampled_from(["", "contact.name"]))
        default = LiveDefault(
            has_value=draw(st.booleans()),
            value="NOK",
            prompt=draw(st.booleans()),
            mandatory=key == "CURRENCY",
        )
        out[key] = LiveField(
            field_id=rank + 1,
            key=key,
            crm=crm,
            to_crm=draw(st.booleans()),
            show_in_tab=draw(st.booleans()),
            rank=rank,
            default=default,
        )
    return out


@st.composite
def pairs(draw: st.DrawFn) -> tuple[Any, Any]:
    current = live_connection(active=draw(st.booleans()))
    customer = current.actors[CUSTOMER]
    category = draw(st.dictionaries(st.sampled_from("ABX"), st.sampled_from([1, 2, None]), max_size=3))
    customer = replace(
        customer, sync=draw(st.booleans()), fields=draw(live_fields()), lists={"CATEGORY": category}
    )
    current = replace(current, description=draw(st.sampled_from(["Demo", "Old"])))
    current = replace(current, actors={**current.actors, CUSTOMER: customer})

    doc = connection_doc(
        active=draw(st.booleans()),
        description=draw(st.sampled_from(["Demo", "New"])),
        access=draw(st.sampled_from(["everyone", {"groups": ["Sales"]}])),
    )
    aggregate = ConnectionDesired(connection=doc)
    if draw(st.booleans()):
        fields = draw(st.dictionaries(keys, field_spec, max_size=4))
        fields["CATEGORY"] = {"crm": "contact.category", "direction": draw(DIRECTION)}
        aggregate = aggregate.with_document(mappings(fields))
    if draw(st.booleans()):
        aggregate = aggregate.with_document(
            defaults(draw(st.dictionaries(keys, default_spec, min_size=1, max_size=3)))
        )
    if draw(st.booleans()):
        aggregate = aggregate.with_document(
            lists(draw(st.dictionaries(st.sampled_from("ABXY"), item_ref, max_size=4)))
        )
    if draw(st.booleans()):
        order = draw(st.lists(st.sampled_from(CUSTOMER_FIELDS), min_size=1, max_size=5, unique=True))
        aggregate = aggregate.with_document(ranking(tuple(order)))
    return desired(aggregate), live(current)


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(pairs())
def test_applying_the_changes_converges(pair: tuple[Any, Any]) -> None:
    state, current = pair
    first = make_plan(state, current)
    after = apply_changes(current, first, metadata())
    second = make_plan(state, after)
    assert second.changes == (), [c.address for c in second.changes]


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(st.lists(keys, max_size=3, unique=True))
def test_new_connections_converge(listed: list[str]) -> None:
    fields = {key: {"crm": "contact.name", "direction": "to-crm"} for key in listed}
    state = desired(
        ConnectionDesired(connection=connection_doc()),
        ConnectionDesired(connection=connection_doc("second")).with_document(mappings(fields, name="second")),
    )
    first = make_plan(state, live())
    after = apply_changes(live(), first, metadata())
    assert make_plan(state, after).changes == ()
