"""Rule golden cases: each tests/cases/rules/<case>/ breaks one semantic rule of the example project.

A case is a small project (syncspec.yaml + part of connections/, one thing changed) plus
`expected.{text,json,github,sarif}` and `expected.exit`. The run is real end to end: a
fresh embedded tenant seeded with the demo connector and the example's two connections
(metadata from the tenant's own discovery) sits where the case's `local` environment
points, and `syncspec validate --format F` runs in a copy of the case. Regenerate the
expectations with `pytest tests/rules/test_golden_cases.py --update-goldens`.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from syncspec.cli.main import main
from syncspec.model.codes import CODE_TITLES
from tests.golden import assert_golden
from tests.support.example import DEMO_PASSWORD, REPO, TENANT_FILE
from tests.support.tenants import seed_example_tenant

CASES = REPO / "tests" / "cases" / "rules"
FORMATS = ("text", "json", "github", "sarif")
_CASE_CODE = re.compile(r"^(ss3\d\d)-")
# Variables that change what validate does; the developer's shell must not leak into a case.
_AMBIENT = ("SYNCSPEC_ENV", "SYNCSPEC_TRACEBACK", "NO_COLOR")
# The password the connections reference; set so that SS214 (unset variable) stays out of the cases.
PASSWORD_VALUE = "golden-case-secret"


def _case_names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if p.is_dir())


def _case_code(name: str) -> str:
    match = _CASE_CODE.match(name)
    assert match, f"case {name!r} must start with the code of the rule it breaks (ss3NN-)"
    return match.group(1).upper()


def prepare_case(case: Path, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Copy the case project (without its expectations) to `workdir`, seed its tenant, chdir there."""
    for source in case.rglob("*"):
        if source.is_file() and not source.name.startswith("expected."):
            target = workdir / source.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    seed_example_tenant(workdir / TENANT_FILE)
    for name in _AMBIENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DEMO_ERP_PASSWORD", PASSWORD_VALUE)
    monkeypatch.chdir(workdir)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", _case_names())
def test_rule_case(
    name: str,
    fmt: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    update_goldens: bool,
) -> None:
    case = CASES / name
    prepare_case(case, tmp_path, monkeypatch)
    code = main(["validate", "--format", fmt])
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "Traceback" not in captured.out
    assert PASSWORD_VALUE not in captured.out and DEMO_PASSWORD not in captured.out
    assert_golden(case / f"expected.{fmt}", captured.out, update_goldens)
    if update_goldens and fmt == "text":
        (case / "expected.exit").write_text(f"{code}\n", encoding="utf-8")
    assert code == int((case / "expected.exit").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", _case_names())
def test_case_breaks_exactly_its_rule(name: str) -> None:
    # The goldens are generated, so check by hand what they claim: the named code is there,
    # it comes from the live tenant (no notes about snapshots or skipped rules), and no other
    # code is an error. Warnings and infos of the named rule's own kind are allowed.
    code = _case_code(name)
    document = json.loads((CASES / name / "expected.json").read_text(encoding="utf-8"))
    codes = [d["code"] for d in document["diagnostics"]]
    assert code in codes
    assert document["notes"] == []
    assert [d for d in document["diagnostics"] if d["severity"] == "error" and d["code"] != code] == []
    expected_exit = int((CASES / name / "expected.exit").read_text(encoding="utf-8"))
    assert document["valid"] is (expected_exit == 0)
    assert all(d["file"] and d["line"] for d in document["diagnostics"] if d["code"] == code)


def test_every_rule_has_a_case() -> None:
    rules = {c for c in CODE_TITLES if c.startswith("SS3")}
    covered = {_case_code(name) for name in _case_names()}
    assert rules - covered == set()
