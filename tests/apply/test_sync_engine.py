"""Applying the sync engine: over the embedded tenant, over the emulator on 127.0.0.1, and in a project."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest

from syncspec.apply.applier import apply_plan
from syncspec.embedded.tenant import InProcessAgent, Tenant
from syncspec.model.applied import LastApplied
from syncspec.model.desired import DesiredState, SyncEngineDoc
from syncspec.model.errors import AgentError
from syncspec.model.live import LiveSyncEngine
from syncspec.plan.model import Plan, StepKind
from syncspec.plan.planner import PlanOptions, plan
from syncspec.state.local import open_state
from syncspec.targets.agent_target import AgentTarget
from syncspec.targets.carriers import ErpSyncEngineStatus
from tests.apply.failing_agent import FailingAgent
from tests.apply.helpers import Project, edit
from tests.differential.helpers import rest_agent, served

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@contextmanager
def engine_target(kind: str, tmp_path: Path) -> Iterator[tuple[AgentTarget, FailingAgent | None]]:
    """A fresh tenant behind an AgentTarget: in process (counting calls), or served over HTTP."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    if kind == "embedded":
        tenant = Tenant.create(tmp_path / "tenant.db")
        agent = FailingAgent(InProcessAgent(tenant))
        target = AgentTarget(agent, "local:engine", on_close=tenant.close)
        try:
            yield target, agent
        finally:
            target.close()
        return
    with served(tmp_path) as (_, url):
        rest = rest_agent(url)
        target = AgentTarget(rest, f"superoffice:{url}", on_close=rest.close)
        try:
            yield target, None
        finally:
            target.close()


def engine_plan(target: AgentTarget, doc: SyncEngineDoc, last: LastApplied) -> Plan:
    return engine_plan_of(target, DesiredState(sync_engine=doc), last)


def never_a_secret(connection: str, key: str) -> str:
    raise AssertionError(f"the engine needs no secret ({connection}, {key})")


@pytest.mark.parametrize("kind", ["embedded", "emulator"])
def test_switch_and_interval_are_applied_then_plan_nothing(kind: str, tmp_path: Path) -> None:
    state = open_state(tmp_path, "engine", {"backend": "local"})
    with engine_target(kind, tmp_path) as (target, agent):
        assert target.read_live().sync_engine == LiveSyncEngine(False, "00:05:00", "Stopped")
        wanted = SyncEngineDoc(automatic=True, interval="1.00:00:00")
        first = engine_plan(target, wanted, state.read_last_applied())
        assert [s.kind for s in first.steps] == [StepKind.SAVE_SYNC_ENGINE]

        result = apply_plan(first, target, secrets=never_a_secret, state=state, now=lambda: NOW)

        assert result.ok, result
        engine = target.read_live(fresh=True).sync_engine
        assert engine is not None and (engine.automatic, engine.interval) == (True, "1.00:00:00")
        assert state.read_last_applied().values["sync_engine"] == {
            "automatic": True,
            "interval": "1.00:00:00",
        }
        again = engine_plan(target, wanted, state.read_last_applied())
        assert again.changes == () and again.steps == ()
        if agent is not None:
            # the new interval first, then the switch: the engine never runs on the old one
            writes = [m for m in agent.methods if m.startswith("change_engine")]
            assert writes == ["change_engine_interval", "change_engine_status"]

        off = engine_plan(target, SyncEngineDoc(automatic=False), state.read_last_applied())
        assert off.changes[0].risk.startswith("switches automatic sync off")
        assert apply_plan(off, target, secrets=never_a_secret, state=state, now=lambda: NOW).ok
        engine = target.read_live(fresh=True).sync_engine
        assert engine is not None and (engine.automatic, engine.interval) == (False, "1.00:00:00")


def test_a_setting_already_as_wanted_is_not_written(tmp_path: Path) -> None:
    with engine_target("embedded", tmp_path) as (target, agent):
        assert agent is not None
        after = target.set_sync_engine(automatic=False, interval="00:05:00")
        assert (after.automatic, after.interval) == (False, "00:05:00")
        assert not [m for m in agent.methods if m.startswith("change_engine")]


def test_a_refused_engine_change_fails_the_final_unit_and_is_not_recorded(tmp_path: Path) -> None:
    doc = SyncEngineDoc(automatic=True)
    # a clean run on one tenant tells which call switches the engine on; a second fails it
    with engine_target("embedded", tmp_path / "clean") as (target, agent):
        assert agent is not None
        state = open_state(tmp_path / "clean", "engine", {"backend": "local"})
        planned = engine_plan(target, doc, state.read_last_applied())
        start = agent.calls
        assert apply_plan(planned, target, secrets=never_a_secret, state=state, now=lambda: NOW).ok
        switch = agent.methods.index("change_engine_status", start) + 1
    with engine_target("embedded", tmp_path / "refused") as (target, agent):
        assert agent is not None
        state = open_state(tmp_path / "refused", "engine", {"backend": "local"})
        planned = engine_plan(target, doc, state.read_last_applied())
        agent.fail_at = switch
        result = apply_plan(planned, target, secrets=never_a_secret, state=state, now=lambda: NOW)
        assert agent.failed_method == "change_engine_status"
        assert not result.ok and "injected refusal" in result.units[-1].error
        assert "sync_engine" not in state.read_last_applied().values
        engine = target.read_live(fresh=True).sync_engine
        assert engine is not None and engine.automatic is False


def test_the_engine_step_runs_after_the_connections_of_the_project(project: Project) -> None:
    (project.root / "connections" / "sync-engine.yaml").write_text(
        "kind: SyncEngine\nautomatic: true\ninterval: '00:30:00'\n", encoding="utf-8"
    )
    edit(project.root / "connections" / "demo-norway" / "connection.yaml", "description: ", "description: x")
    planned = project.plan()
    kinds = [s.kind for s in planned.steps]
    assert kinds[-1] is StepKind.SAVE_SYNC_ENGINE and StepKind.SAVE_CONNECTION in kinds
    result, agent = project.apply(planned)
    assert result.ok, result
    assert agent.methods.index("change_engine_status") > agent.methods.index("save_connection")
    assert project.plan().changes == ()


class EngineRefusingAgent(InProcessAgent):
    """A tenant whose app may not read the engine (SuperOffice refuses the call)."""

    def get_engine_status(self) -> ErpSyncEngineStatus:
        raise AgentError("GetEngineStatus", "Access denied")


def test_a_refused_engine_read_leaves_plans_without_a_sync_engine_document_working(tmp_path: Path) -> None:
    tenant = Tenant.create(tmp_path / "tenant.db")
    target = AgentTarget(EngineRefusingAgent(tenant), "local:refusing", on_close=tenant.close)
    try:
        live = target.read_live()
        assert live.sync_engine is None
        assert engine_plan_of(target, DesiredState()).changes == ()
        planned = engine_plan_of(target, DesiredState(sync_engine=SyncEngineDoc(automatic=True)))
        assert any("engine status was not read" in note for note in planned.notes)
        with pytest.raises(AgentError, match="Access denied"):
            target.set_sync_engine(automatic=True, interval=None)  # the write reads first, and stops
    finally:
        target.close()


def engine_plan_of(target: AgentTarget, state: DesiredState, last: LastApplied | None = None) -> Plan:
    return plan(
        state,
        target.read_live(fresh=True),
        target.read_metadata(),
        resolved_config={},
        last_applied=last or LastApplied.empty(),
        now=NOW,
        options=PlanOptions(environment="engine", target=target.identity()),
    )
