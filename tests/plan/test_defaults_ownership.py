"""A Defaults document never gives a connector-Mandatory field a default the user did not write.

SuperOffice keeps such a field mandatory whatever is saved and refuses a mandatory default
without a value or a prompt, so a `save_default` for an unlisted one could only be refused.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from syncspec.model.desired import ConnectionDesired
from syncspec.model.live import LiveDefault
from syncspec.plan.model import Action, StepKind
from tests.support.factories import (
    CUSTOMER,
    connection_doc,
    defaults,
    desired,
    live,
    live_connection,
    make_plan,
)


def _state(name: str, fields: dict[str, dict[str, Any]]) -> Any:
    aggregate = ConnectionDesired(connection=connection_doc(name)).with_document(defaults(fields, name=name))
    return desired(aggregate)


def _default_steps(plan: Any, connection: str) -> list[tuple[str, dict[str, Any]]]:
    return [
        (s.data.get("field", ""), dict(s.data))
        for s in plan.steps
        if s.connection == connection and s.kind is StepKind.SAVE_DEFAULT
    ]


def test_a_new_connection_borrowing_fields_gets_no_invented_default() -> None:
    # "second" does not exist yet: its fields are borrowed from "main", where CURRENCY is mandatory.
    plan = make_plan(_state("second", {"NAME": {"prompt": True}}), live())
    addresses = {(c.address, c.action) for c in plan.changes}
    assert ("connection.second.actor.Customer.field.CURRENCY.default", Action.UPDATE) not in addresses
    assert ("connection.second.actor.Customer.field.NAME.default", Action.UPDATE) in addresses
    saved = [data for _, data in _default_steps(plan, "second")]
    assert saved and all(d.get("value") is not None or d.get("prompt") for d in saved)


def test_an_unlisted_connector_mandatory_default_is_left_as_the_tenant_holds_it() -> None:
    current = live_connection()
    customer = current.actors[CUSTOMER]
    currency = replace(customer.fields["CURRENCY"], default=LiveDefault(prompt=True, mandatory=True))
    current = replace(
        current,
        actors={
            **current.actors,
            CUSTOMER: replace(customer, fields={**customer.fields, "CURRENCY": currency}),
        },
    )
    plan = make_plan(_state("main", {"NAME": {"prompt": True}}), live(current))
    addresses = {c.address for c in plan.changes}
    assert "connection.main.actor.Customer.field.CURRENCY.default" not in addresses


def test_a_listed_connector_mandatory_default_is_saved_mandatory() -> None:
    plan = make_plan(_state("main", {"CURRENCY": {"value": "NOK"}}), live())
    change = next(c for c in plan.changes if c.address.endswith("CURRENCY.default"))
    assert change.after == {"value": "NOK"}  # mandatory already true: the connector declares it
