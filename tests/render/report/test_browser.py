"""The report in a real browser: Debian's Chromium, headless, on the example project and a plan.

Screenshots are kept under build/artifacts/report (SYNCSPEC_ARTIFACTS moves them);
`pytest --update-goldens` also refreshes the README's screenshot docs/img/report.png.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from syncspec.model.desired import DesiredState
from syncspec.spec.validate import validate
from tests.cli.project_cli import CliProject, converged_project
from tests.render.report.browser import ROOT, artifact_dir, axe_source, launched, open_page

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


@dataclass(frozen=True)
class Reports:
    project: CliProject
    config: Path  # the example project's report
    plan: Path  # the report of a plan with changes
    plan_file: Path
    invalid: Path  # a configuration with errors
    config_desired: DesiredState  # what each report was made from
    plan_desired: DesiredState


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Reports:
    tmp = tmp_path_factory.mktemp("report")
    project = converged_project(tmp)
    out = tmp / "out"
    out.mkdir()
    done = project.run("report", "--out", str(out / "config.html"))
    assert done.code == 0, done
    config_desired = desired_of(project.root)
    config_dir = project.root / "connections" / "demo-norway"
    edit(config_dir / "customer.mappings.yaml", "  URL: {crm: contact.url, direction: both}\n", "")
    edit(
        config_dir / "customer.mappings.yaml",
        "CREDITLIMIT: {crm: contact.udef.credit_limit, direction: to-crm}",
        "CREDITLIMIT: {crm: contact.udef.credit_limit, direction: both}",
    )
    edit(config_dir / "customer.lists.yaml", "  B: Customer", "  B: null")
    edit(config_dir / "customer.lists.yaml", "  X: null", "  X: Customer")
    edit(
        config_dir / "customer.defaults.yaml", "DISCOUNT: {value: 0}", "DISCOUNT: {value: 5, mandatory: true}"
    )
    edit(config_dir / "customer.ranking.yaml", "[BALANCE, LASTINVOICE,", "[LASTINVOICE, BALANCE,")
    plan_file = out / "plan.json"
    planned = project.run("plan", "--out", str(plan_file))
    assert planned.code == 0, planned
    done = project.run(
        "report", "--plan", str(plan_file), "--commit", "0123abc", "--out", str(out / "plan.html")
    )
    assert done.code == 0, done
    plan_desired = desired_of(project.root)
    # Two ERP items on one CRM item: the rules refuse it, and the report shows the error on the list.
    edit(config_dir / "customer.lists.yaml", "  X: Customer", "  X: Prospect")
    edit(config_dir / "customer.lists.yaml", "  B: null", "  B: Prospect")
    invalid = project.run("report", "--out", str(out / "invalid.html"))
    assert invalid.code == 1, invalid
    return Reports(
        project,
        out / "config.html",
        out / "plan.html",
        plan_file,
        out / "invalid.html",
        config_desired,
        plan_desired,
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launched() as running:
        yield running


def desired_of(root: Path) -> DesiredState:
    run = validate([], cwd=root, environment=None, env={"DEMO_ERP_PASSWORD": "x"})
    assert run.desired is not None
    return run.desired


def screenshot(page: Page, name: str) -> Path:
    path = artifact_dir() / name
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    return path


# Everything the DOM shows of one actor: rows of the mapping diagram, list tables, defaults.
_ACTOR_JS = """(section) => ({
  fields: Object.fromEntries([...section.querySelectorAll('tr.field')].map(r => [r.dataset.erp, {
      crm: r.cells[2].textContent, arrow: r.cells[1].textContent}])),
  lists: Object.fromEntries([...section.querySelectorAll('table.list-map')].map(t => [t.dataset.list,
      Object.fromEntries([...t.querySelectorAll('tr.item')].map(r => [r.dataset.item,
          r.querySelector('td').textContent]))])),
  defaults: [...section.querySelectorAll('tr.default')].map(r => r.dataset.erp),
  tab: [...section.querySelectorAll('ol.tab li')].map(l => [l.querySelector('code').textContent,
      l.classList.contains('shown')]),
})"""

ARROW_WORDS = {"to-crm": "to CRM", "to-erp": "to ERP", "both": "both ways", None: "not synced"}


def actor_dom(page: Page, connection: str, actor: str) -> dict[str, Any]:
    section = page.locator(f'section.actor[data-connection="{connection}"][data-actor="{actor}"]')
    assert section.count() == 1, (connection, actor)
    found: dict[str, Any] = section.evaluate(_ACTOR_JS)
    return found


def assert_shows_configuration(page: Page, desired: DesiredState) -> None:
    for name, connection in desired.connections.items():
        for actor_type, actor in connection.actors.items():
            dom = actor_dom(page, name, actor_type.value)
            assert actor.mappings is not None
            for key, spec in actor.mappings.fields.items():
                shown = dom["fields"][key]
                assert (spec.crm or "(not mapped)") in shown["crm"], (name, key)
                assert shown["arrow"].endswith(
                    " " + ARROW_WORDS[spec.direction.value if spec.direction else None]
                )
            for key, doc in actor.lists.items():
                rows = dom["lists"][key]
                for erp_item, ref in doc.items.items():
                    assert (ref.name or "(No selection)") in rows[erp_item], (name, key, erp_item)
            if actor.defaults is not None:
                assert dom["defaults"] == list(actor.defaults.fields)
            shown_on_tab = {k for k, s in actor.mappings.fields.items() if s.show_in_tab}
            assert {k for k, shown in dom["tab"] if shown} == shown_on_tab
            if actor.ranking is not None:
                ranked = list(actor.ranking.order)
                assert [k for k, _ in dom["tab"]][: len(ranked)] == ranked


def test_the_example_report_shows_every_mapping_list_item_and_default(
    reports: Reports, browser: Browser, update_goldens: bool
) -> None:
    page, errors = open_page(browser, reports.config)
    assert_shows_configuration(page, reports.config_desired)
    assert page.locator("#sync-priority li").all_inner_texts() == ["demo-norway", "demo-sweden"]
    # Metadata came from the local tenant: the connector's key field and read-only fields are marked.
    custno = page.locator(
        'section.actor[data-connection="demo-norway"][data-actor="Customer"] tr[data-erp="CUSTNO"]'
    )
    assert "ID" in custno.inner_text() and "read-only" in custno.inner_text()
    screenshot(page, "report-example.png")
    assert errors.messages == [] and errors.fetched == []


def test_the_plan_report_shows_every_change_where_it_lands(
    reports: Reports, browser: Browser, update_goldens: bool
) -> None:
    page, errors = open_page(browser, reports.plan)
    assert_shows_configuration(page, reports.plan_desired)
    plan = json.loads(reports.plan_file.read_text(encoding="utf-8"))
    assert plan["changes"], "the edited project plans changes"
    header = page.locator("#plan-header").inner_text()
    assert plan["plan_id"] in header and "0123abc" in header and plan["environment"] in header
    for change in plan["changes"]:
        marks = page.locator(f'[data-address="{change["address"]}"]')
        assert marks.count() >= 1, change["address"]
    credit = page.locator(
        'section.actor[data-actor="Customer"][data-connection="demo-norway"] tr[data-erp="CREDITLIMIT"]'
    )
    assert "[changed]" in credit.inner_text() and "to-crm" in credit.inner_text()
    category = page.locator('table[data-list="CATEGORY"]').first
    assert "[removed]" in category.locator('tr[data-item="B"]').inner_text()
    assert "[added]" in category.locator('tr[data-item="X"]').inner_text()
    # Risky changes and pauses come before everything else.
    assert page.locator("main > section").first.get_attribute("id") == "attention"
    assert "[pause]" in page.locator("#attention").inner_text()
    screenshot(page, "report-plan.png")
    if update_goldens:  # the README's picture: the first actor's mapping diagram with the plan on it
        box = page.locator(
            'section.actor[data-connection="demo-norway"][data-actor="Customer"]'
        ).bounding_box()
        assert box is not None
        readme_image = ROOT / "docs" / "img" / "report.png"
        readme_image.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=str(readme_image),
            full_page=True,
            clip={"x": 0, "y": box["y"] - 8, "width": 1280, "height": 1150},
        )
    assert errors.messages == [] and errors.fetched == []


def test_errors_are_shown_on_the_element_they_are_about(reports: Reports, browser: Browser) -> None:
    page, errors = open_page(browser, reports.invalid)
    table = page.locator(
        'section.actor[data-connection="demo-norway"][data-actor="Customer"] table[data-list="CATEGORY"]'
    )
    duplicates = table.locator("tr.dup")
    assert [r.get_attribute("data-item") for r in duplicates.all()] == ["B", "C", "X"]
    assert all("[duplicate]" in t for t in duplicates.all_inner_texts())
    assert "errors" in page.locator(".problem-count").inner_text()
    # The rule's finding sits on the list item it is about, not in a list at the top.
    flagged = table.locator("tr.item", has=page.locator("li.problem"))
    assert flagged.count() >= 1
    assert all("[error SS311]" in t for t in flagged.all_inner_texts())
    screenshot(page, "report-invalid.png")
    assert errors.messages == []


def test_without_javascript_everything_is_there_but_the_filters(reports: Reports, browser: Browser) -> None:
    page, errors = open_page(browser, reports.plan, javascript=False)
    assert page.locator("#tools").is_hidden()
    assert page.locator("noscript").count() == 1
    # Sections start open: the first actor's mapping rows are on screen without any script.
    first_row = page.locator("section.actor tr.field").first
    first_row.scroll_into_view_if_needed()
    assert first_row.is_visible()
    assert_shows_configuration(page, reports.plan_desired)
    plan = json.loads(reports.plan_file.read_text(encoding="utf-8"))
    for change in plan["changes"]:
        assert page.locator(f'[data-address="{change["address"]}"]').count() >= 1
    screenshot(page, "report-plan-nojs.png")
    assert errors.messages == []


def test_filters_and_search_hide_what_does_not_match(reports: Reports, browser: Browser) -> None:
    page, errors = open_page(browser, reports.config)
    assert page.locator("#tools").is_visible()
    page.select_option("#filter-connection", "demo-sweden")
    assert page.locator('section.connection[data-connection="demo-norway"]').is_hidden()
    assert page.locator('section.connection[data-connection="demo-sweden"]').is_visible()
    page.select_option("#filter-connection", "")
    page.select_option("#filter-actor", "Person")
    assert page.locator('section.actor[data-actor="Customer"]').first.is_hidden()
    page.select_option("#filter-actor", "")
    page.fill("#search", "creditlimit")
    page.wait_for_function("document.getElementById('search-count').value !== ''")
    visible = page.locator("section.actor tbody tr.field:visible")
    assert visible.count() >= 1
    # textContent: rows of actors scrolled out of view are not laid out (content-visibility), so
    # their innerText is empty until shown.
    texts = visible.all_text_contents()
    assert all("CREDITLIMIT" in t for t in texts), texts
    page.fill("#search", "")
    page.click("#collapse-all")
    assert page.locator('section.actor[data-actor="Customer"] tr.field').first.is_hidden()
    assert errors.messages == []


# The plan's page holds everything the configuration's does, plus the change marks; the invalid
# one adds the findings. axe takes seconds per page, so the configuration's alone is not checked.
@pytest.mark.parametrize("which", ["plan", "invalid"])
def test_no_serious_accessibility_violations(reports: Reports, browser: Browser, which: str) -> None:
    page, errors = open_page(browser, getattr(reports, which))
    page.add_script_tag(content=axe_source())
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert errors.messages == []


def test_printing_keeps_the_content(reports: Reports, browser: Browser, tmp_path: Path) -> None:
    page, _ = open_page(browser, reports.plan)
    page.emulate_media(media="print")
    assert page.locator("#tools").is_hidden()
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")
    shutil.copy(pdf, artifact_dir() / "report-plan.pdf")
