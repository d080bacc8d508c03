from __future__ import annotations

import io

from syncspec.model.applied import LastApplied
from syncspec.model.desired import ConnectionDesired
from syncspec.plan.model import Plan
from syncspec.render.plan_text import render_plan_text
from syncspec.render.style import Style
from tests.support.factories import SECRET, connection_doc, desired, live, make_plan, mappings


def text_of(plan: Plan) -> str:
    out = io.StringIO()
    render_plan_text(plan, out, Style.plain())
    return out.getvalue()


def test_no_changes_line() -> None:
    assert text_of(make_plan(desired(), live())).splitlines()[-1] == (
        "No changes. The tenant matches the configuration."
    )


def test_risk_first_then_connection_with_reason_and_summary() -> None:
    aggregate = ConnectionDesired(connection=connection_doc(active=False, description="New"))
    aggregate = aggregate.with_document(
        mappings(
            {"NAME": {"crm": "contact.name"}, "CATEGORY": {"crm": "contact.category", "direction": "to-crm"}}
        )
    )
    text = text_of(make_plan(desired(aggregate), live()))
    lines = text.splitlines()
    assert lines[0] == "Risky changes:"
    assert "  deactivate connection.main: deactivates the connection: sync stops" in lines
    assert '      crm: "" -> "contact.name"' in lines
    assert "      (3 unchanged attributes hidden)" in lines
    assert "      reason: config at connections/main/customer.mappings.yaml:5" in lines
    assert lines[-1] == "Plan: 0 to create, 2 to update, 0 to delete, 0 reorder, 1 to deactivate."


def fingerprint(value: str) -> str:
    return "fp:" + value[::-1]


def test_secret_changes_are_masked_and_risky() -> None:
    last = LastApplied({"connection.main": {"config.password": "fp:old"}})
    text = text_of(make_plan(desired(), live(), last=last, secret_digest=fingerprint))
    assert "config.password: (sensitive, changed)" in text
    assert "changes secret config.password" in text.split("connection main")[0]
    assert SECRET not in text and SECRET[::-1] not in text


def test_unmanaged_objects_listed_with_hint() -> None:
    text = text_of(make_plan(desired(ConnectionDesired(connection=connection_doc("other"))), live()))
    assert "  connection.main: not in the configuration; run with --allow-delete to delete it" in text
