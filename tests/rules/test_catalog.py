from __future__ import annotations

import re

from syncspec.model.codes import CODE_TITLES
from syncspec.rules.catalog import RULES
from tests.rules.helpers import REPO


def test_catalogue_and_code_titles_agree() -> None:
    assert list(RULES) == [f"SS{n}" for n in range(301, 326)]
    for code, info in RULES.items():
        assert CODE_TITLES[code] == info.title, code
        assert info.hint and info.code == code


def test_docs_explain_every_rule() -> None:
    text = (REPO / "docs" / "rules.md").read_text("utf-8")
    documented = re.findall(r"^## (SS3\d\d)\b", text, flags=re.MULTILINE)
    assert documented == list(RULES)
