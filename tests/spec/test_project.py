from __future__ import annotations

from pathlib import Path

import pytest

from syncspec.model.errors import ConfigError, UsageError
from syncspec.spec.project import find_project, load_project, select_environment

PROJECT = """\
kind: Project
config_dir: conf
state: {backend: postgres, dsn: "${env:SYNCSPEC_PG_DSN}"}
environments:
  test:
    target: {type: local, path: .syncspec/test.db}
    vars: {erp_server: https://erp-test.example.com}
  prod:
    target: {type: superoffice, url: https://example.com/Cust1, token: "${env:SO_TOKEN}"}
    vars: {erp_server: https://erp.example.com}
"""


def _project(tmp_path: Path, text: str = PROJECT) -> Path:
    path = tmp_path / "syncspec.yaml"
    path.write_text(text)
    return path


def test_find_project_walks_up(tmp_path: Path) -> None:
    path = _project(tmp_path)
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_project(deep) == path.resolve()
    assert find_project(deep / "file.yaml") == path.resolve()


def test_no_project_file_gives_one_local_default(tmp_path: Path) -> None:
    project = load_project(None, root=tmp_path)
    env = select_environment(project, environ={})
    assert (env.name, dict(env.target)) == ("default", {"type": "local", "path": ".syncspec/tenant.db"})
    assert project.config_dir == tmp_path.resolve() / "connections"


def test_environments_are_read_as_written(tmp_path: Path) -> None:
    project = load_project(_project(tmp_path))
    assert project.diagnostics == ()
    assert project.config_dir == tmp_path.resolve() / "conf"
    assert project.state["backend"] == "postgres"
    assert list(project.environments) == ["test", "prod"]
    prod = select_environment(project, "prod", {})
    assert prod.target_type == "superoffice" and prod.target["token"] == "${env:SO_TOKEN}"
    assert prod.vars == {"erp_server": "https://erp.example.com"}


def test_selection_order_argument_then_env_then_default(tmp_path: Path) -> None:
    project = load_project(_project(tmp_path, PROJECT + "default_environment: test\n"))
    assert select_environment(project, None, {}).name == "test"
    assert select_environment(project, None, {"SYNCSPEC_ENV": "prod"}).name == "prod"
    assert select_environment(project, "test", {"SYNCSPEC_ENV": "prod"}).name == "test"
    with pytest.raises(UsageError, match="unknown environment 'qa'; known: test, prod"):
        select_environment(project, "qa", {})


def test_several_environments_without_default_need_a_choice(tmp_path: Path) -> None:
    project = load_project(_project(tmp_path))
    with pytest.raises(UsageError, match="choose one"):
        select_environment(project, None, {})


def test_problems_are_located_and_block_selection(tmp_path: Path) -> None:
    path = _project(tmp_path, "kind: Project\nenvironments:\n  test: [1]\ndefault_environment: qa\n")
    project = load_project(path)
    assert [(d.code, str(d.location)) for d in project.diagnostics] == [
        ("SS218", "syncspec.yaml:3:3"),
        ("SS218", "syncspec.yaml:4:1"),
    ]
    with pytest.raises(ConfigError):
        select_environment(project, "test", {})


def test_broken_yaml_in_project_file(tmp_path: Path) -> None:
    project = load_project(_project(tmp_path, "kind: Project\nkind: Again\n"))
    assert [d.code for d in project.diagnostics] == ["SS103"]
    assert project.environments == {}


@pytest.mark.parametrize(
    ("config_dir", "message"),
    [
        pytest.param("../elsewhere", "config_dir '../elsewhere' is outside the project", id="parent"),
        pytest.param("/etc", "config_dir '/etc' is outside the project", id="absolute"),
        pytest.param("conf/../../x", "is outside the project", id="dotdot-inside"),
    ],
)
def test_a_config_dir_outside_the_project_is_refused(tmp_path: Path, config_dir: str, message: str) -> None:
    root = tmp_path / "project"
    root.mkdir()
    project = load_project(_project(root, f"kind: Project\nconfig_dir: {config_dir}\n"))
    (problem,) = project.diagnostics
    assert problem.code == "SS218" and message in problem.message
    assert str(problem.location) == "syncspec.yaml:2:1"


def test_a_config_dir_symlinked_out_of_the_project_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    (tmp_path / "outside").mkdir()
    (root / "conf").symlink_to(tmp_path / "outside")
    project = load_project(_project(root, "kind: Project\nconfig_dir: conf\n"))
    assert [d.code for d in project.diagnostics] == ["SS218"]


def test_the_project_root_itself_is_a_valid_config_dir(tmp_path: Path) -> None:
    project = load_project(_project(tmp_path, "kind: Project\nconfig_dir: .\n"))
    assert project.diagnostics == ()


def test_a_project_file_of_another_kind_is_refused(tmp_path: Path) -> None:
    project = load_project(_project(tmp_path, "kind: Connection\nname: x\n"))
    (problem,) = project.diagnostics
    assert problem.code == "SS218"
    assert problem.message == "syncspec.yaml must be the project file (kind: Project), not kind 'Connection'"
    with pytest.raises(ConfigError):
        select_environment(project, None, {})


@pytest.mark.parametrize(("written", "value"), [("", 50), ("max_delete_percent: 10\n", 10)])
def test_max_delete_percent(tmp_path: Path, written: str, value: int) -> None:
    project = load_project(_project(tmp_path, "kind: Project\n" + written))
    assert project.diagnostics == () and project.max_delete_percent == value


@pytest.mark.parametrize("bad", ["101", "-1", "'half'", "true"])
def test_a_bad_max_delete_percent_is_located(tmp_path: Path, bad: str) -> None:
    project = load_project(_project(tmp_path, f"kind: Project\nmax_delete_percent: {bad}\n"))
    assert [(d.code, str(d.location)) for d in project.diagnostics] == [("SS218", "syncspec.yaml:2:1")]
