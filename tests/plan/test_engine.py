"""The sync engine in the pure planner: only what the SyncEngine document sets, risk, step order."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from syncspec.model.applied import LastApplied
from syncspec.model.desired import SyncEngineDoc
from syncspec.model.live import LiveState, LiveSyncEngine
from syncspec.plan.fingerprint import live_fingerprint
from syncspec.plan.model import Action, ReasonKind, StepKind
from syncspec.plan.step_data import step_data_problem
from tests.support.factories import desired, live, make_plan, origin

ENGINE_FILE = "connections/sync-engine.yaml"


def engine_doc(**settings: Any) -> SyncEngineDoc:
    positions: dict[tuple[str | int, ...], tuple[int, int]] = {("automatic",): (2, 1), ("interval",): (3, 1)}
    return SyncEngineDoc(**settings, origin=origin(ENGINE_FILE, positions))


def tenant(automatic: bool = False, interval: str = "00:05:00") -> LiveState:
    return replace(live(), sync_engine=LiveSyncEngine(automatic, interval, "Stopped"))


def test_without_a_sync_engine_document_the_engine_is_not_touched() -> None:
    plan = make_plan(desired(), tenant(automatic=True, interval="1.00:00:00"))
    assert plan.changes == () and plan.steps == ()


def test_matching_settings_plan_nothing() -> None:
    state = replace(desired(), sync_engine=engine_doc(automatic=False, interval="00:05:00"))
    assert make_plan(state, tenant()).changes == ()


@pytest.mark.parametrize(
    ("settings", "before", "after", "risk"),
    [
        pytest.param({"automatic": True}, {"automatic": False}, {"automatic": True}, "on", id="switch-on"),
        pytest.param(
            {"interval": "00:15:00"},
            {"interval": "00:05:00"},
            {"interval": "00:15:00"},
            "",
            id="interval-only",
        ),
        pytest.param(
            {"automatic": True, "interval": "00:15:00"},
            {"automatic": False, "interval": "00:05:00"},
            {"automatic": True, "interval": "00:15:00"},
            "on",
            id="both",
        ),
    ],
)
def test_only_the_settings_the_document_gives_are_changed(
    settings: dict[str, Any], before: dict[str, Any], after: dict[str, Any], risk: str
) -> None:
    plan = make_plan(replace(desired(), sync_engine=engine_doc(**settings)), tenant())
    (change,) = plan.changes
    assert (change.address, change.kind, change.action) == ("sync_engine", "sync_engine", Action.UPDATE)
    assert (dict(change.before), dict(change.after)) == (before, after)
    assert ("automatic sync on" in change.risk) if risk else change.risk == ""
    (step,) = plan.steps
    assert step.kind is StepKind.SAVE_SYNC_ENGINE and step.addresses == ("sync_engine",)
    assert dict(step.data) == {"automatic": after.get("automatic"), "interval": after.get("interval")}
    assert step_data_problem(step.kind, step.data) == ""
    assert plan.fingerprints == {"sync_engine": live_fingerprint(tenant(), "sync_engine")}


def test_switching_automatic_sync_off_is_risky_and_located() -> None:
    plan = make_plan(replace(desired(), sync_engine=engine_doc(automatic=False)), tenant(automatic=True))
    (change,) = plan.changes
    assert change.risk.startswith("switches automatic sync off")
    assert change.reason.kind is ReasonKind.CONFIG and change.reason.location == f"{ENGINE_FILE}:2"


@pytest.mark.parametrize("live_interval", ["0:05:00", "00:05:00.0000000", "00:05:00"])
def test_the_tenants_interval_is_compared_as_a_duration(live_interval: str) -> None:
    state = replace(desired(), sync_engine=engine_doc(interval="00:05:00"))
    assert make_plan(state, tenant(interval=live_interval)).changes == ()


def test_an_interval_the_tenant_sends_in_another_form_is_shown_and_replaced() -> None:
    state = replace(desired(), sync_engine=engine_doc(interval="00:05:00"))
    (change,) = make_plan(state, tenant(interval="PT5M")).changes
    assert (dict(change.before), dict(change.after)) == ({"interval": "PT5M"}, {"interval": "00:05:00"})


def test_drift_from_the_last_applied_value_is_named() -> None:
    state = replace(desired(), sync_engine=engine_doc(automatic=True))
    last = LastApplied(values={"sync_engine": {"automatic": True}})
    (change,) = make_plan(state, tenant(automatic=False), last=last).changes
    assert change.reason.kind is ReasonKind.DRIFT


def test_an_unread_engine_is_planned_with_a_note() -> None:
    plan = make_plan(replace(desired(), sync_engine=engine_doc(interval="00:10:00")), live())
    (change,) = plan.changes
    assert dict(change.before) == {"interval": None}
    assert any("engine status was not read" in note for note in plan.notes)


def test_the_engine_step_comes_after_connections_and_sync_priority() -> None:
    base = desired(priority=("main",))
    state = replace(base, sync_engine=engine_doc(automatic=True))
    changed = replace(tenant(), sync_priority=())
    current = replace(changed, connections={"main": replace(changed.connections["main"], description="Old")})
    kinds = [s.kind for s in make_plan(state, current).steps]
    assert kinds[-2:] == [StepKind.SAVE_SYNC_PRIORITY, StepKind.SAVE_SYNC_ENGINE]
    assert StepKind.SAVE_CONNECTION in kinds


def test_only_sync_engine_selects_just_the_engine() -> None:
    state = replace(desired(), sync_engine=engine_doc(automatic=True))
    current = replace(
        tenant(), connections={"main": replace(tenant().connections["main"], description="Old")}
    )
    plan = make_plan(state, current, only=("sync_engine",))
    assert [c.address for c in plan.changes] == ["sync_engine"]
