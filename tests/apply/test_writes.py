"""Writes as SuperOffice documents them, checked on what the tenant stores after real applies.

Each survival test runs twice: through the in-process agent and over HTTP to the emulator,
whose saves store what they are sent (so a blanked carrier would show here).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from syncspec.apply.applier import apply_plan
from syncspec.apply.hooks import ApplyResult, ConnectionStatus
from syncspec.embedded.emulator.server import serve_in_thread
from syncspec.embedded.tenant import InProcessAgent, Tenant
from syncspec.model.enums import ErpActorType
from syncspec.plan.model import Plan
from syncspec.targets.agent import ErpSyncAgent
from syncspec.targets.agent_target import AgentTarget
from syncspec.targets.rest.agent import RestAgent
from syncspec.workspace.session import secret_resolver
from tests.apply.helpers import Project, edit, new_project

TOKEN = "writes-test-token"
NORWAY = "demo-norway"
CUSTOMER = ErpActorType.CUSTOMER


class Recording:
    """A real agent that records every call it is asked to make; `false_from` answers its first call false."""

    def __init__(self, inner: ErpSyncAgent, *, false_from: str = "") -> None:
        self.inner = inner
        self.false_from = false_from
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self.inner, name)

        def call(*args: Any) -> Any:
            self.calls.append((name, args))
            if name == self.false_from:
                self.false_from = ""
                return False  # what SuperOffice answers for "fail": nothing was done
            return method(*args)

        return call


@contextmanager
def agent_for(project: Project, via: str) -> Iterator[ErpSyncAgent]:
    tenant = Tenant.open(project.db)
    try:
        if via == "in-process":
            yield InProcessAgent(tenant)
        else:
            with serve_in_thread(tenant, token=TOKEN) as url, RestAgent(url, token=TOKEN, retries=0) as rest:
                yield rest
    finally:
        tenant.close()


def run_apply(project: Project, plan: Plan, agent: ErpSyncAgent) -> ApplyResult:
    with project.session() as session:
        secrets = secret_resolver(session, session.desired())
    target = AgentTarget(agent, f"local:{project.db.resolve()}", parallelism=1)
    return apply_plan(plan, target, secrets=secrets, state=project.state(), parallelism=1)


def tenant_facts(agent: ErpSyncAgent, name: str) -> dict[str, Any]:
    """What SuperOffice keeps on a connection that syncspec does not manage, read straight from the agent."""
    conn = next(c for c in agent.get_all_connections(False) if c.display_name == name)
    mapping = agent.get_actor_type_mapping(conn.erp_connection_id, CUSTOMER)
    keys = [f.erp_field_key for f in mapping.field_mappings]
    return {
        "id": conn.erp_connection_id,
        "guid": conn.connection_id,
        "timestamp": agent.get_connection(conn.erp_connection_id).most_recent_timestamp,
        "active": conn.active,
        "crm_actor": mapping.actor_type_crm,
        "keys": keys,
        "field_ids": {f.erp_field_key: f.erp_field_id for f in mapping.field_mappings},
        "types": {f.erp_field_key: (f.field_type, f.access) for f in mapping.field_mappings},
        "connector_defaults": {
            f.erp_field_key: agent.get_default_value_info(f.erp_field_id).default_value
            for f in mapping.field_mappings
        },
    }


@pytest.mark.parametrize("via", ["in-process", "emulator"])
def test_what_the_configuration_does_not_own_survives_an_apply(project: Project, via: str) -> None:
    with agent_for(project, via) as agent:
        conn = next(c for c in agent.get_all_connections(False) if c.display_name == NORWAY)
        stamped = agent.get_connection(conn.erp_connection_id)
        stamped.most_recent_timestamp = "20261130T235959.42"  # the sync engine's bookmark
        agent.save_connection(stamped)
        before = tenant_facts(agent, NORWAY)
    assert before["guid"] and before["active"] and any(before["connector_defaults"].values())
    folder = project.root / "connections" / NORWAY
    edit(folder / "connection.yaml", "timeout: 30", "timeout: 45")
    edit(folder / "connection.yaml", "(Demo Norge AS)", "(Demo Norge ASA)")
    edit(folder / "customer.defaults.yaml", "DISCOUNT: {value: 0}", "DISCOUNT: {value: 5}")
    edit(
        folder / "customer.mappings.yaml",
        "PHONE: {crm: contact.phone, direction: both}",
        "PHONE: {crm: contact.phone, direction: to-erp}",  # to-crm: demo-sweden maps contact.phone (SS307)
    )
    plan = project.plan()
    kinds = {s.kind.value for s in plan.steps}
    assert {"save_connection", "save_actor_mapping", "save_default"} <= kinds
    with agent_for(project, via) as agent:
        result = run_apply(project, plan, agent)
        assert [c.status for c in result.units if c.name == NORWAY] == [ConnectionStatus.APPLIED]
        after = tenant_facts(agent, NORWAY)
        stored = agent.get_connection(after["id"])
        discount = agent.get_default_value_info(after["field_ids"]["DISCOUNT"])
    for fact in (
        "id",
        "guid",
        "timestamp",
        "active",
        "crm_actor",
        "field_ids",
        "types",
        "connector_defaults",
    ):
        assert after[fact] == before[fact], fact
    assert len(after["keys"]) == len(set(after["keys"])) == len(before["keys"])  # no row duplicated
    # the values went out in SuperOffice's encoding
    assert stored.config_fields["timeout"] == "[I:45]"
    assert discount.first_sync_default_value == "[I:5]"
    assert not project.plan().steps


def test_a_false_from_update_connection_fields_fails_and_restores_the_connection(project: Project) -> None:
    edit(project.root / "connections" / NORWAY / "connection.yaml", "timeout: 30", "timeout: 45")
    plan = project.plan()
    before = project.live().connections[NORWAY]
    with agent_for(project, "in-process") as inner:
        agent = Recording(inner, false_from="update_connection_fields")
        result = run_apply(project, plan, agent)  # type: ignore[arg-type]
    (outcome,) = [c for c in result.units if c.name == NORWAY]
    assert outcome.status is ConnectionStatus.RESTORED
    assert "UpdateConnectionFields answered false" in outcome.error and NORWAY in outcome.error
    after = project.live().connections[NORWAY]
    assert (after.config, after.active) == (before.config, before.active)


def test_a_false_from_save_sync_priorities_fails_naming_the_method(project: Project) -> None:
    edit(
        project.root / "connections" / "sync-priority.yaml",
        "[demo-norway, demo-sweden]",
        "[demo-sweden, demo-norway]",
    )
    plan = project.plan()
    before = project.live().sync_priority
    with agent_for(project, "in-process") as inner:
        agent = Recording(inner, false_from="save_erp_connection_sync_priorities")
        result = run_apply(project, plan, agent)  # type: ignore[arg-type]
    (outcome,) = [c for c in result.units if c.name == "sync_priority"]
    assert outcome.status is not ConnectionStatus.APPLIED
    assert "SaveErpConnectionSyncPriorities answered false" in outcome.error
    assert project.live().sync_priority == before


@pytest.mark.parametrize("via", ["in-process", "emulator"])
def test_new_connectors_and_connections_are_tested_before_they_are_created(tmp_path: Path, via: str) -> None:
    project = new_project(tmp_path)
    plan = project.plan()  # a fresh tenant: the connector and both connections are created
    with agent_for(project, via) as inner:
        agent = Recording(inner)
        run_apply(project, plan, agent)  # type: ignore[arg-type]
        connector_id = next(c.id for c in inner.get_all_connectors() if c.name == "demo-erp")
    names = [name for name, _ in agent.calls]
    assert (
        names.index("create_default_erp_sync_connector_entity")
        < names.index("test_connector_url")
        < names.index("save_erp_sync_connector_entity")
    )
    creates = [
        i
        for i, (n, args) in enumerate(agent.calls)
        if n == "save_connection" and not args[0].erp_connection_id
    ]
    tests = [
        i
        for i, (n, args) in enumerate(agent.calls)
        if n == "test_connection_by_config" and args[0] == connector_id
    ]
    assert len(creates) == 2
    assert all(any(t < c for t in tests) for c in creates)
