"""The path base: --path-base, else the git repository's root, else the current directory; paths
relative to it, never absolute."""

from __future__ import annotations

from pathlib import Path

from syncspec.model.paths import PATH_BASE_VARIABLE, display_path, path_base, repository_root


def test_the_repository_root_is_the_nearest_folder_with_git(tmp_path: Path) -> None:
    project = tmp_path / "infra" / "crm"
    project.mkdir(parents=True)
    assert repository_root(project) is None or repository_root(project) != tmp_path
    (tmp_path / ".git").mkdir()
    assert repository_root(project) == tmp_path
    (project / ".git").write_text("gitdir: elsewhere\n", encoding="utf-8")  # a worktree or submodule
    assert repository_root(project) == project


def test_the_base_is_explicit_then_the_repository_then_the_cwd(tmp_path: Path) -> None:
    project = tmp_path / "infra" / "crm"
    project.mkdir(parents=True)
    inside = project / "connections"
    inside.mkdir()
    assert path_base(project, inside, {}) == inside  # no repository: the cwd, as before
    (tmp_path / ".git").mkdir()
    assert path_base(project, inside, {}) == tmp_path
    assert path_base(project, inside, {PATH_BASE_VARIABLE: ".."}) == project


def test_paths_are_relative_to_the_base_inside_and_outside_it(tmp_path: Path) -> None:
    base = tmp_path / "repo"
    assert display_path(base / "infra" / "crm" / "x.yaml", base) == "infra/crm/x.yaml"
    assert display_path(tmp_path / "other" / "x.yaml", base) == "../other/x.yaml"
    assert display_path(base, base) == "."
