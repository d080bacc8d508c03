"""The project and one of its environments, opened the one way every command opens them.

`cwd` is where the command runs: syncspec.yaml is the nearest one at or above it, and a
folder without one is a project of defaults rooted at `cwd`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from syncspec.model.diagnostics import has_errors
from syncspec.model.errors import ConfigError
from syncspec.spec.project import Environment, ProjectConfig, find_project, load_project, select_environment


def open_project(cwd: Path) -> ProjectConfig:
    """The project `cwd` belongs to (its problems are in `diagnostics`, not raised)."""
    return load_project(find_project(cwd), root=cwd)


def open_environment(
    cwd: Path, name: str | None, env: Mapping[str, str]
) -> tuple[ProjectConfig, Environment]:
    """The project and the environment `name` (else $SYNCSPEC_ENV, else the project's default)."""
    project = open_project(cwd)
    return project, select_environment(project, name, env)


def checked_project(cwd: Path) -> ProjectConfig:
    """The project, refused when syncspec.yaml has problems (a fleet picks environments from it)."""
    project = open_project(cwd)
    if has_errors(project.diagnostics):
        raise ConfigError(
            "syncspec.yaml has problems, so no environments can be chosen safely", project.diagnostics
        )
    return project
