"""`syncspec apply` through the whole CLI on an `init`'d project and its real embedded tenant."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from syncspec.cli.session import PlanRequest, Session
from syncspec.plan.planfile import write_plan
from tests.cli.project_cli import CliProject, converged_project, deactivate_outside_syncspec, init_project


@pytest.fixture(scope="module")
def converged_template(tmp_path_factory: pytest.TempPathFactory) -> CliProject:
    return converged_project(tmp_path_factory.mktemp("apply-template"))


@pytest.fixture
def converged(converged_template: CliProject, tmp_path: Path) -> CliProject:
    return converged_template.copy_to(tmp_path / "project")


def edit_description(project: CliProject, text: str) -> None:
    path = project.root / "connections" / "demo-norway" / "connection.yaml"
    source = path.read_text(encoding="utf-8")
    (line,) = [line for line in source.splitlines() if line.startswith("description: ")]
    path.write_text(source.replace(line, f"description: {text}"), encoding="utf-8")


def changed_addresses(project: CliProject) -> list[str]:
    done = project.run("plan", "--output", "json")
    assert done.code == 0, done
    return sorted(c["address"] for c in json.loads(done.out)["changes"])


def test_nothing_to_do_writes_nothing_and_exits_0(converged: CliProject) -> None:
    journal = converged.journal()
    done = converged.run("apply", "--auto-approve")
    assert done.code == 0, done
    assert "No changes" in done.out
    assert converged.journal() == journal
    assert not (converged.state_dir / "lock.json").exists()


def test_without_a_terminal_and_without_auto_approve_nothing_is_applied(tmp_path: Path) -> None:
    project = init_project(tmp_path)
    before = changed_addresses(project)
    done = project.run("apply", stdin="yes\n")  # typed input is no terminal: still refused
    assert done.code == 1, done
    assert "stdin is not a terminal" in done.err
    assert "--auto-approve" in done.err
    assert "connection.demo-norway" in done.out  # the plan was shown
    assert changed_addresses(project) == before
    assert project.journal() == []
    assert not (project.state_dir / "lock.json").exists()


def test_auto_approve_converges_a_new_project_in_one_apply(tmp_path: Path) -> None:
    project = init_project(tmp_path)
    done = project.run("apply", "--auto-approve")
    assert done.code == 0, done
    assert "demo-norway: applied" in done.out
    assert project.run("plan", "--detailed-exitcode").code == 0
    journal = project.journal()
    assert [e["event"] for e in journal].count("apply_start") == 1
    assert [e["result"] for e in journal if e["event"] == "apply_end"] == ["succeeded"]
    assert not (project.state_dir / "lock.json").exists()


def test_a_saved_plan_is_applied_exactly_not_the_configuration_of_now(converged: CliProject) -> None:
    edit_description(converged, "first edit")
    made = converged.run("plan", "--out", "first.plan.json")
    assert made.code == 0, made
    saved = json.loads((converged.root / "first.plan.json").read_text(encoding="utf-8"))
    edit_description(converged, "second edit")  # after the plan: must not be applied
    done = converged.run("apply", "first.plan.json")
    assert done.code == 0, done
    starts = [e for e in converged.journal() if e["event"] == "apply_start"]
    assert starts[-1]["plan_id"] == saved["plan_id"]
    assert starts[-1]["steps"] == len(saved["steps"])
    agent, tenant = converged.agent()
    try:
        live = {c.display_name: c for c in agent.get_all_connections(False)}
    finally:
        tenant.close()
    assert live["demo-norway"].display_description == "first edit"
    assert changed_addresses(converged) == ["connection.demo-norway"]  # the second edit is still to do


def test_a_stale_saved_plan_is_refused_and_writes_nothing(converged: CliProject) -> None:
    edit_description(converged, "planned")
    assert converged.run("plan", "--out", "p.json").code == 0
    deactivate_outside_syncspec(converged, "demo-norway")
    journal = converged.journal()
    done = converged.run("apply", "p.json")
    assert done.code == 1, done
    assert "plan is stale: connection.demo-norway changed since the plan was made" in done.err
    assert converged.journal() == journal
    assert not (converged.state_dir / "lock.json").exists()


def test_an_expired_saved_plan_is_refused(converged: CliProject) -> None:
    edit_description(converged, "planned")
    eight_days_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=8)
    with Session(converged.root, converged.env, None, now=lambda: eight_days_ago) as session:
        plan = session.make_plan(PlanRequest())
    assert plan.steps
    (converged.root / "old.json").write_text(write_plan(plan), encoding="utf-8")
    done = converged.run("apply", "old.json")
    assert done.code == 1, done
    assert "expired" in done.err
    assert "run plan again" in done.err
    assert changed_addresses(converged) == ["connection.demo-norway"]


def test_json_output_is_one_object_per_line(tmp_path: Path) -> None:
    project = init_project(tmp_path)
    done = project.run("apply", "--auto-approve", "--output", "json")
    assert done.code == 0, done
    events = done.json_lines()
    assert events[0]["event"] == "apply_start"
    assert events[-1]["event"] == "apply_done"
    assert events[-1]["result"] == "succeeded"
    assert all(e["ok"] for e in events if e["event"] == "step_done")
    assert {e["name"] for e in events if e["event"] == "connection_done"} >= {"demo-norway", "demo-sweden"}


def test_json_output_of_nothing_to_do_is_one_object(converged: CliProject) -> None:
    done = converged.run("apply", "--auto-approve", "--output", "json")
    assert done.code == 0, done
    (only,) = done.json_lines()
    assert only["event"] == "apply_done"
    assert only["steps_total"] == 0


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        pytest.param(["p.json", "--only", "connection.demo-norway"], 64, "saved plan", id="plan-and-only"),
        pytest.param(["missing.json"], 64, "cannot read the plan file", id="missing-file"),
        pytest.param(["bad.json"], 1, "not valid JSON (line 1, column 2)", id="malformed-file"),
        pytest.param(["--parallelism", "0"], 64, "parallelism", id="bad-option"),
        pytest.param(
            ["-e", "nowhere", "--auto-approve"], 64, "unknown environment 'nowhere'", id="unknown-environment"
        ),
    ],
)
def test_refusals_and_their_exit_codes(converged: CliProject, args: list[str], code: int, says: str) -> None:
    (converged.root / "p.json").write_text("{}", encoding="utf-8")
    (converged.root / "bad.json").write_text("{nope", encoding="utf-8")
    done = converged.run("apply", *args)
    assert done.code == code, done
    assert says in done.err
    assert "Traceback" not in done.err
