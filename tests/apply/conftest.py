from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.apply.helpers import Project, converge, new_project


@pytest.fixture(scope="module")
def converged_template(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = new_project(tmp_path_factory.mktemp("template"))
    converge(project)
    return project


@pytest.fixture
def project(converged_template: Project, tmp_path: Path) -> Project:
    """A converged copy of the example project; tests change its files and tenant freely."""
    root = tmp_path / "project"
    shutil.copytree(converged_template.root, root)
    shutil.rmtree(root / ".syncspec" / "state", ignore_errors=True)
    env = {**converged_template.env, "XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    return Project(root, env)
