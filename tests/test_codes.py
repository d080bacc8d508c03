"""Every code the source reports is registered with a title and explained in the docs."""

from __future__ import annotations

import re
from pathlib import Path

from syncspec.model.codes import CODE_TITLES

ROOT = Path(__file__).resolve().parent.parent
CODE = re.compile(r'"(SS\d{3})"')


def _codes_in_source() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "syncspec").rglob("*.py"):
        if path.name == "codes.py":
            continue
        found.update(CODE.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_reported_code_has_a_title() -> None:
    missing = _codes_in_source() - set(CODE_TITLES)
    assert not missing, f"codes used but not registered in model/codes.py: {sorted(missing)}"


def test_every_registered_code_is_used() -> None:
    unused = set(CODE_TITLES) - _codes_in_source()
    assert not unused, f"codes registered but never reported: {sorted(unused)}"


def test_every_code_is_documented() -> None:
    docs = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    docs += (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    undocumented = {code for code in CODE_TITLES if code not in docs}
    assert not undocumented, f"codes missing from docs/diagnostics.md and rules.md: {sorted(undocumented)}"
