"""Replacing a file whole: permission bits as documented, nothing left behind on failure."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from syncspec.model.files import write_atomic


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_is_owner_only_unless_a_mode_is_given(tmp_path: Path) -> None:
    write_atomic(tmp_path / "private.txt", "a")
    write_atomic(tmp_path / "shared.txt", "b", mode=0o644)
    assert _mode(tmp_path / "private.txt") == 0o600
    assert _mode(tmp_path / "shared.txt") == 0o644
    assert (tmp_path / "shared.txt").read_text(encoding="utf-8") == "b"


def test_a_replaced_file_keeps_its_mode_and_gets_the_new_text(tmp_path: Path) -> None:
    path = tmp_path / "kept.yaml"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o640)
    write_atomic(path, "new ✓")
    assert _mode(path) == 0o640
    assert path.read_text(encoding="utf-8") == "new ✓"
    assert [p.name for p in tmp_path.iterdir()] == ["kept.yaml"]  # no temporary file left


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    path = tmp_path / "kept.yaml"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_atomic(path, "\udc80")  # a lone surrogate cannot be encoded
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["kept.yaml"]
