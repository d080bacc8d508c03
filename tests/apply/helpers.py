"""A real project (the example configuration) on a real embedded tenant, and ways to apply to it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from syncspec.apply.applier import apply_plan
from syncspec.apply.hooks import ApplyResult
from syncspec.embedded.tenant import InProcessAgent, Tenant
from syncspec.model.live import LiveState
from syncspec.plan.fingerprint import to_json
from syncspec.plan.model import Plan
from syncspec.state.local import LocalState, open_state
from syncspec.targets.agent_target import AgentTarget
from syncspec.workspace.session import PlanRequest, Session, secret_resolver
from tests.apply.failing_agent import FailingAgent
from tests.support.example import DEMO_PASSWORD, copy_example
from tests.support.example import REPO as REPO  # kept importable from here

PASSWORD = DEMO_PASSWORD


@dataclass
class Project:
    root: Path
    env: dict[str, str]

    @property
    def db(self) -> Path:
        return self.root / ".syncspec" / "tenant.db"

    def session(self) -> Session:
        return Session(self.root, self.env, None)

    def plan(self, request: PlanRequest | None = None) -> Plan:
        with self.session() as session:
            return session.make_plan(request or PlanRequest())

    def state(self) -> LocalState:
        state = open_state(self.root, "local", {"backend": "local"})
        assert isinstance(state, LocalState)
        return state

    def apply(
        self,
        plan: Plan,
        *,
        fail_at: int = 0,
        interrupt: bool = False,
        parallelism: int = 1,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        secret_digest: Callable[[str], str] | None = None,
    ) -> tuple[ApplyResult, FailingAgent]:
        with self.session() as session:
            secrets = secret_resolver(session, session.desired())
        tenant = Tenant.open(self.db)
        agent = FailingAgent(InProcessAgent(tenant), fail_at, interrupt=interrupt)
        target = AgentTarget(agent, f"local:{self.db.resolve()}", on_close=tenant.close)  # type: ignore[arg-type]
        try:
            result = apply_plan(
                plan,
                target,
                secrets=secrets,
                state=self.state(),
                parallelism=parallelism,
                now=now,
                secret_digest=secret_digest,
            )
        finally:
            target.close()
        return result, agent

    def live(self) -> LiveState:
        tenant = Tenant.open(self.db)
        try:
            return AgentTarget(InProcessAgent(tenant), "read").read_live()
        finally:
            tenant.close()


def copy_db(source: Path, destination: Path) -> None:
    """Copy a closed tenant file, dropping SQLite side files the destination may have left."""
    for suffix in ("-wal", "-shm", "-journal"):
        Path(str(destination) + suffix).unlink(missing_ok=True)
    shutil.copy(source, destination)


def new_project(tmp: Path, monkeypatch_env: dict[str, str] | None = None) -> Project:
    root = tmp / "project"
    root.mkdir()
    copy_example(root)
    env = {"DEMO_ERP_PASSWORD": PASSWORD, "XDG_CONFIG_HOME": str(tmp / "xdg"), **(monkeypatch_env or {})}
    return Project(root, env)


def converge(project: Project) -> None:
    """Create everything, then apply once more (fields are known only after a create)."""
    for _ in range(3):
        plan = project.plan()
        if not plan.steps:
            return
        project.apply(plan)
    assert not project.plan().steps, "the example project does not converge in three applies"


def connection_json(live: LiveState, name: str) -> object:
    return to_json(live.connections.get(name))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")
