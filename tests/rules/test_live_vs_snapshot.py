"""The rules give the same answer against the live tenant and against its `metadata pull` snapshot.

For every broken configuration of the rule golden cases and of the example-breaks table:
validate online (the seeded tenant is reachable), pull a snapshot, validate `--offline`,
and compare the JSON reports. Only `notes` may differ (the offline run says it used a
snapshot and how old it is).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from syncspec.cli.main import main
from tests.rules.test_example_breaks import BREAKS, Break, apply_break, prepare_example
from tests.rules.test_golden_cases import CASES, prepare_case


def _golden_params() -> list[object]:
    names = sorted(p.name for p in CASES.iterdir() if p.is_dir())
    return list(names)


def _break_params() -> list[object]:
    return [pytest.param(b, id=b.id) for b in BREAKS]


def _report(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    main(["validate", "--format", "json", *args])
    document: dict[str, Any] = json.loads(capsys.readouterr().out)
    return document


def _live_and_offline(
    capsys: pytest.CaptureFixture[str], workdir: Path
) -> tuple[dict[str, Any], dict[str, Any]]:
    live = _report(capsys)
    assert live["notes"] == [], "the first run must use the live tenant"
    assert main(["metadata", "pull"]) == 0
    capsys.readouterr()
    assert (workdir / ".syncspec" / "metadata" / "local.json").is_file()
    offline = _report(capsys, "--offline")
    assert any("metadata snapshot local.json" in note for note in offline["notes"])
    return live, offline


def _without_notes(document: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key != "notes"}


@pytest.mark.parametrize("name", _golden_params())
def test_golden_case_agrees_live_and_offline(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    prepare_case(CASES / name, tmp_path, monkeypatch)
    live, offline = _live_and_offline(capsys, tmp_path)
    assert live["diagnostics"], "a broken case reports something"
    assert _without_notes(offline) == _without_notes(live)


@pytest.mark.parametrize("rule_break", _break_params())
def test_example_break_agrees_live_and_offline(
    rule_break: Break, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    prepare_example(tmp_path, monkeypatch)
    apply_break(tmp_path, rule_break)
    live, offline = _live_and_offline(capsys, tmp_path)
    assert rule_break.code in {d["code"] for d in live["diagnostics"]}
    assert _without_notes(offline) == _without_notes(live)
