from __future__ import annotations

from dataclasses import replace

from syncspec.embedded.connectors.encoding import parse_value
from syncspec.model.diagnostics import Severity, sorted_diagnostics
from syncspec.rules import check_rules
from tests.rules.helpers import REPO, check, demo_metadata, desired_from, found, project_files
from tests.rules.texts import connection, defaults, lists, mappings

INFO = Severity.INFO


def test_example_project_is_clean_against_the_demo_catalogue() -> None:
    desired = desired_from(project_files(REPO / "connections"))
    assert set(desired.connections) == {"demo-norway", "demo-sweden"}
    metadata = demo_metadata("demo-norway", "demo-sweden")
    assert check_rules(desired, metadata, parse_value=parse_value) == []


def test_ss320_borrowed_metadata_is_reported_once_per_connection() -> None:
    diags = check(
        connection("fresh"),
        mappings("  NAME: {crm: contact.name}\n", name="fresh"),
        metadata=demo_metadata("main"),
    )
    assert found(diags) == [("SS320", INFO, "f1.yaml", 1)]
    assert "'main'" in diags[0].message and diags[0].address == "connection.fresh"


def test_ss321_no_metadata_for_the_connection_is_said_not_skipped() -> None:
    meta = demo_metadata()
    diags = check(connection(), mappings("  NOSUCH: {crm: contact.name}\n"), metadata=meta)
    assert found(diags) == [("SS321", INFO, "f1.yaml", 1)]
    assert diags[0].message == "field rules skipped for connection 'main': no metadata"


def test_ss321_no_metadata_for_the_connector_skips_config_rules_only() -> None:
    meta = demo_metadata("main")
    meta = replace(meta, connectors={})
    diags = check(
        connection().replace("user: sync", "usr: sync"),
        mappings("  NOSUCH: {}\n".replace("{}", "{show_in_tab: true}")),
        metadata=meta,
    )
    assert [d.code for d in diags] == ["SS321", "SS302"]
    assert "config rules skipped" in diags[0].message


MESSY = [
    connection(active=True).replace("user: sync", "usr: sync"),
    mappings(
        "  NAME: {crm: contact.nmae, direction: both}\n  BLOCKED: {crm: contact.name, direction: both}\n"
    ),
    lists("CATEGORY", "  A: Key account\n  B: Key account\n  Q: Customer\n"),
    defaults("  DISCOUNT: {value: lots}\n  PRICELST: {value: STD}\n"),
    mappings("  LASTNAME: {crm: person.lastname}\n", actor="Person"),
]


def test_output_is_sorted_and_independent_of_input_order() -> None:
    forward = check(*MESSY)
    backward = check(*reversed(MESSY))
    assert len(forward) >= 8
    assert forward == sorted_diagnostics(forward)
    # the same findings, whatever order the files came in (file names follow the order)
    assert sorted((d.code, d.message) for d in forward) == sorted((d.code, d.message) for d in backward)
    assert check(*MESSY) == forward


def test_every_diagnostic_is_located_addressed_and_hinted() -> None:
    for d in check(*MESSY):
        assert d.location is not None and d.location.line > 0, d
        assert d.address.startswith("connection.main"), d
        assert d.hint and "\n" not in d.message, d


def test_a_clean_run_never_asks_for_positions() -> None:
    # Valid files are loaded without positions; locating a key re-reads the file, so rules
    # may only ask where something is when they report it.
    desired = desired_from(project_files(REPO / "connections"))
    asked: list[str] = []
    for doc in desired.documents():
        origin = doc.origin
        assert origin is not None
        index = origin.positions()
        origin._cache = None
        origin._positions = lambda f=origin.file, i=index: asked.append(f) or i
    metadata = demo_metadata("demo-norway", "demo-sweden")
    assert check_rules(desired, metadata, parse_value=parse_value) == []
    assert asked == []
    # ...while a run that reports something reads exactly the files it reports on.
    broken = replace(metadata, groups=frozenset({"Sales"}))
    diags = check_rules(desired, broken, parse_value=parse_value)
    assert [d.code for d in diags] == ["SS318"]
    assert asked == ["connections/demo-sweden/connection.yaml"]
