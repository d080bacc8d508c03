"""`syncspec drift` golden cases: the plan cases with changes made outside syncspec, reported as
drift (`last applied -> live now`, a "Drift:" count line, a "syncspec drift" heading)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.plan_cases import CASES, normalise, prepare_case, run
from tests.golden import assert_golden

FORMATS = {"text": "drift.txt", "markdown": "drift.md"}


@pytest.mark.parametrize("name", ["drift", "conflict"])
@pytest.mark.parametrize("output", sorted(FORMATS))
def test_golden_drift_case(
    name: str,
    output: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    update_goldens: bool,
) -> None:
    case = CASES / name
    project = prepare_case(case, tmp_path, monkeypatch, capsys)
    result = run(["drift", "--output", output], capsys)
    assert result.code == 2, result
    assert "Plan:" not in result.out and "syncspec plan" not in result.out
    assert_golden(case / FORMATS[output], normalise(result.out, project), update_goldens)


def test_drift_reads_last_applied_then_live(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # the seed applied "both"; outside syncspec the tenant's PHONE went to "to-crm"
    prepare_case(CASES / "drift", tmp_path, monkeypatch, capsys)
    result = run(["drift"], capsys)
    assert 'direction: "both" -> "to-crm"' in result.out
    assert result.out.rstrip().splitlines()[-1].startswith("Drift: 1 change made in the tenant")


def test_a_conflict_says_what_the_configuration_asks_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    prepare_case(CASES / "conflict", tmp_path, monkeypatch, capsys)
    result = run(["drift"], capsys)
    assert 'the configuration now asks for direction "to-erp"' in result.out
    assert "1 of them in conflict" in result.out
