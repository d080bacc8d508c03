"""The Action's step through the real syncspec (a separate process) in a `syncspec init` project:
outputs, step summary, and the exit-code handling (64 never success)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from syncspec.ci.step import main
from tests.cli.project_cli import CliProject, init_project


def _env(project: CliProject, tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SYNCSPEC_", "GITHUB_"))}
    env.update(
        project.env, NO_COLOR="1", GITHUB_OUTPUT=str(tmp / "out.txt"), GITHUB_STEP_SUMMARY=str(tmp / "sum.md")
    )
    return env


def _outputs(tmp: Path) -> dict[str, str]:
    lines = (tmp / "out.txt").read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines)


def _in(project: CliProject, argv: list[str], env: dict[str, str]) -> int:
    before = Path.cwd()
    os.chdir(project.root)
    try:
        return main(argv, env)
    finally:
        os.chdir(before)


def test_plan_then_apply_the_reviewed_plan(tmp_path: Path) -> None:
    project = init_project(tmp_path)
    env = _env(project, tmp_path)
    out = tmp_path / "syncspec-out"
    assert _in(project, ["plan", "--out-dir", str(out)], env) == 0  # exit 2 (changes) passes
    outputs = _outputs(tmp_path)
    assert outputs["exit-code"] == "2" and outputs["changes"] == "true"
    assert Path(outputs["plan-file"]).is_file()
    comment = Path(outputs["comment-file"]).read_text(encoding="utf-8")
    summary = (tmp_path / "sum.md").read_text(encoding="utf-8")
    assert summary.startswith("### syncspec plan: changes to apply\n") and comment.strip() in summary

    (tmp_path / "out.txt").unlink()
    assert _in(project, ["apply", "--plan-file", outputs["plan-file"], "--out-dir", str(out)], env) == 0
    # from an empty tenant the reviewed plan creates the connections: applied as reviewed, their
    # discovered fields' ranking left for the next plan (exit 3, partial), which the step passes
    # with a warning
    assert _outputs(tmp_path)["exit-code"] == "3"
    assert "partial (exit 3)" in (tmp_path / "sum.md").read_text(encoding="utf-8")
    # the same plan again: the tenant moved since it was made, so syncspec refuses it as stale
    assert _in(project, ["apply", "--plan-file", outputs["plan-file"], "--out-dir", str(out)], env) == 1
    assert _outputs(tmp_path)["exit-code"] == "1"


def test_a_mistyped_environment_is_a_failure_never_an_empty_comment(tmp_path: Path) -> None:
    project = init_project(tmp_path)
    env = _env(project, tmp_path)
    code = _in(project, ["plan", "--environment", "prdo", "--out-dir", str(tmp_path / "o")], env)
    assert code == 1
    assert _outputs(tmp_path)["exit-code"] == "64"
    assert "usage error (exit 64)" in (tmp_path / "sum.md").read_text(encoding="utf-8")


def test_validate_writes_sarif_and_fails_on_errors(tmp_path: Path) -> None:
    project = init_project(tmp_path)
    env = _env(project, tmp_path)
    assert _in(project, ["validate", "--out-dir", str(tmp_path / "o"), "--", "--no-rules"], env) == 0
    connection = project.root / "connections" / "demo-norway" / "connection.yaml"
    connection.write_text(connection.read_text().replace("name: demo-norway", "name: demo-norge"))
    (tmp_path / "out.txt").unlink()
    assert _in(project, ["validate", "--out-dir", str(tmp_path / "o"), "--", "--no-rules"], env) == 1
    outputs = _outputs(tmp_path)
    assert outputs["exit-code"] == "1"
    sarif = json.loads(Path(outputs["sarif-file"]).read_text(encoding="utf-8"))
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} >= {"SS207"}


def test_apply_without_the_reviewed_plan_is_refused(tmp_path: Path) -> None:
    project = init_project(tmp_path)
    assert _in(project, ["apply"], _env(project, tmp_path)) == 1
