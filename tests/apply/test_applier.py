from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from syncspec.apply.hooks import ConnectionStatus
from syncspec.model.errors import PlanError, TargetError
from syncspec.plan.model import Plan
from syncspec.state.journal import history
from syncspec.workspace.session import PlanRequest
from tests.apply.failing_agent import WRITES
from tests.apply.helpers import PASSWORD, Project, connection_json, copy_db, edit

NAMES = ("demo-norway", "demo-sweden")


def change_both(project: Project) -> None:
    """Config changes on both connections: connection fields, a mapping, a default, the ranking."""
    conn = project.root / "connections"
    edit(conn / "demo-norway" / "connection.yaml", "(Demo Norge AS)", "(Demo Norge ASA)")
    edit(conn / "demo-sweden" / "connection.yaml", "(Demo Sverige AB)", "(Demo Sverige)")
    edit(conn / "demo-norway" / "customer.ranking.yaml", "[BALANCE, LASTINVOICE,", "[LASTINVOICE, BALANCE,")
    edit(conn / "demo-sweden" / "customer.ranking.yaml", "order: [", "order: [NAME, ")


def test_no_op_plan_writes_nothing(project: Project) -> None:
    plan = project.plan()
    result, _agent = project.apply(plan)
    assert result.noop and result.result == "noop"
    assert project.state().read_journal() == []
    assert not (project.root / ".syncspec" / "state" / "local" / "lock.json").exists()


def test_apply_converges_and_records(project: Project) -> None:
    change_both(project)
    plan = project.plan()
    assert {s.connection for s in plan.steps if s.connection} == set(NAMES)
    result, _ = project.apply(plan, parallelism=2)
    assert result.ok, result
    assert not project.plan().steps
    events = project.state().read_journal()
    assert next(e["event"] for e in events) == "apply_start"
    assert events[-1]["event"] == "apply_end" and events[-1]["result"] == "succeeded"
    record = project.state().read_last_applied()
    assert record.plan_id == plan.plan_id
    assert "connection.demo-norway" in record.values


def test_a_value_from_the_environment_is_recorded_only_as_a_fingerprint(project: Project) -> None:
    # `server` is a Text field the tenant shows in clear; taken from the environment it is a
    # secret, in last-applied too, whether this apply saves the connection or only a ranking.
    server = "https://127.0.0.1:9/erp-from-env-5Tq"
    project = Project(project.root, {**project.env, "ERP_SERVER": server})
    conn = project.root / "connections" / "demo-norway"
    edit(conn / "connection.yaml", "${var:erp_server}", "${env:ERP_SERVER}")
    for edited in (None, conn / "customer.ranking.yaml"):
        if edited is not None:
            edit(edited, "[BALANCE, LASTINVOICE,", "[LASTINVOICE, BALANCE,")
        plan = project.plan()
        assert plan.env_secrets == ("connection.demo-norway.config.server",)
        with project.session() as session:
            keyed = session.secret_digest()
        result, _ = project.apply(plan, secret_digest=keyed)
        assert result.ok, result
        record = project.state().read_last_applied().values["connection.demo-norway"]
        assert record["config.server"] == keyed(server)
        text = (project.root / ".syncspec" / "state" / "local" / "last-applied.json").read_text()
        assert server not in text
    assert server in repr(connection_json(project.live(), "demo-norway"))  # the tenant has it
    assert not project.plan().steps


def test_a_value_from_the_environment_in_a_typed_field_is_sent_in_its_stored_form(project: Project) -> None:
    # timeout is an Integer field, stored as "[I:30]"; from the environment it is resolved by
    # the applier, which must encode it as the planner compares it, or apply never converges
    project = Project(project.root, {**project.env, "ERP_TIMEOUT": "30"})
    conn = project.root / "connections" / "demo-norway" / "connection.yaml"
    edit(conn, "timeout: 30", "timeout: ${env:ERP_TIMEOUT}")
    edit(conn, "(Demo Norge AS)", "(Demo Norge ASA)")  # a save of the connection, timeout unchanged
    plan = project.plan()
    (save,) = [s for s in plan.steps if s.kind.value == "save_connection"]
    assert "timeout" in save.data["sensitive_keys"]
    result, _ = project.apply(plan)
    assert result.ok, result
    assert project.live().connections["demo-norway"].config["timeout"] == "[I:30]"
    assert not project.plan().steps


def _expectations(project: Project, plan: Plan) -> tuple[dict[str, object], dict[str, object]]:
    """(before, desired) per connection: the tenant now, and after a clean apply (then undone)."""
    backup = project.db.with_suffix(".before")
    copy_db(project.db, backup)
    live = project.live()
    before = {n: connection_json(live, n) for n in NAMES}
    result, _agent = project.apply(plan)
    assert result.ok
    after = project.live()
    desired = {n: connection_json(after, n) for n in NAMES}
    copy_db(backup, project.db)
    shutil.rmtree(project.root / ".syncspec" / "state")
    return before, desired


