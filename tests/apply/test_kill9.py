"""kill -9 in the middle of an apply: the next plan shows what is left, the dead run's lock is
broken by the next apply (saying so) or by id, and applying what is left converges."""

from __future__ import annotations

import json
import signal
from pathlib import Path

from tests.apply import processes
from tests.cli.project_cli import CliProject, converged_project, init_project

KILL_AFTER_STEPS = 6
SLOW = 0.25  # seconds before each tenant write in the child


def _project_state_after_kill(tmp_path: Path) -> tuple[CliProject, dict[str, object], list[str]]:
    project = init_project(tmp_path)
    before = project.run("plan", "--output", "json")
    planned = sorted(c["address"] for c in json.loads(before.out)["changes"])
    child = processes.start(project, SLOW, "apply", "--auto-approve", "--parallelism", "2")
    try:
        # both connections saved (they exist in the tenant) and a few more steps done
        def far_enough() -> bool:
            done = processes.steps_done(project)
            saved = {e["connection"] for e in done if e["kind"] == "save_connection"}
            return len(done) >= KILL_AFTER_STEPS and saved == {"demo-norway", "demo-sweden"}

        processes.wait_until(far_enough, f"{KILL_AFTER_STEPS} steps in the journal", child)
        lock = processes.lock_info(project)
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        processes.finish(child)  # reaped: its pid no longer runs
    assert child.returncode == -signal.SIGKILL
    assert lock["pid"] == child.pid
    return project, lock, planned


def test_an_apply_killed_mid_way_leaves_a_plan_of_exactly_what_is_left(tmp_path: Path) -> None:
    project, lock, planned = _project_state_after_kill(tmp_path)
    lock_id = str(lock["lock_id"])

    history = project.run("history", "--output", "json").json_lines()
    assert [r["result"] for r in history] == ["incomplete"]
    assert 0 < int(str(history[0]["steps_done"])) < 186

    # what is left: a plan from the tenant as the kill left it
    left = project.run("plan", "--out", "left.json", "--output", "json")
    assert left.code == 0, left
    remaining = json.loads(left.out)["changes"]
    addresses = sorted(c["address"] for c in remaining)
    assert addresses, "the kill came before the apply could finish"
    assert set(addresses) != set(planned)  # the kill came after some of the plan was done
    assert "connector.demo-erp" not in addresses  # saved before the kill
    creates = {c["address"] for c in remaining if c["action"] == "create"}
    assert not creates & {"connection.demo-norway", "connection.demo-sweden"}  # both were saved
    assert not any(c["known_after_create"] for c in remaining)

    # `lock` names the stale lock; it can still be broken by hand, by its id
    shown = project.run("lock", "status")
    assert lock_id in shown.out and "stale" in shown.out
    unlocked = project.run("unlock", lock_id)
    assert unlocked.code == 0, unlocked

    # exactly what was left: the saved plan alone converges the tenant
    finished = project.run("apply", "left.json")
    assert finished.code == 0, finished
    assert project.run("plan", "--detailed-exitcode").code == 0
    again = project.run("apply", "--auto-approve")
    assert again.code == 0, again
    assert "No changes" in again.out
    assert project.run("plan", "--detailed-exitcode").code == 0
    assert not (project.state_dir / "lock.json").exists()


def test_after_a_kill_the_next_apply_breaks_the_dead_lock_says_so_and_converges(tmp_path: Path) -> None:
    project, lock, _ = _project_state_after_kill(tmp_path)
    lock_id = str(lock["lock_id"])
    done = project.run("apply", "--auto-approve")
    assert done.code == 0, done
    assert f"note: broke lock {lock_id} of " in done.out
    assert f"(pid {lock['pid']}, `syncspec apply" in done.out and f"pid {lock['pid']} is gone;" in done.out
    broken = [e for e in project.journal() if e["event"] == "lock_broken"]
    assert [(e["lock_id"], e["holder"]["pid"]) for e in broken] == [(lock_id, lock["pid"])]  # type: ignore[index]
    starts = [e for e in project.journal() if e["event"] == "apply_start"]
    assert starts[-1]["broke_lock"] == lock_id
    assert project.run("plan", "--detailed-exitcode").code == 0
    results = [r["result"] for r in project.run("history", "--output", "json").json_lines()]
    assert results == ["incomplete", "succeeded"]
    assert not (project.state_dir / "lock.json").exists()


def test_after_a_kill_unlock_and_apply_converge(tmp_path: Path) -> None:
    project, lock, _ = _project_state_after_kill(tmp_path)
    assert project.run("unlock", str(lock["lock_id"])).code == 0
    done = project.run("apply", "--auto-approve")
    assert done.code == 0, done
    assert project.run("plan", "--detailed-exitcode").code == 0
    results = [r["result"] for r in project.run("history", "--output", "json").json_lines()]
    assert results == ["incomplete", "succeeded"]


def test_a_connection_a_killed_apply_left_switched_off_is_a_risky_item_of_the_next_plan(
    tmp_path: Path,
) -> None:
    project = converged_project(tmp_path)
    config = project.root / "connections" / "demo-norway" / "connection.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("timeout: 30", "timeout: 45"), encoding="utf-8"
    )
    child = processes.start(project, SLOW, "apply", "--auto-approve")
    try:

        def switched_off() -> bool:
            done = processes.steps_done(project)
            return any(e["kind"] == "deactivate" and e["connection"] == "demo-norway" for e in done)

        processes.wait_until(switched_off, "the deactivation of demo-norway in the journal", child)
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        processes.finish(child)
    (apply_id,) = {e["apply_id"] for e in project.journal() if e["event"] == "apply_start"} - {
        e["apply_id"] for e in project.journal() if e["event"] == "apply_end"
    }
    risk = f"left switched off by an interrupted apply ({apply_id})"

    text = project.run("plan")
    assert text.code == 0, text
    risky_section = text.out.split("Risky changes", 1)[-1]
    assert risk in risky_section, text
    markdown = project.run("plan", "--output", "markdown")
    assert f"- **activate** `connection.demo-norway`: {risk}" in markdown.out, markdown
    changes = json.loads(project.run("plan", "--output", "json").out)["changes"]
    (change,) = [c for c in changes if c["address"] == "connection.demo-norway" and c["action"] == "activate"]
    assert change["after"]["active"] is True and risk in change["risk"]

    finished = project.run("apply", "--auto-approve")
    assert finished.code == 0, finished
    after = project.run("plan")
    assert after.code == 0 and "interrupted apply" not in after.out, after
