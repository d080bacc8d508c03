"""The drift report: drift and conflict changes only, read `last applied -> live now`."""

from __future__ import annotations

from dataclasses import replace

from syncspec.model.applied import LastApplied
from syncspec.model.desired import ConnectionDesired
from syncspec.plan.drift import drift_count_line, drift_report
from syncspec.plan.model import Action, Plan, ReasonKind
from syncspec.plan.risk import conflicting_changes
from tests.support.factories import connection_doc, desired, live, live_connection, make_plan


def _planned(wanted: str, recorded: str, in_tenant: str, *, active: bool = True) -> tuple[Plan, LastApplied]:
    last = LastApplied({"connection.main": {"description": recorded, "active": True}})
    state = desired(ConnectionDesired(connection=connection_doc(description=wanted)))
    current = replace(live_connection(active=active), description=in_tenant)
    return make_plan(state, live(current), last=last), last


def test_drift_reads_what_was_applied_then_what_the_tenant_holds() -> None:
    plan, last = _planned("Demo", "Demo", "Edited in the app")
    report = drift_report(plan, last)
    (change,) = report.changes
    assert change.reason.kind is ReasonKind.DRIFT
    assert (change.before, change.after) == ({"description": "Demo"}, {"description": "Edited in the app"})
    assert report.steps == () and report.notes == ()
    assert drift_count_line(report) == "Drift: 1 change made in the tenant outside syncspec."


def test_a_connection_switched_off_in_the_tenant_reads_as_a_deactivation() -> None:
    plan, last = _planned("Demo", "Demo", "Demo", active=False)
    report = drift_report(plan, last)
    (change,) = report.changes
    assert change.action is Action.DEACTIVATE
    assert (report.summary.deactivate, report.summary.activate) == (1, 0)
    assert (change.before, change.after, change.risk) == ({"active": True}, {"active": False}, "")


def test_a_conflict_keeps_the_record_and_notes_what_the_configuration_asks() -> None:
    plan, last = _planned("New in git", "Demo", "Edited in the app")
    assert [c.address for c in conflicting_changes(plan)] == ["connection.main"]
    report = drift_report(plan, last)
    (change,) = report.changes
    assert (change.before, change.after) == ({"description": "Demo"}, {"description": "Edited in the app"})
    assert report.notes == (
        'conflict at connection.main: the configuration now asks for description "New in git"; '
        "'syncspec apply' would write it over the tenant's change",
    )
    assert drift_count_line(report).endswith("1 of them in conflict with a configuration change.")


def test_a_configuration_change_alone_is_not_drift() -> None:
    plan, last = _planned("New in git", "Demo", "Demo")
    assert drift_report(plan, last).changes == ()
