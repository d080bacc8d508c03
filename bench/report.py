"""The HTML report at size: 50 connections x 4 actors x 50 fields, rendered and opened in Chromium.

    python bench/report.py [--connections 50] [--actors 4] [--fields 50] [--runs 3]

Builds a synthetic desired state (every field mapped, two list mappings of 20 items and five
defaults per actor, a ranking) and a plan with one changed field, one remapped list item and one
changed default per actor, renders `syncspec report` of both into one file, then opens it in
headless Chromium (Debian's /usr/bin/chromium driven by Playwright, a fresh context per run) and
measures, per run, the time from navigation start until the page is loaded and laid out (the load
event, then one animation frame with a forced layout). Prints the median against the bound
(2 s) and the file's size against its bound (5 MB). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from syncspec.model.desired import (  # noqa: E402
    ActorDesired,
    ActorSpec,
    ConnectionDesired,
    ConnectionDoc,
    ConnectorDoc,
    CrmItemRef,
    DefaultsDoc,
    DefaultSpec,
    DesiredState,
    Direction,
    FieldMappingsDoc,
    FieldMappingSpec,
    ListMappingsDoc,
    RankingDoc,
    SyncPriorityDoc,
)
from syncspec.model.enums import ErpActorType  # noqa: E402
from syncspec.plan.model import Action, Change, Plan  # noqa: E402
from syncspec.render.report import ReportInput, render_report_html  # noqa: E402

SECONDS_BOUND = 2.0
BYTES_BOUND = 5 * 1024 * 1024
ACTORS = (ErpActorType.CUSTOMER, ErpActorType.SUPPLIER, ErpActorType.PARTNER, ErpActorType.PERSON)
DIRECTIONS = (Direction.BOTH, Direction.TO_CRM, Direction.TO_ERP, Direction.NONE)
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
_MEASURE = """() => new Promise(done => requestAnimationFrame(() => {
  document.body.getBoundingClientRect();  // force the layout of the whole page
  const nav = performance.getEntriesByType('navigation')[0];
  done({load: nav.loadEventEnd, laidOut: performance.now(), dom: nav.domContentLoadedEventEnd});
}))"""


def _actor(connection: str, actor: ErpActorType, fields: int) -> ActorDesired:
    keys = [f"F{n:03}" for n in range(fields)]
    mappings = FieldMappingsDoc(
        connection=connection,
        actor=actor,
        fields={
            key: FieldMappingSpec(
                crm=f"contact.udef.f{n:03}" if n % 4 != 3 else None,
                direction=DIRECTIONS[n % 4] if n % 4 != 3 else None,
                show_in_search=n % 5 == 0,
                show_in_tab=n % 3 == 0,
            )
            for n, key in enumerate(keys)
        },
    )
    lists = {
        key: ListMappingsDoc(
            connection=connection,
            actor=actor,
            field=key,
            items={f"I{i:02}": CrmItemRef(name=f"Item {i}") if i % 7 else CrmItemRef() for i in range(20)},
        )
        for key in keys[:2]
    }
    defaults = DefaultsDoc(
        connection=connection,
        actor=actor,
        fields={key: DefaultSpec(value=f"v{n}", prompt=n % 2 == 0) for n, key in enumerate(keys[:5])},
    )
    ranking = RankingDoc(connection=connection, actor=actor, order=tuple(reversed(keys[:10])))
    return ActorDesired(mappings=mappings, lists=lists, defaults=defaults, ranking=ranking)


def synthetic(connections: int, actors: int, fields: int) -> tuple[DesiredState, Plan]:
    names = [f"conn-{n:03}" for n in range(connections)]
    state = DesiredState(
        connectors={"demo-erp": ConnectorDoc(name="demo-erp", url="plugin://demo")},
        connections={
            name: ConnectionDesired(
                connection=ConnectionDoc(
                    name=name,
                    connector="demo-erp",
                    description=f"client {name}",
                    active=True,
                    actors={actor: ActorSpec(sync=True) for actor in ACTORS[:actors]},
                ),
                actors={actor: _actor(name, actor, fields) for actor in ACTORS[:actors]},
            )
            for name in names
        },
        sync_priority=SyncPriorityDoc(order=tuple(names)),
    )
    changes = []
    for name in names:
        for actor in ACTORS[:actors]:
            base = f"connection.{name}.actor.{actor.value}"
            changes += [
                Change(
                    f"{base}.field.F000",
                    Action.UPDATE,
                    "field",
                    name,
                    {"direction": "to-crm"},
                    {"direction": "both"},
                ),
                Change(f"{base}.list.F001", Action.UPDATE, "list", name, {"item.I01": 1}, {"item.I01": 2}),
                Change(
                    f"{base}.field.F002.default",
                    Action.UPDATE,
                    "default",
                    name,
                    {"value": "a"},
                    {"value": "b"},
                ),
            ]
    plan = Plan(
        plan_id="sha256:bench",
        syncspec_version="bench",
        environment="bench",
        target="local:bench.db",
        created_at="2026-01-01T00:00:00Z",
        expires_at="2026-01-08T00:00:00Z",
        metadata_digest="",
        changes=tuple(changes),
    )
    return state, plan


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--actors", type=int, default=4, choices=range(1, len(ACTORS) + 1))
    parser.add_argument("--fields", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    options = parser.parse_args()

    from playwright.sync_api import sync_playwright

    state, plan = synthetic(options.connections, options.actors, options.fields)
    started = time.perf_counter()
    html = render_report_html(ReportInput(desired=state, plan=plan, commit="bench"))
    render_seconds = time.perf_counter() - started
    size = len(html.encode("utf-8"))
    rows = options.connections * options.actors * options.fields
    with tempfile.TemporaryDirectory() as tmp:
        page_file = Path(tmp) / "report.html"
        page_file.write_text(html, encoding="utf-8")
        figures = []
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=options.chromium, args=CHROMIUM_FLAGS)
            try:
                for _ in range(options.runs):
                    context = browser.new_context(viewport={"width": 1280, "height": 900})
                    page = context.new_page()
                    page.goto(page_file.as_uri(), wait_until="load", timeout=120_000)
                    timing = page.evaluate(_MEASURE)
                    assert page.locator("tr.field").count() == rows, "every field row is on the page"
                    figures.append(timing)
                    context.close()
            finally:
                browser.close()
    laid_out = statistics.median(f["laidOut"] for f in figures) / 1000
    loaded = statistics.median(f["load"] for f in figures) / 1000
    print(
        f"report of {options.connections} connections x {options.actors} actors x {options.fields} fields "
        f"({rows} field rows, {len(plan.changes)} changes)"
    )
    print(f"  syncspec render (Python, Jinja2): {render_seconds:.2f} s")
    verdict = "ok" if size < BYTES_BOUND else "OVER"
    print(f"  file size: {size / 1024 / 1024:.2f} MB (bound {BYTES_BOUND / 1024 / 1024:.0f} MB: {verdict})")
    print(
        f"  Chromium, median of {options.runs}: loaded {loaded:.2f} s, loaded and laid out {laid_out:.2f} s"
    )
    verdict = "ok" if laid_out < SECONDS_BOUND else "OVER"
    print(f"  bound {SECONDS_BOUND:.1f} s: {verdict} ({laid_out / SECONDS_BOUND:.2f}x of the bound)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
