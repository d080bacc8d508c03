"""The Action and the CI examples against the real linters, offline: actionlint (with shellcheck for
the `run:` scripts) and the JSON Schemas that check-jsonschema ships (GitHub workflows and actions,
GitLab CI, Azure Pipelines)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CI_DOCS = ROOT / "docs" / "ci"
GITHUB_WORKFLOWS = sorted(CI_DOCS.glob("syncspec*.yml"))
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    assert found, f"{name} is a dev dependency (pyproject.toml) and must be installed"
    return found


def _run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


def _lint_repo(tmp: Path, workflows: dict[str, str]) -> Path:
    """A git repository with the action at its root and `workflows` under .github/workflows."""
    shutil.copy2(ROOT / "action.yml", tmp / "action.yml")
    folder = tmp / ".github" / "workflows"
    folder.mkdir(parents=True)
    for name, text in workflows.items():
        (folder / name).write_text(text, encoding="utf-8")
    assert _run(["git", "init", "-q", "."], tmp).returncode == 0
    return tmp


def _actionlint(repo: Path) -> subprocess.CompletedProcess[str]:
    return _run([_tool("actionlint"), "-shellcheck", _tool("shellcheck"), "-pyflakes", "", "-no-color"], repo)


USES_THE_ACTION = """\
name: uses the action
on: [pull_request]
permissions: {contents: read, pull-requests: write, security-events: write}
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - id: plan
        uses: ./
        with:
          command: plan
          environment: prod
          args: --only connection.demo-norway
          working-directory: infra/crm
          comment: "true"
          comment-marker: "<!-- syncspec-plan-prod -->"
          upload-sarif: "false"
          python-version: "3.12"
          install: superoffice-syncspec==0.1.0
          github-token: ${{ github.token }}
      - run: echo "$CODE $CHANGES $PLAN"
        env:
          CODE: ${{ steps.plan.outputs.exit-code }}
          CHANGES: ${{ steps.plan.outputs.changes }}
          PLAN: ${{ steps.plan.outputs.plan-file }}
"""


def test_the_examples_and_the_action_pass_actionlint(tmp_path: Path) -> None:
    workflows = {p.name: p.read_text(encoding="utf-8") for p in GITHUB_WORKFLOWS}
    workflows["uses-action.yml"] = USES_THE_ACTION
    ran = _actionlint(_lint_repo(tmp_path, workflows))
    assert ran.returncode == 0, ran.stdout + ran.stderr


def test_actionlint_is_really_checking(tmp_path: Path) -> None:
    """An unknown action input, an unknown step output and an unquoted variable are all caught."""
    broken = USES_THE_ACTION.replace("environment: prod", "enviroment: prod").replace(
        "steps.plan.outputs.changes }}", "steps.plan.outputs.chagnes }}"
    )
    broken += "      - run: cd $RUNNER_TEMP/x && ls\n"
    ran = _actionlint(_lint_repo(tmp_path, {"broken.yml": broken}))
    assert ran.returncode == 1
    assert "enviroment" in ran.stdout and "chagnes" in ran.stdout and "SC2086" in ran.stdout


@pytest.mark.parametrize(
    ("schema", "files"),
    [
        ("vendor.github-workflows", GITHUB_WORKFLOWS),
        ("vendor.github-actions", [ROOT / "action.yml"]),
        ("vendor.gitlab-ci", [CI_DOCS / "gitlab-ci.yml"]),
        # the Azure schema's patterns use escapes the default (ECMA) regex engine refuses
        ("vendor.azure-pipelines", [CI_DOCS / "azure-pipelines.yml"]),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_every_ci_file_is_valid_against_its_schema(schema: str, files: list[Path]) -> None:
    assert files
    argv = [_tool("check-jsonschema"), "--regex-variant", "python", "--builtin-schema", schema]
    ran = _run([*argv, *map(str, files)], ROOT)
    assert ran.returncode == 0, ran.stdout + ran.stderr


def test_the_schema_check_is_really_checking(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    stepz: []\n")
    argv = [_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(bad)]
    assert _run(argv, tmp_path).returncode == 1


def _steps(document: dict[str, object]) -> list[dict[str, object]]:
    jobs = document["jobs"]
    assert isinstance(jobs, dict)
    return [step for job in jobs.values() for step in job.get("steps", [])]


def test_the_example_applies_the_reviewed_plan_artifact_and_never_replans() -> None:
    workflow = yaml.safe_load((CI_DOCS / "syncspec.yml").read_text(encoding="utf-8"))
    apply_steps = workflow["jobs"]["apply"]["steps"]
    runs = " ".join(str(step.get("run", "")) for step in apply_steps)
    assert "syncspec plan" not in runs
    download = next(s for s in apply_steps if str(s.get("uses", "")).startswith("actions/download-artifact"))
    assert download["with"]["run-id"] == "${{ steps.reviewed.outputs.run-id }}"
    applied = next(s for s in apply_steps if s.get("with", {}).get("command") == "apply")
    assert applied["with"]["plan-file"] == "reviewed/plan.json"
    assert workflow["env"]["SYNCSPEC_PLAN_KEY"] == "${{ secrets.SYNCSPEC_PLAN_KEY }}"
    assert workflow["env"]["SYNCSPEC_PG_DSN"] == "${{ secrets.SYNCSPEC_PG_DSN }}"


def test_no_example_treats_a_usage_error_as_success() -> None:
    """The old example's `[ "$code" -eq 1 ] && exit 1 || exit 0` let 64 through."""
    for path in [*GITHUB_WORKFLOWS, CI_DOCS / "gitlab-ci.yml", CI_DOCS / "azure-pipelines.yml"]:
        text = path.read_text(encoding="utf-8")
        assert "-eq 1 ] && exit 1 || exit 0" not in text, path.name
        assert "pip install syncspec" not in text and "pip install -q syncspec" not in text, path.name


def test_the_fleet_example_spreads_shards_over_a_matrix_and_merges_them() -> None:
    workflow = yaml.safe_load((CI_DOCS / "syncspec-fleet.yml").read_text(encoding="utf-8"))
    shards = workflow["jobs"]["shard"]["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, len(shards) + 1))
    runs = " ".join(str(s.get("run", "")) for s in _steps(workflow))
    assert (
        '--shard "$SHARD"' in runs
        and f"/{len(shards)}" in workflow["jobs"]["shard"]["steps"][2]["env"]["SHARD"]
    )
    assert "syncspec fleet merge shards/*.json --output markdown" in runs
