"""Paths in a monorepo (#14): `syncspec validate infra/crm` from the repository's root and
`syncspec validate` inside `infra/crm` pick that project and name the same files the same way
(relative to the repository's root) in every format; `-C DIR` and `--path-base DIR`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.cli.project_cli import CliProject, Ran, environment

BROKEN = "infra/crm/connections/demo-norway/connection.yaml"


@pytest.fixture
def monorepo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)  # what marks a repository's root (git itself not needed)
    (repo / "infra").mkdir()
    made = CliProject(repo / "infra", environment(tmp_path)).run("init", "crm")
    assert made.code == 0, made
    path = repo / BROKEN
    path.write_text(path.read_text(encoding="utf-8") + "description: twice\n", encoding="utf-8")
    # the repository's root has a project of its own whose settings must not be used
    (repo / "syncspec.yaml").write_text("kind: Project\nconfig_dir: nothing-here\n", encoding="utf-8")
    return repo


def _run(where: Path, *args: str) -> Ran:
    return CliProject(where, environment(where)).run(*args)


def _files(done: Ran, fmt: str) -> list[str]:
    if fmt == "json":
        return [d["file"] for d in json.loads(done.out)["diagnostics"]]
    if fmt == "sarif":
        results = json.loads(done.out)["runs"][0]["results"]
        return [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
    if fmt == "github":
        return [
            line.split("file=", 1)[1].split(",", 1)[0] for line in done.out.splitlines() if "file=" in line
        ]
    return [line.split(":", 1)[0] for line in done.out.splitlines() if " error SS" in line]


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_the_same_paths_from_the_root_inside_and_with_chdir(monorepo: Path, fmt: str) -> None:
    runs = {
        "root": _run(monorepo, "validate", "infra/crm", "--no-rules", "--format", fmt),
        "inside": _run(monorepo / "infra" / "crm", "validate", "--no-rules", "--format", fmt),
        "chdir": _run(monorepo, "-C", "infra/crm", "validate", "--no-rules", "--format", fmt),
    }
    for where, done in runs.items():
        assert done.code == 1, (where, done)
        assert _files(done, fmt) == [BROKEN], (where, done)


def test_a_file_named_from_the_root_uses_its_projects_settings(monorepo: Path) -> None:
    done = _run(monorepo, "validate", BROKEN, "--no-rules", "--format", "json")
    assert done.code == 1, done
    report = json.loads(done.out)
    assert [d["code"] for d in report["diagnostics"]] == ["SS103"]  # not the root project's SS2xx


def test_plan_reasons_name_files_from_the_repository_root(monorepo: Path) -> None:
    path = monorepo / BROKEN
    path.write_text(path.read_text(encoding="utf-8").replace("description: twice\n", ""), encoding="utf-8")
    done = _run(monorepo, "-C", "infra/crm", "plan")
    assert done.code == 0, done
    assert f"reason: config at {BROKEN}:" in done.out


def test_path_base_overrides_the_repository_root(monorepo: Path) -> None:
    done = _run(monorepo, "--path-base", "infra", "validate", "infra/crm", "--no-rules", "--format", "json")
    assert [d["file"] for d in json.loads(done.out)["diagnostics"]] == [
        "crm/connections/demo-norway/connection.yaml"
    ]


def test_chdir_and_path_base_leave_the_process_as_it_was(monorepo: Path) -> None:
    before = os.getcwd(), os.environ.get("SYNCSPEC_PATH_BASE")
    _run(monorepo, "-C", "infra/crm", "--path-base", "..", "validate", "--no-rules")
    assert (os.getcwd(), os.environ.get("SYNCSPEC_PATH_BASE")) == before


@pytest.mark.parametrize("option", ["-C", "--path-base"])
def test_a_missing_directory_is_a_usage_error(monorepo: Path, option: str) -> None:
    done = _run(monorepo, option, "nowhere", "validate")
    assert done.code == 64, done
    assert "nowhere" in done.err and "Traceback" not in done.err
