"""The published pre-commit hooks, run by the real `pre-commit` against a git repository holding a
project from `syncspec init`: valid, then broken in ways only a whole-project check can see.

The hook repository is a snapshot of this checkout committed to a local git repository, so
pre-commit installs the package exactly as a user's would (`language: python`: a virtualenv and
`pip install` of the repository, resolved from the package index, no clone from GitHub).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.cli.project_cli import CliProject, init_project

ROOT = Path(__file__).resolve().parents[2]
# What `pip install` of the repository needs: the build reads README.md and LICENSE, the wheel
# takes schemas/ as syncspec/_schemas.
HOOK_REPO_PARTS = ("pyproject.toml", "README.md", "LICENSE", ".pre-commit-hooks.yaml", "syncspec", "schemas")


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.strip()


def _git_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(
        HOME=str(home),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.invalid",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.invalid",
        NO_COLOR="1",
    )
    return env


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    repo = tmp_path_factory.mktemp("hook-repo")
    for part in HOOK_REPO_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, repo / part, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, repo / part)
    for args in (("init", "-q", "-b", "main"), ("add", "-A")):
        _git(repo, *args)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "snapshot"],
        cwd=repo,
        check=True,
        timeout=60,
    )
    return repo, _git(repo, "rev-parse", "HEAD")


@dataclass(frozen=True)
class Checkout:
    project: CliProject
    env: dict[str, str]

    @property
    def root(self) -> Path:
        return self.project.root

    def git(self, *args: str) -> str:
        done = subprocess.run(
            ["git", *args],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def pre_commit(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", "--color", "never", *args],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=900,  # the first run builds the hook's virtualenv
            check=False,
        )

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{relative} has no {old!r}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        self.git("add", relative)


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")  # shared: the hook env is built once


@pytest.fixture
def checkout(tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path) -> Checkout:
    repo, rev = hook_repo
    project = init_project(tmp_path)
    env = {**_git_env(tmp_path / "home"), **project.env, "PRE_COMMIT_HOME": str(pre_commit_home)}
    (tmp_path / "home").mkdir()
    (project.root / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo}\n    rev: {rev}\n    hooks:\n      - id: syncspec-validate\n"
        "      - id: syncspec-fmt\n",
        encoding="utf-8",
    )
    workflow = project.root / ".github" / "workflows" / "ci.yml"  # other YAML the hooks must leave alone
    workflow.parent.mkdir(parents=True)
    workflow.write_text(
        "name: ci\non: [push]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps: [{run: 'true'}]\n"
    )
    checked = Checkout(project, env)
    checked.git("init", "-q", "-b", "main")
    checked.git("add", "-A")
    checked.git("commit", "-q", "-m", "project")
    return checked


def test_a_valid_project_passes_with_every_file(checkout: Checkout) -> None:
    ran = checkout.pre_commit("--all-files")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "syncspec validate" in ran.stdout and "Passed" in ran.stdout
    assert "SS218" not in ran.stdout and "SS120" not in ran.stdout  # syncspec.yaml, .pre-commit-config.yaml


def test_a_valid_change_passes(checkout: Checkout) -> None:
    checkout.edit(
        "connections/demo-norway/connection.yaml",
        "description: DemoERP client 1001 (Demo Norge AS)",
        "description: DemoERP client 1001 (Demo Norge ASA)",
    )
    ran = checkout.pre_commit()
    assert ran.returncode == 0, ran.stdout + ran.stderr


def test_a_rename_fails_at_the_unchanged_files_it_breaks(checkout: Checkout) -> None:
    """Only connection.yaml changes; the mappings that still name the old connection are unchanged
    files, which a hook validating just the changed files would never report."""
    checkout.edit("connections/demo-norway/connection.yaml", "name: demo-norway", "name: demo-norge")
    ran = checkout.pre_commit()
    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert "connections/demo-norway/customer.mappings.yaml" in ran.stdout
    assert "SS207" in ran.stdout
    assert "connections/sync-priority.yaml" in ran.stdout  # SS210: also unchanged


def test_a_change_that_lands_an_error_in_an_unchanged_file_fails(checkout: Checkout) -> None:
    """SS307 is reported at the connection that sorts later (demo-sweden): here the unchanged one."""
    applied = checkout.project.run("apply", "--auto-approve")  # the connector's metadata exists once applied
    assert applied.code == 0, applied
    pulled = checkout.project.run("metadata", "pull")  # the hook's rules use the snapshot (--offline)
    assert pulled.code == 0, pulled
    checkout.edit(
        "connections/demo-norway/customer.mappings.yaml",
        "CUSTNO: {crm: contact.number2,",
        "CUSTNO: {crm: contact.number1,",
    )
    ran = checkout.pre_commit()
    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert "connections/demo-sweden/customer.mappings.yaml" in ran.stdout and "SS307" in ran.stdout


def test_deleting_a_file_is_checked_too(checkout: Checkout) -> None:
    """A commit that only deletes passes pre-commit no file names, yet can break the rest."""
    checkout.git("rm", "-q", "connections/connectors.yaml")
    ran = checkout.pre_commit()
    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert "SS208" in ran.stdout


def test_an_unformatted_configuration_file_fails_fmt_but_other_yaml_does_not(checkout: Checkout) -> None:
    workflow = checkout.root / ".github" / "workflows" / "ci.yml"
    workflow.write_text(workflow.read_text() + "# a comment\n")  # not canonical for syncspec, not its file
    checkout.git("add", ".github/workflows/ci.yml")
    assert checkout.pre_commit().returncode == 0
    checkout.edit("connections/sync-priority.yaml", "kind:", "kind:   ")
    ran = checkout.pre_commit()
    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert "syncspec fmt" in ran.stdout and "Failed" in ran.stdout


def test_the_hook_manifest_is_valid_for_pre_commit() -> None:
    ran = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
