from __future__ import annotations

from pathlib import Path

from syncspec.model.diagnostics import Diagnostic
from syncspec.spec.formatting.files import default_paths, read_text, write_atomic, yaml_files


def test_default_paths_without_project_file(tmp_path: Path) -> None:
    (tmp_path / "connections" / "x").mkdir(parents=True)
    for name in ("connections/b.yaml", "connections/x/a.yml", "connections/readme.md", "other.yaml"):
        (tmp_path / name).write_text("kind: A\n", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in default_paths(tmp_path)]
    assert found == ["connections/b.yaml", "connections/x/a.yml"]


def test_unreadable_project_file_falls_back_to_connections(tmp_path: Path) -> None:
    (tmp_path / "syncspec.yaml").write_text("config_dir: [unclosed\n", encoding="utf-8")
    (tmp_path / "connections").mkdir()
    (tmp_path / "connections" / "a.yaml").write_text("kind: A\n", encoding="utf-8")
    found = [p.name for p in default_paths(tmp_path)]
    assert found == ["syncspec.yaml", "a.yaml"]


def test_yaml_files_keeps_explicit_files_and_drops_repeats(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("", encoding="utf-8")
    assert yaml_files([tmp_path / "a.yaml", tmp_path, tmp_path / "a.yaml"]) == [tmp_path / "a.yaml"]


def test_read_text_locates_the_first_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"a: 1\nbb: \xff\n")
    diagnostic = read_text(path, "bad.yaml")
    assert isinstance(diagnostic, Diagnostic)
    assert (diagnostic.code, str(diagnostic.location)) == ("SS102", "bad.yaml:2:5")


def test_write_atomic_replaces_content_and_leaves_no_temp_file(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("old\n", encoding="utf-8")
    write_atomic(path, "new\n")
    assert path.read_bytes() == b"new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


def test_default_paths_find_the_project_from_a_subdirectory_like_validate(tmp_path: Path) -> None:
    (tmp_path / "syncspec.yaml").write_text("kind: Project\nconfig_dir: conf\n", encoding="utf-8")
    (tmp_path / "conf" / ".hidden").mkdir(parents=True)
    (tmp_path / "conf" / "a.yaml").write_text("kind: A\n", encoding="utf-8")
    (tmp_path / "conf" / ".hidden" / "b.yaml").write_text("kind: B\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    found = [p.relative_to(tmp_path).as_posix() for p in default_paths(tmp_path / "docs")]
    assert found == ["syncspec.yaml", "conf/a.yaml"]
