from __future__ import annotations

from dataclasses import replace

from syncspec.model.diagnostics import Diagnostic, Location, Severity
from syncspec.model.enums import ErpActorType
from syncspec.plan.model import Action, Change, Plan, Reason, ReasonKind
from syncspec.render.report.view import NO_SELECTION, ReportInput, ReportView, build_view
from tests.render.report.example import example_desired

CUSTOMER = "connection.demo-norway.actor.Customer"


def plan_of(*changes: Change) -> Plan:
    return Plan(
        plan_id="sha256:abc",
        syncspec_version="0",
        environment="local",
        target="local:tenant.db",
        created_at="2026-01-01T00:00:00Z",
        expires_at="2026-01-08T00:00:00Z",
        metadata_digest="",
        changes=changes,
    )


def actor_view(view: ReportView, connection: str, actor: str):  # type: ignore[no-untyped-def]
    (found,) = [a for c in view.connections if c.name == connection for a in c.actors if a.actor == actor]
    return found


def test_every_mapping_list_item_and_default_of_the_example_is_in_the_view() -> None:
    desired = example_desired()
    view = build_view(ReportInput(desired=desired))
    for name, connection in desired.connections.items():
        for actor_type, actor in connection.actors.items():
            shown = actor_view(view, name, actor_type.value)
            rows = {f.erp_key: f for f in shown.fields}
            assert actor.mappings is not None
            for key, spec in actor.mappings.fields.items():
                assert rows[key].crm_key == (spec.crm or "")
                assert rows[key].direction == (spec.direction.value if spec.direction else "none")
            tables = {t.field: t for t in shown.lists}
            for key, doc in actor.lists.items():
                assert [r.erp_item for r in tables[key].rows] == list(doc.items)
            if actor.defaults is not None:
                assert [d.erp_key for d in shown.defaults] == list(actor.defaults.fields)
    assert view.priority == ("demo-norway", "demo-sweden")


def test_no_selection_and_duplicates_are_marked() -> None:
    desired = example_desired()
    view = build_view(ReportInput(desired=desired))
    (category,) = [t for t in actor_view(view, "demo-norway", "Customer").lists if t.field == "CATEGORY"]
    assert {r.erp_item: r.crm_item for r in category.rows}["X"] == NO_SELECTION
    assert category.duplicates == 0
    # Map two ERP items to one CRM item: both rows are duplicates, as the Sync tab shows them red.
    norway = desired.connections["demo-norway"]
    customer = norway.actor(ErpActorType.CUSTOMER)
    doc = customer.lists["CATEGORY"]
    twice = doc.model_copy(update={"items": {**doc.items, "C": doc.items["B"]}})
    changed = replace(
        desired, connections={**desired.connections, "demo-norway": norway.with_document(twice)}
    )
    (category,) = [
        t
        for t in actor_view(build_view(ReportInput(desired=changed)), "demo-norway", "Customer").lists
        if t.field == "CATEGORY"
    ]
    assert {r.erp_item for r in category.rows if r.duplicate} == {"B", "C"}


def test_changes_land_on_their_field_list_item_default_and_ranking() -> None:
    plan = plan_of(
        Change(
            f"{CUSTOMER}.field.PHONE",
            Action.UPDATE,
            "field",
            "demo-norway",
            {"direction": "both"},
            {"direction": "to-crm"},
            reason=Reason(ReasonKind.DRIFT),
        ),
        Change(
            f"{CUSTOMER}.list.CATEGORY",
            Action.UPDATE,
            "list",
            "demo-norway",
            {"item.B": 2},
            {"item.B": 3},
            labels={"2": "Customer", "3": "Prospect"},
        ),
        Change(
            f"{CUSTOMER}.field.DISCOUNT.default",
            Action.UPDATE,
            "default",
            "demo-norway",
            {"value": "[I:0]"},
            {"value": "[I:5]"},
        ),
        Change(
            f"{CUSTOMER}.ranking",
            Action.REORDER,
            "ranking",
            "demo-norway",
            {"order": ["A", "B", "C"]},
            {"order": ["B", "A", "C"]},
        ),
        Change(
            "connection.gone",
            Action.DELETE,
            "connection",
            "gone",
            {"active": True},
            {},
            risk="deletes it",
            reason=Reason(ReasonKind.MISSING_IN_CONFIG),
        ),
        Change("somewhere.else", Action.UPDATE, "sync_engine", "", {"x": 1}, {"x": 2}),
    )
    view = build_view(ReportInput(desired=example_desired(), plan=plan, commit="deadbeef"))
    customer = actor_view(view, "demo-norway", "Customer")
    phone = {f.erp_key: f for f in customer.fields}["PHONE"]
    (mark,) = phone.marks.changes
    assert (mark.status, mark.reason, mark.attributes[0].before, mark.attributes[0].after) == (
        "changed",
        "drift",
        "both",
        "to-crm",
    )
    (category,) = [t for t in customer.lists if t.field == "CATEGORY"]
    (item_mark,) = {r.erp_item: r for r in category.rows}["B"].marks.changes
    assert (item_mark.attributes[0].before, item_mark.attributes[0].after) == ("Customer (2)", "Prospect (3)")
    (default_mark,) = {d.erp_key: d for d in customer.defaults}["DISCOUNT"].marks.changes
    assert default_mark.attributes[0].after == "[I:5]"
    (ranking,) = customer.ranking_marks.changes
    assert ranking.attributes[0].before == "B #2, A #1"
    gone = {c.name: c for c in view.connections}["gone"]
    assert gone.removed
    assert [a.kind for a in view.attention] == ["risk"]
    assert [c.address for c in view.other.changes] == ["somewhere.else"]
    assert view.plan is not None and view.plan.commit == "deadbeef"


def test_diagnostics_land_on_the_element_they_name_or_in_other() -> None:
    located = Diagnostic(
        Severity.ERROR, "SS307", "clash", Location("x.yaml", 3), address=f"{CUSTOMER}.field.PHONE"
    )
    loose = Diagnostic(Severity.WARNING, "SS100", "somewhere", Location("y.yaml", 1))
    view = build_view(ReportInput(desired=example_desired(), diagnostics=(located, loose)))
    phone = {f.erp_key: f for f in actor_view(view, "demo-norway", "Customer").fields}["PHONE"]
    assert [p.code for p in phone.marks.problems] == ["SS307"]
    assert phone.marks.status == "error"
    assert [p.code for p in view.other.problems] == ["SS100"]
    assert view.errors_total == 1


def test_a_plan_alone_still_shows_its_changes() -> None:
    plan = plan_of(Change(f"{CUSTOMER}.field.PHONE", Action.CREATE, "field", "demo-norway", {}, {"crm": "x"}))
    view = build_view(ReportInput(plan=plan))
    (connection,) = view.connections
    assert [c.address for c in connection.marks.changes] == [f"{CUSTOMER}.field.PHONE"]
