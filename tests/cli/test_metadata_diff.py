"""`syncspec metadata diff`, the pull summary and the plan note, on the example project.

The done-when scenario of issue #18: the example configuration is applied to an embedded
tenant and its metadata pulled; then the demo connector's catalogue changes (a field
removed, a field made mandatory, a list item removed) and SuperOffice's UpdateConnectionFields
re-reads the fields. `metadata diff` must name each change and the exact configuration lines
it affects, and `validate` must report the same problems at the same lines.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from syncspec.cli.main import main
from syncspec.embedded.connectors import registry
from syncspec.embedded.connectors.demo import DemoConnector
from syncspec.embedded.connectors.demo.catalogue import Catalogue, load_catalogue
from syncspec.embedded.tenant import InProcessAgent, Tenant
from syncspec.model.enums import FieldAccess
from syncspec.targets.snapshot import write_snapshot
from tests.golden import assert_golden
from tests.metadata.test_diff import PAIRS, base

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "cases" / "metadata-diff" / "demo-catalogue"


def changed_catalogue() -> Catalogue:
    """The demo catalogue with Customer's LASTINVOICE removed, PRICELIST mandatory, payment term 60D gone."""
    catalogue = load_catalogue()
    customer = catalogue.actor_types["Customer"]
    fields = tuple(
        dataclasses.replace(f, access=FieldAccess.MANDATORY) if f.field_key == "PRICELIST" else f
        for f in customer.fields
        if f.field_key != "LASTINVOICE"
    )
    lists = dict(catalogue.lists)
    lists["payment_terms"] = {k: v for k, v in lists["payment_terms"].items() if k != "60D"}
    actors = {**catalogue.actor_types, "Customer": dataclasses.replace(customer, fields=fields)}
    return dataclasses.replace(catalogue, actor_types=actors, lists=lists)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    """The example project applied to a new embedded tenant, with its metadata snapshot pulled."""
    shutil.copy(REPO / "syncspec.yaml", tmp_path / "syncspec.yaml")
    shutil.copytree(REPO / "connections", tmp_path / "connections")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DEMO_ERP_PASSWORD", "demo-password")
    monkeypatch.delenv("SYNCSPEC_ENV", raising=False)
    assert run(["apply", "--auto-approve", "--parallelism", "1"], capsys)[0] == 0
    assert run(["metadata", "pull"], capsys)[0] == 0
    return tmp_path


