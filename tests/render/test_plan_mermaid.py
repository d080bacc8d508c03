from __future__ import annotations

from dataclasses import replace

from syncspec.model.desired import ConnectionDesired
from syncspec.plan.model import Action, Change, Reason, ReasonKind
from syncspec.render.plan_markdown import format_plan_markdown
from syncspec.render.plan_mermaid import MAX_EDGES, mermaid_block
from tests.plan.factories import connection_doc, desired, live, make_plan

FIELD = "connection.main.actor.Customer.field"


def field_change(key: str, before: dict[str, object], after: dict[str, object], **extra: object) -> Change:
    return Change(f"{FIELD}.{key}", Action.UPDATE, "field", "main", before, after, **extra)  # type: ignore[arg-type]


def test_each_direction_is_drawn_with_its_words() -> None:
    block = mermaid_block(
        (
            field_change("A", {"direction": "both"}, {"direction": "to-crm"}),
            field_change("B", {"direction": "to-crm"}, {"direction": "to-erp"}),
            field_change(
                "C", {"direction": "to-crm"}, {"direction": "both"}, reason=Reason(ReasonKind.DRIFT)
            ),
            field_change("D", {"crm": "contact.url", "direction": "both"}, {"crm": "", "direction": "none"}),
            Change(
                f"{FIELD}.E",
                Action.UPDATE,
                "field",
                "main",
                {"crm": ""},
                {"crm": "contact.name", "direction": "both"},
            ),
        )
    )
    lines = block.splitlines()
    assert lines[:2] == ["```mermaid", "flowchart LR"] and lines[-1] == "```"
    assert 'e0["A"] -->|"to-crm, was both"| c0["(same CRM field)"]' in block
    assert 'c1["(same CRM field)"] -->|"to-erp, was to-crm"| e1["B"]' in block
    assert '<-->|"both, was to-crm [drift]"|' in block
    assert 'e3["D"] -.-|"removed, was both"| c3["contact.url"]' in block
    assert '|"added, both"| c4["contact.name"]' in block
    assert block.count("subgraph") == 1


def test_list_item_remaps_use_the_item_names() -> None:
    change = Change(
        "connection.main.actor.Customer.list.CATEGORY",
        Action.UPDATE,
        "list",
        "main",
        {"item.B": 2, "item.C": 3},
        {"item.B": 3, "item.C": None},
        labels={"2": "Customer", "3": "Prospect"},
    )
    block = mermaid_block((change,))
    assert 'e0["CATEGORY: B"] -->|"list item, was Customer"| c0["Prospect"]' in block
    assert 'e1["CATEGORY: C"] -.-|"list item now (No selection), was Prospect"| c1["Prospect"]' in block


def test_quotes_in_names_do_not_break_the_diagram() -> None:
    block = mermaid_block((field_change("A", {"crm": 'x"y'}, {"crm": 'a"b'}),))
    assert '"' not in block.replace('["', "").replace('"]', "").replace('|"', "").replace('"|', "")


def test_nothing_to_draw_or_too_much_gives_no_block() -> None:
    assert mermaid_block(()) == ""
    assert mermaid_block((Change("connection.main", Action.ACTIVATE, "connection", "main"),)) == ""
    many = tuple(
        field_change(f"F{i}", {"direction": "both"}, {"direction": "to-crm"}) for i in range(MAX_EDGES + 1)
    )
    assert mermaid_block(many) == ""
    assert mermaid_block(many[:MAX_EDGES]) != ""


def test_the_comment_drops_the_diagram_before_any_section() -> None:
    base = make_plan(desired(ConnectionDesired(connection=connection_doc(description="x"))), live())
    changes = tuple(field_change(f"F{i}", {"direction": "both"}, {"direction": "to-crm"}) for i in range(30))
    plan = replace(base, changes=changes)
    full = format_plan_markdown(plan)
    assert "```mermaid" in full and full.index("### Changed mappings") < full.index("<details>")
    without = format_plan_markdown(plan, diagram=False)
    # A limit the comment fits only without the diagram: the diagram goes, every section stays.
    tight = format_plan_markdown(plan, limit=len(without) + 10)
    assert "```mermaid" not in tight and "Cut to fit" not in tight
    assert tight == without
