"""Break the repository's example project one rule at a time and check exactly what validate reports.

Each row copies `syncspec.yaml` + `connections/` to a temporary directory, applies one
text substitution, seeds a fresh embedded tenant where the `local` environment points,
and validates (JSON output): the rule's code must be reported at that file and line, and
nothing else may be an error. The unbroken copy must be clean.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from syncspec.cli.main import main
from tests.support.example import REPO, TENANT_FILE, copy_example
from tests.support.tenants import seed_example_tenant

PASSWORD_VALUE = "example-breaks-secret"
NO = "connections/demo-norway/"
SE = "connections/demo-sweden/"


@dataclass(frozen=True)
class Break:
    code: str
    file: str
    old: str
    new: str
    line: int

    @property
    def id(self) -> str:
        return f"{self.code}-{Path(self.file).parent.name}-{Path(self.file).name}"


BREAKS = (
    Break("SS301", SE + "connection.yaml", "  Supplier: {sync: false}", "  Partner: {sync: false}", 19),
    Break("SS302", NO + "person.mappings.yaml", "PURCHASELIMIT: {show", "PURCHASELIMT: {show", 17),
    Break("SS303", SE + "person.mappings.yaml", "EMAIL: {crm: person.email", "EMAIL: {crm: contact.email", 9),
    Break(
        "SS304",
        NO + "person.mappings.yaml",
        "NEWSLETTER: {crm: person.udef.newsletter, direction: both}",
        "NEWSLETTER: {crm: person.title, direction: both}",
        16,
    ),
    Break(
        "SS305",
        NO + "person.mappings.yaml",
        "person.number, direction: to-crm",
        "person.number, direction: both",
        6,
    ),
    Break(
        "SS306",
        SE + "customer.mappings.yaml",
        "  NAME: {crm: contact.name, direction: both, show_in_search: true}\n",
        "",
        8,
    ),
    Break("SS307", SE + "customer.mappings.yaml", "contact.number1", "contact.number2", 9),
    Break("SS308", SE + "person.lists.yaml", "field: POSTALCOUNTRY", "field: EMAIL", 5),
    Break("SS309", SE + "customer.lists.yaml", "  60D: 60 days", "  90D: 60 days", 28),
    Break("SS310", NO + "person.lists.yaml", "FI: Finland", "FI: Suomi", 10),
    Break("SS311", SE + "customer.lists.yaml", "  EUR: EUR", "  EUR: SEK", 9),
    Break(
        "SS312", NO + "person.defaults.yaml", "INVOICEREC: {value: false}", "INVOICEREC: {value: maybe}", 7
    ),
    Break("SS313", SE + "person.ranking.yaml", "PURCHASELIMIT]", "PURCHASLIMIT]", 5),
    Break(
        "SS314",
        SE + "person.mappings.yaml",
        "EMAIL: {crm: person.email, direction: both}",
        "EMAIL: {crm: person.email, direction: both, show_in_tab: true}",
        9,
    ),
    Break("SS315", SE + "connection.yaml", "  user: sync\n", "", 10),
    Break("SS316", SE + "connection.yaml", "language: sv", "languag: sv", 15),
    Break("SS317", NO + "connection.yaml", "timeout: 30", "timeout: soon", 14),
    Break("SS318", SE + "connection.yaml", "users: [ANNA]", "users: [ANNE]", 9),
    Break(
        "SS319",
        NO + "customer.mappings.yaml",
        "  LASTINVOICE: {show_in_tab: true}",
        "  LASTINVOICE: {crm: contact.updated, direction: to-crm}",
        24,
    ),
)


def prepare_example(workdir: Path, monkeypatch: pytest.MonkeyPatch, *, password: bool = True) -> None:
    """A copy of the example project in `workdir` with a seeded tenant, as the cwd."""
    copy_example(workdir)
    seed_example_tenant(workdir / TENANT_FILE)
    for name in ("SYNCSPEC_ENV", "SYNCSPEC_TRACEBACK", "NO_COLOR", "DEMO_ERP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    if password:
        monkeypatch.setenv("DEMO_ERP_PASSWORD", PASSWORD_VALUE)
    monkeypatch.chdir(workdir)


def apply_break(workdir: Path, rule_break: Break) -> None:
    path = workdir / rule_break.file
    text = path.read_text(encoding="utf-8")
    assert text.count(rule_break.old) == 1, f"{rule_break.old!r} must occur once in {rule_break.file}"
    path.write_text(text.replace(rule_break.old, rule_break.new), encoding="utf-8")


def validate_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = main(["validate", "--format", "json", *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert PASSWORD_VALUE not in captured.out + captured.err
    document: dict[str, Any] = json.loads(captured.out)
    return code, document


@pytest.mark.parametrize("rule_break", BREAKS, ids=lambda b: b.id)
def test_break_reports_exactly_its_rule_at_its_line(
    rule_break: Break, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    prepare_example(tmp_path, monkeypatch)
    apply_break(tmp_path, rule_break)
    code, document = validate_json(capsys)
    reported = [
        (d["code"], d["file"], d["line"])
        for d in document["diagnostics"]
        if d["severity"] == "error" or d["code"] == rule_break.code
    ]
    assert reported == [(rule_break.code, rule_break.file, rule_break.line)]
    assert document["notes"] == []  # the rules ran against the live tenant
    assert code == (1 if document["summary"]["errors"] else 0)


def test_every_rule_that_config_can_break_is_in_the_table() -> None:
    assert {b.code for b in BREAKS} == {f"SS{n}" for n in range(301, 320)}


def test_unbroken_copy_is_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    prepare_example(tmp_path, monkeypatch)
    code, document = validate_json(capsys)
    assert code == 0
    assert document["diagnostics"] == [] and document["notes"] == []
    assert document["files_checked"] == len(list((REPO / "connections").rglob("*.yaml")))


def test_unbroken_copy_without_the_password_only_warns_that_it_is_unset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    prepare_example(tmp_path, monkeypatch, password=False)
    code, document = validate_json(capsys)
    assert code == 0
    assert {d["code"] for d in document["diagnostics"]} == {"SS214"}
    assert {d["severity"] for d in document["diagnostics"]} == {"warning"}
