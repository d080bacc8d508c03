"""Two applies as separate OS processes on one environment: exactly one runs; the other fails
at once naming the holder, or waits (--lock-timeout) and then refuses its now-stale plan."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from tests.apply import processes
from tests.cli.project_cli import CliProject, init_project

SLOW = 0.05


@pytest.fixture
def project(tmp_path: Path) -> CliProject:
    return init_project(tmp_path)


def test_the_second_apply_fails_at_once_naming_the_holder(project: CliProject) -> None:
    first = processes.start(project, SLOW, "apply", "--auto-approve", name="first")
    try:
        processes.wait_until(lambda: processes.has_lock(project), "the first apply's lock", first)
        holder = processes.lock_info(project)
        second = processes.start(project, 0, "apply", "--auto-approve", "--lock-timeout", "0", name="second")
        second_code = processes.finish(second)
    finally:
        first_code = processes.finish(first)
    out, err = processes.output(project, "second")
    assert second_code == 1, out[-2000:] + err
    assert holder["pid"] == first.pid
    assert f"environment 'local' is locked: lock {holder['lock_id']}" in err
    assert f"@{socket.gethostname()} (pid {first.pid})" in err
    assert str(holder["owner"]) in err
    assert "running `syncspec apply --auto-approve`" in err
    assert "--lock-timeout" in err  # the hint
    assert first_code == 0, processes.output(project, "first")

    starts = [e for e in project.journal() if e["event"] == "apply_start"]
    assert [e["pid"] for e in starts] == [first.pid]  # only the first one ran
    assert project.run("plan", "--detailed-exitcode").code == 0


def test_the_second_apply_waits_for_the_lock_then_refuses_its_stale_plan(project: CliProject) -> None:
    first = processes.start(project, SLOW, "apply", "--auto-approve", name="first")
    try:
        processes.wait_until(lambda: processes.has_lock(project), "the first apply's lock", first)
        # planned against the tenant as it was; it must wait, then see that the tenant moved on
        second = processes.start(
            project, 0, "apply", "--auto-approve", "--lock-timeout", "120", name="second"
        )
        second_code = processes.finish(second)
    finally:
        first_code = processes.finish(first)
    assert first_code == 0, processes.output(project, "first")
    out, err = processes.output(project, "second")
    assert first.returncode == 0
    assert second_code == 1, out[-2000:] + err
    assert "plan is stale:" in err
    assert "is locked" not in err  # it waited instead of failing on the lock

    starts = [e for e in project.journal() if e["event"] == "apply_start"]
    assert [e["pid"] for e in starts] == [first.pid]
    assert not (project.state_dir / "lock.json").exists()
    assert project.run("plan", "--detailed-exitcode").code == 0


def test_a_waiting_apply_with_nothing_stale_runs_after_the_first(project: CliProject) -> None:
    converge = project.run("apply", "--auto-approve")
    assert converge.code == 0, converge
    # two edits in different connections, planned and saved before either apply runs
    for name, text in (("demo-norway", "edited by the first"), ("demo-sweden", "edited by the second")):
        path = project.root / "connections" / name / "connection.yaml"
        source = path.read_text(encoding="utf-8")
        (line,) = [line for line in source.splitlines() if line.startswith("description: ")]
        path.write_text(source.replace(line, f"description: {text}"), encoding="utf-8")
        made = project.run("plan", "--only", f"connection.{name}", "--out", f"{name}.json")
        assert made.code == 0, made
    first = processes.start(project, 0.5, "apply", "demo-norway.json", name="first")
    try:
        processes.wait_until(lambda: processes.has_lock(project), "the first apply's lock", first)
        second = processes.start(
            project, 0, "apply", "demo-sweden.json", "--lock-timeout", "120", name="second"
        )
        second_code = processes.finish(second)
    finally:
        first_code = processes.finish(first)
    assert first_code == 0, processes.output(project, "first")
    assert second_code == 0, processes.output(project, "second")
    ends = [e for e in project.journal() if e["event"] in ("apply_start", "apply_end")]
    # strictly one after the other: start, end, start, end; the first holder first
    assert [e["event"] for e in ends][-4:] == ["apply_start", "apply_end", "apply_start", "apply_end"]
    assert [e["pid"] for e in ends[-4:] if e["event"] == "apply_start"] == [first.pid, second.pid]
    assert project.run("plan", "--detailed-exitcode").code == 0
    assert os.getpid() not in {first.pid, second.pid}
