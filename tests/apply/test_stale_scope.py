"""The stale check and each unit read only what the plan touches (tests/targets/recording.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from syncspec.apply.applier import apply_plan, stale_check_scope
from syncspec.embedded.tenant import InProcessAgent, Tenant
from syncspec.targets.agent_target import AgentTarget
from syncspec.workspace.session import secret_resolver
from tests.apply.helpers import Project, edit
from tests.targets.recording import RecordingAgent


def test_a_plan_touching_one_connection_is_checked_and_applied_reading_only_it(project: Project) -> None:
    ids = {name: c.id for name, c in project.live().connections.items()}
    edit(
        project.root / "connections" / "demo-norway" / "connection.yaml",
        "(Demo Norge AS)",
        "(Demo Norge ASA)",
    )
    plan = project.plan()
    assert stale_check_scope(plan) == ["demo-norway"]
    with project.session() as session:
        secrets = secret_resolver(session, session.desired())
    tenant = Tenant.open(project.db)
    agent = RecordingAgent(InProcessAgent(tenant))
    target = AgentTarget(agent, f"local:{project.db.resolve()}", on_close=tenant.close)
    try:
        result = apply_plan(
            plan, target, secrets=secrets, state=project.state(), now=lambda: datetime.now(UTC)
        )
    finally:
        target.close()
    assert result.ok
    assert set(agent.per_connection) == {ids["demo-norway"]}
    assert ids["demo-sweden"] not in agent.per_connection
