from __future__ import annotations

from pathlib import Path

import pytest

from syncspec.model.errors import ConfigError, UsageError
from syncspec.model.paths import display_path
from syncspec.spec.loading.discover import discover_files, display_paths
from syncspec.spec.project import default_project, load_project


def _tree(root: Path) -> None:
    for rel in [
        "connections/a.yaml",
        "connections/sub/b.yml",
        "connections/sub/notes.txt",
        "connections/.hidden/c.yaml",
        "connections/.syncspec/d.yaml",
        "connections/.e.yaml",
        "other/f.yaml",
    ]:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("kind: X\n")


def test_default_is_every_yaml_below_the_config_dir(tmp_path: Path) -> None:
    _tree(tmp_path)
    found = discover_files([], default_project(tmp_path))
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "connections/a.yaml",
        "connections/sub/b.yml",
    ]


def test_paths_are_files_or_directories_sorted_and_deduplicated(tmp_path: Path) -> None:
    _tree(tmp_path)
    project = default_project(tmp_path)
    given = [
        tmp_path / "other",
        tmp_path / "connections/a.yaml",
        tmp_path / "connections",
        tmp_path / "connections/.e.yaml",
    ]
    found = [p.relative_to(tmp_path).as_posix() for p in discover_files(given, project)]
    assert found == ["connections/.e.yaml", "connections/a.yaml", "connections/sub/b.yml", "other/f.yaml"]


def test_project_file_is_not_a_desired_state_file(tmp_path: Path) -> None:
    (tmp_path / "syncspec.yaml").write_text("kind: Project\nconfig_dir: .\n")
    (tmp_path / "a.yaml").write_text("kind: X\n")
    project = load_project(tmp_path / "syncspec.yaml")
    assert discover_files([], project) == [(tmp_path / "a.yaml").resolve()]


def test_missing_paths_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        discover_files([tmp_path / "nope.yaml"], default_project(tmp_path))
    with pytest.raises(UsageError, match="does not exist"):
        discover_files([], default_project(tmp_path))


def test_an_empty_config_dir_is_an_error_not_zero_files(tmp_path: Path) -> None:
    """An empty configuration would plan deleting everything the tenant has."""
    (tmp_path / "connections").mkdir()
    (tmp_path / "connections" / "README.txt").write_text("no yaml here\n")
    with pytest.raises(ConfigError, match="no configuration files: no YAML file in"):
        discover_files([], default_project(tmp_path))


def test_named_directories_without_yaml_are_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(ConfigError, match="no configuration files"):
        discover_files([tmp_path / "empty"], default_project(tmp_path))


def test_entries_that_are_not_regular_files_are_listed_for_the_loader_to_report(tmp_path: Path) -> None:
    import os

    config = tmp_path / "connections"
    config.mkdir()
    os.mkfifo(config / "pipe.yaml")
    (config / "loop.yaml").symlink_to("loop.yaml")
    project = default_project(tmp_path)
    names = [p.name for p in discover_files([], project)]
    assert names == ["loop.yaml", "pipe.yaml"]
    named = discover_files([config / "loop.yaml", config / "pipe.yaml"], project)  # no RuntimeError
    assert [p.name for p in named] == ["loop.yaml", "pipe.yaml"]


def test_display_paths_are_relative_to_the_base_even_outside_it(tmp_path: Path) -> None:
    assert display_path(tmp_path / "a" / "b.yaml", tmp_path) == "a/b.yaml"
    # outside the base: `../`, never absolute (one report never mixes both, #14)
    elsewhere = display_path(Path("/elsewhere/b.yaml"), tmp_path)
    assert elsewhere.startswith("../") and elsewhere.endswith("elsewhere/b.yaml")


def test_a_path_below_cwd_is_named_as_given_and_a_linked_one_as_resolved(tmp_path: Path) -> None:
    real = tmp_path / "real"
    (real / "sub").mkdir(parents=True)
    (tmp_path / "link").symlink_to(real)
    assert display_path(tmp_path / "link" / "sub" / "x.yaml", tmp_path) == "link/sub/x.yaml"
    # cwd reached through a link: the resolved path still lies below it
    assert display_path(real / "sub" / "x.yaml", tmp_path / "link") == "sub/x.yaml"


def test_display_paths_names_resolved_paths_relative_to_the_resolved_cwd(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    inside, outside = real / "a.yaml", Path("/elsewhere/b.yaml")
    names = display_paths([inside, outside], tmp_path / "link")
    assert names[inside] == "a.yaml"
    assert names[outside].startswith("../") and names[outside].endswith("elsewhere/b.yaml")
