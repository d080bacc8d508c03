from __future__ import annotations

from dataclasses import replace

from syncspec.model.desired import ConnectionDesired
from syncspec.plan.model import Action, Change, ChangeKind, Plan
from syncspec.render.plan_markdown import LIMIT, format_plan_markdown
from tests.support.factories import connection_doc, desired, live, make_plan


def test_heading_table_risk_and_details() -> None:
    plan = make_plan(desired(ConnectionDesired(connection=connection_doc(active=False))), live())
    text = format_plan_markdown(plan)
    assert text.startswith("## syncspec plan: `default`")
    assert "| deactivate | 1 |" in text
    assert text.index("### Risky changes") < text.index("<details><summary><b>connection main</b>")


def big_plan(connections: int) -> Plan:
    base = make_plan(desired(ConnectionDesired(connection=connection_doc(description="x"))), live())
    changes = tuple(
        Change(
            address=f"connection.c{n:03}.actor.Customer.field.F{i}",
            action=Action.UPDATE,
            kind=ChangeKind.FIELD,
            connection=f"c{n:03}",
            before={"crm": ""},
            after={"crm": "contact.name"},
        )
        for n in range(connections)
        for i in range(40)
    )
    return replace(base, changes=changes)


def test_long_plans_cut_whole_connections_and_say_so() -> None:
    text = format_plan_markdown(big_plan(100))
    assert len(text) <= LIMIT
    assert "**Cut to fit a comment:**" in text
    assert "c099" in text.split("**Cut to fit a comment:**")[1].split("\n")[0]
    assert text.count("<details>") == text.count("</details>")


def test_short_plans_are_not_cut() -> None:
    assert "Cut to fit" not in format_plan_markdown(big_plan(2))