@pytest.mark.slow
@pytest.mark.parametrize("interrupt", [False, True], ids=["agent-error", "keyboard-interrupt"])
def test_every_failing_call_leaves_each_connection_before_or_desired(
    project: Project, interrupt: bool
) -> None:
    change_both(project)
    plan = project.plan()
    before, desired = _expectations(project, plan)
    backup = project.db.with_suffix(".before")
    copy_db(project.db, backup)
    _, counter = project.apply(plan)
    calls = counter.calls
    copy_db(backup, project.db)
    shutil.rmtree(project.root / ".syncspec" / "state")
    assert 10 < calls < 2000
    for k in fault_points(counter.methods):
        try:
            result, agent = project.apply(plan, fail_at=k, interrupt=interrupt)
        except (TargetError, KeyboardInterrupt):
            # the up-front stale check's read failed: refused before writing anything
            assert project.live() == _live_of(backup, project)
            assert project.state().read_journal() == []
            assert project.state().current_lock() is None
            continue
        live = project.live()
        journal = project.state().read_journal()
        ends = {str(e["connection"]): str(e["status"]) for e in journal if e["event"] == "connection_end"}
        for name in NAMES:
            now = connection_json(live, name)
            assert now in (before[name], desired[name]), (
                f"call {k} ({agent.failed_method}): {name} is neither"
            )
            unit = next((u for u in result.units if u.name == name), None)
            if unit is not None and unit.status is ConnectionStatus.SKIPPED:
                assert now == before[name], k
            elif now == before[name] and now != desired[name]:
                assert unit is None or unit.status in (
                    ConnectionStatus.RESTORED,
                    ConnectionStatus.SKIPPED,
                    ConnectionStatus.STALE,
                ), (k, unit)
                assert ends.get(name, "skipped") in ("restored", "stale", "skipped"), (k, ends)
            else:
                assert unit is not None, k
                # written in full; only the confirming re-read may have failed, and then it says so
                confirmed = unit.status is ConnectionStatus.APPLIED
                unconfirmed = unit.status is ConnectionStatus.NOT_CONVERGED and all(
                    "could not be re-read" in line for line in unit.not_converged
                )
                assert confirmed or unconfirmed, (k, unit)
                assert ends[name] == unit.status.value
        assert project.state().current_lock() is None
        assert journal[-1]["event"] == "apply_end"
        assert journal[-1]["result"] == result.result
        copy_db(backup, project.db)
        shutil.rmtree(project.root / ".syncspec" / "state")


READ_STRIDE = 8


def fault_points(methods: list[str]) -> list[int]:
    """Which calls to fail: every write (each can leave a connection half-written) and every
    READ_STRIDE-th read plus the first and last call. A failing read only ever stops the apply
    the same way, and each trial costs a whole apply (~0.5 s), so the full sweep over every
    call runs when SYNCSPEC_FULL_FAULT_SWEEP=1 (about 7 minutes) rather than in every CI run."""
    if os.environ.get("SYNCSPEC_FULL_FAULT_SWEEP") == "1":
        return list(range(1, len(methods) + 1))
    reads = [k for k, name in enumerate(methods, start=1) if name not in WRITES]
    chosen = {k for k, name in enumerate(methods, start=1) if name in WRITES}
    chosen.update(reads[::READ_STRIDE])
    chosen.update({1, len(methods)})
    return sorted(chosen)


def test_fault_points_cover_every_write() -> None:
    methods = ["get_connection"] * 20 + ["save_connection", "get_connection", "toggle_erp_connection_active"]
    points = fault_points(methods)
    assert {21, 23} <= set(points) and 1 in points and len(methods) in points
    assert len(points) < len(methods)


def _live_of(db: Path, project: Project) -> object:
    """The live state of a saved tenant file (read through a scratch copy)."""
    probe = Project(project.root / "probe", project.env)
    probe.db.parent.mkdir(parents=True, exist_ok=True)
    copy_db(db, probe.db)
    return probe.live()


def test_stale_plan_is_refused_before_writing(project: Project) -> None:
    change_both(project)
    plan = project.plan()
    edit(project.root / "connections" / "demo-norway" / "connection.yaml", "ASA)", "Group)")
    project.apply(project.plan(PlanRequest(only=("connection.demo-norway",))))
    with pytest.raises(PlanError, match=r"plan is stale: connection.demo-norway changed"):
        project.apply(plan)


def test_expired_plan_is_refused(project: Project) -> None:
    change_both(project)
    plan = project.plan()
    later = datetime.now(UTC) + timedelta(days=30)
    with pytest.raises(PlanError, match="expired"):
        project.apply(plan, now=lambda: later)
    assert project.state().read_journal() == []


def test_secrets_never_reach_state_files(project: Project) -> None:
    change_both(project)
    project.apply(project.plan())
    for path in (project.root / ".syncspec" / "state").rglob("*"):
        if path.is_file():
            assert PASSWORD not in path.read_text(encoding="utf-8"), path


def test_history_tells_the_applies(project: Project) -> None:
    change_both(project)
    plan = project.plan()
    for k in range(1, 2000):  # the first call that is not part of the up-front read
        try:
            project.apply(plan, fail_at=k)
            break
        except TargetError:
            continue
    records = history(project.state().read_journal())
    assert len(records) == 1
    assert records[0].result in ("failed", "not_converged"), records[0]
    assert records[0].plan_id == plan.plan_id


def test_second_apply_fails_naming_the_holder(project: Project, tmp_path: Path) -> None:
    from syncspec.state.base import LockHeldError

    change_both(project)
    state = project.state()
    lock = state.acquire_lock(command="syncspec apply", owner="other", timeout=0, now="2026-01-01T00:00:00Z")
    try:
        with pytest.raises(LockHeldError, match=lock.lock_id):
            project.apply(project.plan())
    finally:
        state.release_lock(lock)
    assert project.state().read_journal() == []


def test_a_plan_whose_content_does_not_match_its_id_is_refused_before_the_lock(project: Project) -> None:
    """A step added to a reviewed plan: the journal would record the reviewed id for other writes."""
    change_both(project)
    plan = project.plan()
    extra = next(s for s in plan.steps if s.kind.value == "save_connection")
    tampered = Plan(**{**plan.__dict__, "steps": (*plan.steps, extra)})
    with pytest.raises(PlanError, match="content does not match its plan_id"):
        project.apply(tampered)
    assert project.state().read_journal() == []
    assert not (project.root / ".syncspec" / "state" / "local" / "lock.json").exists()
