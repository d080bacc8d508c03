from __future__ import annotations

import re
from html.parser import HTMLParser

from syncspec.model.desired import DesiredState
from syncspec.plan.model import Action, Change
from syncspec.render.report import ReportInput, render_report_html
from tests.render.report.example import example_desired
from tests.render.report.test_view import CUSTOMER, plan_of


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Collect()
    parser.feed(html)
    return parser.tags


def test_the_page_is_self_contained() -> None:
    html = render_report_html(ReportInput(desired=example_desired()))
    tags = tags_of(html)
    assert not [t for t, a in tags if t in ("link", "img", "iframe", "object", "embed")]
    assert all("src" not in attrs for _, attrs in tags)
    hrefs = [a["href"] for t, a in tags if t == "a"]
    assert hrefs and all(h is not None and h.startswith("#") for h in hrefs)
    assert "@import" not in html and "url(" not in html
    ids = [a["id"] for _, a in tags if "id" in a]
    assert len(ids) == len(set(ids)), "ids are unique, so every in-page link has one target"
    for href in hrefs:
        assert href is not None and href[1:] in ids


def test_values_are_escaped() -> None:
    desired = example_desired()
    norway = desired.connections["demo-norway"]
    doc = norway.connection.model_copy(update={"description": "<script>alert(1)</script>"})
    from dataclasses import replace

    hostile = DesiredState(
        connectors=desired.connectors,
        connections={**desired.connections, "demo-norway": replace(norway, connection=doc)},
    )
    html = render_report_html(ReportInput(desired=hostile))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_marks_carry_words_not_only_colour() -> None:
    plan = plan_of(
        Change(
            f"{CUSTOMER}.field.PHONE",
            Action.UPDATE,
            "field",
            "demo-norway",
            {"direction": "both"},
            {"direction": "to-crm"},
        ),
    )
    html = render_report_html(ReportInput(desired=example_desired(), plan=plan))
    assert "[changed]" in html
    assert "to CRM" in html and "both ways" in html and "not synced" in html
    assert re.search(r"<dt>Plan id</dt><dd><code>sha256:abc</code>", html)
