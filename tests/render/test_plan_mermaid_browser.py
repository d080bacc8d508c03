"""The plan comment's Mermaid diagrams drawn by Mermaid itself (pinned, in headless Chromium).

GitHub and GitLab draw ```mermaid blocks with Mermaid; a block it cannot parse shows as an error
box in the comment. Every diagram of the plan goldens and one with every kind of arrow must parse
and render to an SVG whose text holds each field and each arrow's words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from syncspec.plan.model import Action, Change, Reason, ReasonKind
from syncspec.render.plan_mermaid import mermaid_block
from tests.render.report.browser import artifact_dir, launched, mermaid_source

if TYPE_CHECKING:
    from playwright.sync_api import Page

CASES = Path(__file__).resolve().parents[1] / "cases" / "plan"
FIELD = "connection.main.actor.Customer.field"
_RENDER = """async ([code, id]) => {
  try {
    await mermaid.parse(code);
    const out = await mermaid.render(id, code);
    const holder = document.createElement('div');
    holder.innerHTML = out.svg;
    document.body.appendChild(holder);
    return {ok: true, text: holder.textContent};
  } catch (e) { return {ok: false, text: String(e && e.message || e)}; }
}"""


def every_kind_of_arrow() -> str:
    changes = (
        Change(f"{FIELD}.A", Action.UPDATE, "field", "main", {"direction": "both"}, {"direction": "to-crm"}),
        Change(
            f"{FIELD}.B", Action.UPDATE, "field", "main", {"direction": "to-crm"}, {"direction": "to-erp"}
        ),
        Change(
            f"{FIELD}.C",
            Action.UPDATE,
            "field",
            "main",
            {"direction": "to-crm"},
            {"direction": "both"},
            reason=Reason(ReasonKind.CONFLICT),
        ),
        Change(
            f"{FIELD}.D",
            Action.UPDATE,
            "field",
            "main",
            {"crm": "contact.url", "direction": "both"},
            {"crm": "", "direction": "none"},
        ),
        Change(f"{FIELD}.E", Action.UPDATE, "field", "main", {"crm": 'odd "name"'}, {"crm": "contact.name"}),
        Change(
            "connection.other.actor.Person.list.COUNTRY",
            Action.UPDATE,
            "list",
            "other",
            {"item.SE": 1, "item.NO": 2},
            {"item.SE": 3, "item.NO": None},
            labels={"1": "Sverige", "3": "Sweden"},
        ),
    )
    return mermaid_block(changes)


def golden_blocks() -> list[tuple[str, str]]:
    found = []
    for path in sorted(CASES.glob("*/plan.md")):
        for match in re.finditer(r"```mermaid\n(.*?)```", path.read_text(encoding="utf-8"), re.S):
            found.append((path.parent.name, match.group(1)))
    return found


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    source = mermaid_source()
    with launched() as browser:
        opened = browser.new_page(viewport={"width": 1200, "height": 900})
        opened.set_content("<!doctype html><html><body></body></html>")
        opened.add_script_tag(content=source)
        opened.evaluate("() => mermaid.initialize({startOnLoad: false, securityLevel: 'strict'})")
        yield opened


def test_the_goldens_have_diagrams() -> None:
    assert len(golden_blocks()) >= 4


@pytest.mark.parametrize("name", [n for n, _ in golden_blocks()])
def test_every_golden_diagram_renders(page: Page, name: str) -> None:
    (code,) = [c for n, c in golden_blocks() if n == name]
    result = page.evaluate(_RENDER, [code, f"g-{name}"])
    assert result["ok"], result["text"]
    for label in re.findall(r'\["([^"]*)"\]', code):
        assert label.replace("#quot;", '"') in result["text"], label


def test_every_kind_of_arrow_renders(page: Page) -> None:
    code = every_kind_of_arrow()
    result = page.evaluate(_RENDER, [code.removeprefix("```mermaid\n").removesuffix("```"), "kinds"])
    assert result["ok"], result["text"]
    for words in (
        "to-crm, was both",
        "to-erp, was to-crm",
        "[conflict]",
        "removed, was both",
        "Sweden",
        "NO",
    ):
        assert words in result["text"], words
    assert 'odd "name"' not in code or "#quot;" in code
    page.screenshot(path=str(artifact_dir() / "mermaid-kinds.png"), full_page=True)
