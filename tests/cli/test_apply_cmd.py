"""`syncspec apply` through the whole CLI on an `init`'d project and its real embedded tenant."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from syncspec.plan.planfile import write_plan
from syncspec.workspace.session import PlanRequest, Session
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
    assert events[0]["type"] == "version"  # the first line says who wrote the stream, in which format
    assert next(e["type"] for e in events if "event" in e) == "apply_start"  # notes may come first
    assert events[-1]["event"] == "apply_done"
    assert events[-1]["result"] == "succeeded"
    assert all(e["ok"] for e in events if e["type"] == "step_done")
    assert {e["name"] for e in events if e["type"] == "connection_done"} >= {"demo-norway", "demo-sweden"}


def test_json_output_of_nothing_to_do_is_one_object_after_the_version(converged: CliProject) -> None:
    done = converged.run("apply", "--auto-approve", "--output", "json")
    assert done.code == 0, done
    version, only = done.json_lines()
    assert version["type"] == "version"
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


# --- a saved plan is applied only as it was made ----------------------------------------------

PLAN_KEY = "ci-plan-signing-key-0123456789"


def _with_env(project: CliProject, **extra: str) -> CliProject:
    return CliProject(project.root, {**project.env, **extra})


def _tenant_descriptions(project: CliProject) -> dict[str, str]:
    agent, tenant = project.agent()
    try:
        return {c.display_name: c.display_description for c in agent.get_all_connections(False)}
    finally:
        tenant.close()


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda d: d.update(expires_at="2999-01-01T00:00:00Z"), id="expiry"),
        pytest.param(
            lambda d: next(s for s in d["steps"] if s["kind"] == "save_connection")["data"].update(
                description="not what was reviewed"
            ),
            id="step",
        ),
    ],
)
def test_a_hand_edited_saved_plan_is_refused_and_writes_nothing(converged: CliProject, edit: Any) -> None:
    edit_description(converged, "reviewed")
    assert converged.run("plan", "--out", "p.json").code == 0
    path = converged.root / "p.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    edit(document)
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    journal = converged.journal()
    for command in (("apply", "p.json"), ("show", "p.json")):
        done = converged.run(*command)
        assert done.code == 1, done
        assert "the plan file was changed after it was made" in done.err
        assert "Traceback" not in done.err
    assert converged.journal() == journal
    assert _tenant_descriptions(converged)["demo-norway"] != "not what was reviewed"


def test_a_signed_plan_applies_only_with_its_key(converged: CliProject) -> None:
    edit_description(converged, "signed edit")
    signer = _with_env(converged, SYNCSPEC_PLAN_KEY=PLAN_KEY)
    made = signer.run("plan", "--out", "p.json")
    assert made.code == 0, made
    assert "signed with SYNCSPEC_PLAN_KEY" in made.err
    text = (converged.root / "p.json").read_text(encoding="utf-8")
    assert '"signature": "hmac-sha256:' in text and PLAN_KEY not in text

    other = _with_env(converged, SYNCSPEC_PLAN_KEY="another-jobs-key-9876543210")
    refused = other.run("apply", "p.json")
    assert refused.code == 1 and "signature does not match" in refused.err, refused
    unkeyed = converged.run("apply", "p.json")
    assert unkeyed.code == 1 and "the plan is signed, but SYNCSPEC_PLAN_KEY is not set" in unkeyed.err
    shown = converged.run("show", "p.json")
    assert shown.code == 0 and "set SYNCSPEC_PLAN_KEY to check its signature" in shown.err, shown

    done = signer.run("apply", "p.json")
    assert done.code == 0, done
    assert _tenant_descriptions(converged)["demo-norway"] == "signed edit"


def test_an_unsigned_plan_is_refused_when_the_key_is_set(converged: CliProject) -> None:
    edit_description(converged, "unsigned")
    assert converged.run("plan", "--out", "p.json").code == 0
    refused = _with_env(converged, SYNCSPEC_PLAN_KEY=PLAN_KEY).run("apply", "p.json")
    assert refused.code == 1, refused
    assert "the plan is not signed, but SYNCSPEC_PLAN_KEY is set" in refused.err
    assert changed_addresses(converged) == ["connection.demo-norway"]


def test_an_empty_plan_key_is_refused_rather_than_ignored(converged: CliProject) -> None:
    edit_description(converged, "empty key")
    done = _with_env(converged, SYNCSPEC_PLAN_KEY="").run("plan", "--out", "p.json")
    assert done.code == 1, done
    assert "SYNCSPEC_PLAN_KEY is set but empty" in done.err
    assert not (converged.root / "p.json").exists()


def test_plan_options_are_refused_with_a_saved_plan(converged: CliProject) -> None:
    edit_description(converged, "x")
    assert converged.run("plan", "--out", "p.json").code == 0
    done = converged.run("apply", "p.json", "--resend-secrets", "connection.demo-norway")
    assert done.code == 64, done
    assert "a saved plan is applied as it is" in done.err


# --- a saved plan that creates connections ----------------------------------------------------


def test_a_saved_plan_creating_connections_is_partial_never_succeeded(tmp_path: Path) -> None:
    project = init_project(tmp_path)
    assert project.run("plan", "--out", "p.json").code == 0
    done = project.run("apply", "p.json", "--output", "json")
    assert done.code == 3, done  # ExitCode.PARTIAL
    (result,) = [e for e in done.json_lines() if e["type"] == "apply_done"]
    assert result["result"] == "partial"
    units = {u["name"]: u for u in result["units"]}  # type: ignore[union-attr]
    for name in ("demo-norway", "demo-sweden"):
        assert units[name]["status"] == "partial"
        assert units[name]["next_command"] == f"syncspec apply -e local --only connection.{name}"
        assert any(
            line.endswith("order left for the next plan (moves are counted once the fields are known)")
            for line in units[name]["pending"]
        )
    assert [e["result"] for e in project.journal() if e["event"] == "apply_end"] == ["partial"]
    # the record holds what was realised (the connection itself), not the fields left to plan
    recorded = json.loads((project.state_dir / "last-applied.json").read_text(encoding="utf-8"))["values"]
    assert "connection.demo-norway" in recorded
    assert not [a for a in recorded if a.startswith("connection.demo-norway.actor.")]
    # the field-level work really is left: a new plan finds it, and applying it converges
    assert changed_addresses(project)
    finished = project.run("apply", "--auto-approve")
    assert finished.code == 0, finished
    assert project.run("plan", "--detailed-exitcode").code == 0


def test_a_saved_plan_of_existing_connections_still_succeeds(converged: CliProject) -> None:
    edit_description(converged, "saved and exact")
    assert converged.run("plan", "--out", "p.json").code == 0
    done = converged.run("apply", "p.json")
    assert done.code == 0, done
    assert "Apply succeeded" in done.out
    assert "partial" not in done.out + done.err