def upgrade_connector(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The connector's new version ships; SuperOffice re-reads each connection's fields."""
    catalogue = changed_catalogue()
    monkeypatch.setitem(registry.BUILTIN_CONNECTORS, "demo", lambda: DemoConnector(catalogue))
    tenant = Tenant.open_or_create(project / ".syncspec" / "tenant.db")
    try:
        agent = InProcessAgent(tenant)
        for connection in agent.get_all_connections(False):
            assert agent.update_connection_fields(connection.erp_connection_id)
    finally:
        tenant.close()


def _lines(entries: list[dict[str, Any]]) -> set[tuple[str, str, int]]:
    return {(e["code"], e["file"], e["line"]) for e in entries}


def test_diff_names_each_change_and_its_lines_and_validate_agrees(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], update_goldens: bool
) -> None:
    code, out, _ = run(["metadata", "diff", "--detailed-exitcode"], capsys)
    assert (code, out.splitlines()[-1]) == (0, "No metadata changes.")
    code, _, err = run(["plan"], capsys)
    assert code == 0 and "tenant metadata changed" not in err  # unchanged metadata: no note
    upgrade_connector(project, monkeypatch)

    outputs = {
        fmt: run(["metadata", "diff", "--output", fmt], capsys) for fmt in ("text", "json", "markdown")
    }
    for fmt, filename in (("text", "diff.txt"), ("json", "diff.json"), ("markdown", "diff.md")):
        assert outputs[fmt][0] == 0
        assert_golden(GOLDEN / filename, outputs[fmt][1], update_goldens)
    assert "demo-password" not in "".join(o[1] + o[2] for o in outputs.values())

    document = json.loads(outputs["json"][1])
    by_change = {(c["connection"], c["kind"], c["subject"]): c for c in document["changes"]}
    norway = {
        key[1:]: [(r["file"], r["line"]) for r in change["references"]]
        for key, change in by_change.items()
        if key[0] == "demo-norway"
    }
    # each change, and the exact lines of the example configuration it touches
    assert norway == {
        ("erp-field-removed", "LASTINVOICE"): [
            ("connections/demo-norway/customer.mappings.yaml", 24),
            ("connections/demo-norway/customer.ranking.yaml", 6),
        ],
        ("erp-field-made-mandatory", "PRICELIST"): [("connections/demo-norway/customer.mappings.yaml", 6)],
        ("erp-list-item-removed", "60D"): [("connections/demo-norway/customer.lists.yaml", 52)],
    }
    lines = (
        REPO.joinpath("connections/demo-norway/customer.lists.yaml").read_text(encoding="utf-8").splitlines()
    )
    assert lines[52 - 1].strip() == "60D: 60 days"

    # validate, run for real against the live tenant, reports the same diagnostics at the same lines
    code, out, _ = run(["validate", "--format", "json"], capsys)
    assert code == 1
    validated = _lines(json.loads(out)["diagnostics"])
    from_diff = _lines([d for c in document["changes"] for d in c["diagnostics"]])
    from_diff |= _lines(document["unattributed_diagnostics"])
    assert validated == from_diff
    assert {c for c, _, _ in validated} == {"SS306", "SS309"}

    code, out, _ = run(["metadata", "diff", "--detailed-exitcode", "--no-config"], capsys)
    assert code == 2 and "configuration was not checked" in out


def test_pull_summarises_the_changes_and_plan_notes_them(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    upgrade_connector(project, monkeypatch)
    code, _, err = run(["plan"], capsys)
    assert code == 1  # the plan refuses the configuration: SS306 and SS309
    notes = [line for line in err.splitlines() if "tenant metadata changed" in line]
    assert notes == [
        "note: tenant metadata changed since .syncspec/metadata/local.json: 5 of 6 changes touch this "
        "configuration (1 ERP field removed, 2 ERP fields made mandatory, 2 ERP list items removed; "
        "4 new validate diagnostics); run 'syncspec metadata diff' for the lines and fixes"
    ]
    code, _, err = run(["drift"], capsys)
    assert code == 1 and [line for line in err.splitlines() if "tenant metadata changed" in line] == notes
    old = project / "old.json"
    shutil.copy(project / ".syncspec" / "metadata" / "local.json", old)
    code, out, _ = run(["metadata", "pull"], capsys)
    assert code == 0
    assert out.splitlines()[1] == (
        "Since the last snapshot: 2 ERP fields removed, 2 ERP fields made mandatory, 2 ERP list items removed"
    )
    # two snapshots against each other: the same six changes
    code, out, _ = run(
        ["metadata", "diff", "old.json", ".syncspec/metadata/local.json", "--output", "json"], capsys
    )
    document = json.loads(out)
    assert code == 0 and document["before"] == "old.json"
    assert sorted(c["kind"] for c in document["changes"]) == sorted(
        ["erp-field-removed"] * 2 + ["erp-field-made-mandatory"] * 2 + ["erp-list-item-removed"] * 2
    )
    # and the live tenant against an explicit snapshot: nothing changed since the pull
    code, out, _ = run(["metadata", "diff", "--against", "old.json", "--detailed-exitcode"], capsys)
    assert code == 2
    code, out, _ = run(["metadata", "diff", "--detailed-exitcode"], capsys)
    assert code == 0


def test_bad_arguments_are_clear_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SYNCSPEC_ENV", raising=False)
    code, _, err = run(["metadata", "diff", "only-one.json"], capsys)
    assert code == 64 and "give two snapshots" in err
    code, _, err = run(["metadata", "diff", "a.json", "b.json"], capsys)
    assert code == 64 and "no metadata snapshot at a.json" in err
    code, _, err = run(["metadata", "diff"], capsys)
    assert code == 64 and "no metadata snapshot at .syncspec/metadata/default.json" in err
    assert not (tmp_path / ".syncspec" / "tenant.db").exists()  # no tenant created by a diff
    (tmp_path / "a.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "b.json").write_text("{}", encoding="utf-8")
    code, _, err = run(["metadata", "diff", "a.json", "b.json"], capsys)
    assert code == 1 and "a.json" in err


@pytest.mark.parametrize("pair", PAIRS, ids=[p[0] for p in PAIRS])
def test_each_kind_of_change_between_two_snapshot_files(
    pair: tuple[str, Any, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, edit, expected = pair
    monkeypatch.chdir(tmp_path)
    write_snapshot(base(), tmp_path / "before.json")
    write_snapshot(edit(base()), tmp_path / "after.json")
    code, out, err = run(
        ["metadata", "diff", "before.json", "after.json", "--output", "json", "--detailed-exitcode"], capsys
    )
    assert code == 2, err
    (change,) = json.loads(out)["changes"]
    assert change["kind"] == expected.kind.value
    assert change["subject"] == (expected.subject or None)
    assert change["description"].endswith(expected.describe())


def test_an_unreachable_tenant_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "syncspec.yaml").write_text(
        "kind: Project\nconfig_dir: connections\nenvironments:\n  prod:\n"
        '    target: {type: superoffice, url: "https://127.0.0.1:9/Cust1", token: "${env:SO_TOKEN}"}\n',
        encoding="utf-8",
    )
    (tmp_path / "connections").mkdir()
    write_snapshot(base(), tmp_path / ".syncspec" / "metadata" / "prod.json")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SO_TOKEN", "not-a-real-token")
    # port 9 (discard) on loopback: nothing listens, so the connection is refused at once
    code, out, err = run(["metadata", "diff", "-e", "prod"], capsys)
    assert code == 1 and out == ""
    assert "cannot connect to https://127.0.0.1:9/Cust1" in err
    assert "not-a-real-token" not in err
