"""Restores that must work although the tenant keeps failing right after the failed write."""

from __future__ import annotations

import pytest

from syncspec.apply.applier import apply_plan
from syncspec.apply.hooks import ApplyResult, ConnectionResult, ConnectionStatus
from syncspec.apply.rollback import RestorePolicy, Touched, restore_connection
from syncspec.embedded.tenant import InProcessAgent, Tenant
from syncspec.model.enums import ErpActorType
from syncspec.model.live import LiveState
from syncspec.plan.model import Plan, StepKind
from syncspec.targets.agent_target import AgentTarget
from syncspec.workspace.session import secret_resolver
from tests.apply.flaky_agent import FlakyAgent
from tests.apply.helpers import Project, connection_json, edit

NORWAY = "demo-norway"


def apply_flaky(project: Project, plan: Plan, *, refuse: str, then_lost_reads: int) -> ApplyResult:
    with project.session() as session:
        secrets = secret_resolver(session, session.desired())
    tenant = Tenant.open(project.db)
    agent = FlakyAgent(InProcessAgent(tenant), refuse=refuse, then_lost_reads=then_lost_reads)
    target = AgentTarget(agent, f"local:{project.db.resolve()}", on_close=tenant.close)
    try:
        return apply_plan(plan, target, secrets=secrets, state=project.state(), parallelism=1)
    finally:
        target.close()


def unit(result: ApplyResult, name: str) -> ConnectionResult:
    return next(u for u in result.units if u.name == name)


def change_norway(project: Project) -> None:
    """A description, a mapping, a list item and the ranking of demo-norway."""
    conn = project.root / "connections" / NORWAY
    edit(conn / "connection.yaml", "(Demo Norge AS)", "(Demo Norge ASA)")
    edit(
        conn / "customer.mappings.yaml",
        "PHONE: {crm: contact.phone, direction: both}",
        "PHONE: {crm: contact.phone, direction: to-erp}",  # to-crm: demo-sweden maps contact.phone (SS307)
    )
    edit(conn / "customer.lists.yaml", "  X: null\n", "  X: Supplier\n")  # Other is G's: SS311
    edit(conn / "customer.ranking.yaml", "[BALANCE, LASTINVOICE,", "[LASTINVOICE, BALANCE,")


def test_restore_works_from_before_when_its_first_reads_fail(project: Project) -> None:
    """The list save fails with the connection switched off and its mapping changed; the next
    reads fail too. The restore must not wait for a read to know what to write back."""
    change_norway(project)
    plan = project.plan()
    kinds = [s.kind for s in plan.steps if s.connection == NORWAY]
    assert StepKind.SAVE_LIST_MAPPINGS in kinds and kinds[0] is StepKind.DEACTIVATE
    before = connection_json(project.live(), NORWAY)
    result = apply_flaky(project, plan, refuse="save_connection_list_mappings", then_lost_reads=2)
    norway = unit(result, NORWAY)
    assert norway.status is ConnectionStatus.RESTORED, norway
    assert not norway.restore_errors and not norway.next_command
    assert connection_json(project.live(), NORWAY) == before


def test_restore_deletes_a_created_connection_although_the_reads_fail(project: Project) -> None:
    with Tenant.open(project.db) as tenant:
        agent = InProcessAgent(tenant)
        sweden = next(c for c in agent.get_all_connections(False) if c.display_name == "demo-sweden")
        if sweden.active:
            agent.toggle_erp_connection_active(sweden.erp_connection_id)
        agent.delete_connection(sweden.erp_connection_id)
    plan = project.plan()
    steps = [s.kind for s in plan.steps if s.connection == "demo-sweden"]
    assert steps[0] is StepKind.SAVE_CONNECTION and StepKind.REFRESH_FIELDS in steps
    result = apply_flaky(project, plan, refuse="update_connection_fields", then_lost_reads=2)
    sweden_unit = unit(result, "demo-sweden")
    assert sweden_unit.status is ConnectionStatus.RESTORED, sweden_unit
    assert "demo-sweden" not in project.live().connections


