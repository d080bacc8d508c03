"""`syncspec plan` golden cases: a seed applied through the real CLI, outside edits, a desired config.

Each directory under tests/cases/plan/ is described in tests/cli/plan_cases.py. One seeded
project per case is planned in all three formats; `pytest --update-goldens` rewrites the
expected files (and `exit`) from the actual output.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.plan_cases import (
    CASES,
    PASSWORD,
    case_args,
    case_names,
    normalise,
    prepare_case,
    read_env_file,
    run,
)
from tests.golden import assert_golden

FORMATS = {"text": "plan.txt", "json": "plan.json", "markdown": "plan.md"}


@pytest.mark.parametrize("name", case_names())
def test_golden_plan_case(
    name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    update_goldens: bool,
) -> None:
    case = CASES / name
    project = prepare_case(case, tmp_path, monkeypatch, capsys)
    secrets = {PASSWORD, *read_env_file(case / "case.env").values()}
    codes = set()
    for output, filename in FORMATS.items():
        result = run(["plan", "--detailed-exitcode", "--output", output, *case_args(case)], capsys)
        assert "Traceback" not in result.out + result.err
        for secret in secrets:
            assert secret not in result.out + result.err
        assert_golden(case / filename, normalise(result.out, project), update_goldens)
        codes.add(result.code)
    assert len(codes) == 1, "every format exits the same way"
    (code,) = codes
    if update_goldens:
        (case / "exit").write_text(f"{code}\n", encoding="utf-8")
    assert code == int((case / "exit").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", case_names())
def test_golden_files_of_a_case_agree(name: str) -> None:
    # The goldens of one case describe one plan: keep them from drifting apart when edited by hand.
    case = CASES / name
    document = json.loads((case / "plan.json").read_text(encoding="utf-8"))
    text = (case / "plan.txt").read_text(encoding="utf-8")
    markdown = (case / "plan.md").read_text(encoding="utf-8")
    exit_code = int((case / "exit").read_text(encoding="utf-8"))
    assert exit_code == (2 if document["changes"] else 0)
    for change in document["changes"]:
        assert change["address"] in text
        assert change["address"] in markdown
    for unmanaged in document["unmanaged"]:
        assert unmanaged["address"] in text


def test_every_intended_case_is_present() -> None:
    wanted = {
        "no-change",
        "new-connection",
        "config-change-on-active-connection",
        "only-activation",
        "field-direction-change",
        "list-item-remap",
        "default-added",
        "ranking-reorder",
        "priority-change",
        "drift",
        "conflict",
        "delete-without-allow",
        "delete-with-allow-delete",
        "secret-change",
    }
    assert wanted <= set(case_names())


_FIELD = "connection.main.actor.Customer.field"
# What each case is for, written by hand: (address, action, reason) of every change, so that
# regenerating the goldens cannot quietly accept a plan that does more (or less) than intended.
INTENDED: dict[str, list[tuple[str, str, str]]] = {
    "no-change": [],
    "config-change-on-active-connection": [("connection.main", "update", "config")],
    "only-activation": [("connection.main", "activate", "config")],
    "field-direction-change": [(f"{_FIELD}.PHONE", "update", "config")],
    "list-item-remap": [("connection.main.actor.Customer.list.CATEGORY", "update", "config")],
    "default-added": [(f"{_FIELD}.PAYTERMS.default", "update", "config")],
    "ranking-reorder": [("connection.main.actor.Customer.ranking", "reorder", "config")],
    "priority-change": [("sync_priority", "reorder", "config")],
    "drift": [(f"{_FIELD}.PHONE", "update", "drift")],
    "conflict": [(f"{_FIELD}.PHONE", "update", "conflict")],
    "delete-without-allow": [],
    "delete-with-allow-delete": [("connection.second", "delete", "missing_in_config")],
    "secret-change": [("connection.main", "update", "config")],
    "new-connection": [
        ("connection.second", "create", "config"),
        ("connection.second", "activate", "config"),
        ("connection.second.actor.Customer", "update", "config"),
        ("connection.second.actor.Customer.field.CUSTNO", "update", "config"),
        ("connection.second.actor.Customer.field.NAME", "update", "config"),
        ("connection.second.actor.Customer.field.CURRENCY", "update", "config"),
    ],
}


def _plan_document(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((CASES / name / "plan.json").read_text(encoding="utf-8"))
    return document


@pytest.mark.parametrize("name", sorted(INTENDED))
def test_case_shows_exactly_the_intended_changes(name: str) -> None:
    changes = _plan_document(name)["changes"]
    assert [(c["address"], c["action"], c["reason"]["kind"]) for c in changes] == INTENDED[name]


def _steps(name: str) -> list[str]:
    return [step["kind"] for step in _plan_document(name)["steps"]]


def test_config_change_on_an_active_connection_deactivates_saves_and_activates() -> None:
    assert _steps("config-change-on-active-connection") == [
        "deactivate",
        "save_connection",
        "refresh_fields",
        "activate",
    ]


def test_only_activation_is_one_toggle() -> None:
    assert _steps("only-activation") == ["activate"]


def test_ranking_reorder_says_the_number_of_moves() -> None:
    (change,) = _plan_document("ranking-reorder")["changes"]
    moves = [s for s in _plan_document("ranking-reorder")["steps"] if s["kind"] == "move_field"]
    # PHONE passes 4 fields, CURRENCY 16 (every field ranked above it but PHONE): 20 one-step moves.
    assert change["moves"] == len(moves) == 20
    assert "(20 moves)" in (CASES / "ranking-reorder" / "plan.txt").read_text(encoding="utf-8")


def test_delete_without_allow_lists_the_connection_as_not_managed_with_a_hint() -> None:
    document = _plan_document("delete-without-allow")
    assert document["steps"] == []
    assert [u["address"] for u in document["unmanaged"]] == ["connection.second"]
    assert "--allow-delete" in document["unmanaged"][0]["hint"]


def test_secret_change_is_masked_and_risky() -> None:
    (change,) = _plan_document("secret-change")["changes"]
    assert change["sensitive"] == ["config.password"]
    assert change["after"] == {"config.password": "(sensitive, changed)"}
    assert change["risk"]
    (save,) = [s for s in _plan_document("secret-change")["steps"] if s["kind"] == "save_connection"]
    assert save["data"]["config"]["password"] is None
    for filename in FORMATS.values():
        assert "a-new-secret-value" not in (CASES / "secret-change" / filename).read_text(encoding="utf-8")
