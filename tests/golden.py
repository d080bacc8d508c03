"""Golden files: compare output with a stored expectation, or rewrite it under --update-goldens."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest


def assert_golden(path: Path, actual: str, update: bool) -> None:
    """Fail with a unified diff when `actual` differs from `path`; with `update`, write it instead."""
    if update:
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    if not path.exists():
        pytest.fail(f"{path} does not exist; run pytest --update-goldens to create it")
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=f"{path} (expected)",
            tofile="actual",
        )
        pytest.fail("output differs from the golden file:\n" + "".join(diff), pytrace=False)