def unmap_country(project: Project) -> None:
    """Unmap COUNTRY, a list field the tenant auto-mapped to contact.country, and change a list item
    of another field: the plan then saves the actor mapping and the list container."""
    conn = project.root / "connections" / NORWAY
    edit(conn / "customer.mappings.yaml", "  COUNTRY: {crm: contact.country, direction: both}\n", "")
    lists = conn / "customer.lists.yaml"
    docs = lists.read_text(encoding="utf-8").split("---\n")
    lists.write_text("---\n".join(d for d in docs if "field: COUNTRY" not in d), encoding="utf-8")
    edit(lists, "  X: null\n", "  X: Supplier\n")  # Other is G's: SS311


def test_a_plan_that_unmaps_an_auto_mapped_list_field_applies(project: Project) -> None:
    unmap_country(project)
    plan = project.plan()
    kinds = [s.kind for s in plan.steps if s.connection == NORWAY]
    assert kinds.index(StepKind.SAVE_ACTOR_MAPPING) < kinds.index(StepKind.SAVE_LIST_MAPPINGS)
    result, _ = project.apply(plan)
    assert result.ok, result
    assert not project.plan().steps
    live = project.live().connections[NORWAY].actors[ErpActorType.CUSTOMER]
    assert live.fields["COUNTRY"].crm == "" and "COUNTRY" not in live.lists


def test_the_restore_of_an_unmapping_unit_puts_the_list_back(project: Project) -> None:
    """The actor mapping (COUNTRY unmapped, its items dropped by the tenant) landed, the list save
    failed: the restore maps COUNTRY again first, then gives it its items back."""
    unmap_country(project)
    plan = project.plan()
    before = connection_json(project.live(), NORWAY)
    result = apply_flaky(project, plan, refuse="save_connection_list_mappings", then_lost_reads=0)
    norway = unit(result, NORWAY)
    assert norway.status is ConnectionStatus.RESTORED, norway
    assert connection_json(project.live(), NORWAY) == before


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.pauses: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


@pytest.mark.parametrize(("attempts", "rounds", "total"), [(6, 4, 300.0), (3, 2, 5.0), (10, 10, 1.0)])
def test_a_restore_against_a_tenant_that_never_answers_ends_bounded(
    project: Project, attempts: int, rounds: int, total: float
) -> None:
    live = project.live()
    before = live.connections[NORWAY]
    time = FakeClock()
    policy = RestorePolicy(
        attempts=attempts, rounds=rounds, total_seconds=total, sleep=time.sleep, clock=time.clock
    )
    tenant = Tenant.open(project.db)
    agent = FlakyAgent(InProcessAgent(tenant), refuse="", then_lost_reads=10**9)
    agent.refused = True  # every read fails from the start; writes still land
    with AgentTarget(agent, "flaky", on_close=tenant.close) as target:
        touched = Touched(actors={ErpActorType.CUSTOMER})
        reads = 0

        def read(fresh: bool) -> LiveState:
            nonlocal reads
            reads += 1
            return target.read_live(connections=[NORWAY], fresh=fresh)

        restore = restore_connection(
            target,
            NORWAY,
            before,
            touched,
            read=read,
            read_state=lambda: target.read_live(connections=[], fresh=True),
            scrub=str,
            policy=policy,
        )
    assert not restore.complete and restore.after is None
    assert restore.remaining == [f"connection.{NORWAY}: could not be re-read to confirm the restore"]
    assert reads <= attempts * (rounds + 1)
    assert sum(time.pauses) <= total
    assert all(p <= policy.max_delay for p in time.pauses)
    assert restore.errors  # each write that could not be made is named


def test_policy_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        RestorePolicy(attempts=0)
    with pytest.raises(ValueError, match="negative"):
        RestorePolicy(total_seconds=-1)
