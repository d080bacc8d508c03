"""FORCE_COLOR colours output that is no terminal (a CI log rendering ANSI); NO_COLOR and
--no-color win over it."""

from __future__ import annotations

import pytest

from tests.cli.project_cli import CliProject, init_project


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> CliProject:
    project = init_project(tmp_path_factory.mktemp("colour"))
    path = project.root / "connections" / "demo-norway" / "connection.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "description: twice\n", encoding="utf-8")
    return project


def _with(project: CliProject, **env: str | None) -> CliProject:
    return CliProject(project.root, {**project.env, **env})


@pytest.mark.parametrize(
    ("env", "args", "coloured"),
    [
        pytest.param({"NO_COLOR": None}, (), False, id="no-terminal"),
        pytest.param({"NO_COLOR": None, "FORCE_COLOR": "1"}, (), True, id="force"),
        pytest.param({"NO_COLOR": "1", "FORCE_COLOR": "1"}, (), False, id="no-color-wins"),
        pytest.param({"NO_COLOR": None, "FORCE_COLOR": "1"}, ("--no-color",), False, id="flag-wins"),
    ],
)
def test_force_color(
    broken: CliProject, env: dict[str, str | None], args: tuple[str, ...], coloured: bool
) -> None:
    done = _with(broken, **env).run("validate", "--no-rules", *args)
    assert done.code == 1, done
    assert ("\x1b[" in done.out) is coloured, done
