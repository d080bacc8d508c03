"""`syncspec plan --out` then `syncspec show`: a saved plan renders exactly as it was shown."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from syncspec.cli.main import main
from syncspec.plan.planfile import sha256_of
from tests.cli.plan_cases import (
    BASE_CONFIG,
    CASES,
    PASSWORD,
    Run,
    apply_config,
    edit_outside,
    new_project,
    run,
)

NEW_PASSWORD = "rotated-secret-value"
FORMATS = ("text", "json", "markdown")
PHONE = "connection.main.actor.Customer.field.PHONE"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    """A plan with many kinds of content: a config change, a drift, a reorder, a secret, an unmanaged
    connection and a risky change."""
    root = new_project(tmp_path, monkeypatch)
    apply_config(root, CASES / "delete-without-allow" / "seed", capsys)
    edit_outside(
        root / ".syncspec" / "tenant.db",
        [
            {
                "op": "set_field",
                "connection": "main",
                "actor": "Customer",
                "field": "EMAIL",
                "show_in_tab": True,
            }
        ],
    )
    config = root / "connections"
    for path in sorted(config.rglob("*.yaml")):
        path.unlink()
    for path in sorted(BASE_CONFIG.rglob("*.yaml")):
        target = config / path.relative_to(BASE_CONFIG)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    mappings = config / "main" / "customer.mappings.yaml"
    mappings.write_text(
        mappings.read_text(encoding="utf-8").replace("contact.phone, direction: both", "contact.phone"),
        encoding="utf-8",
    )
    ranking = config / "main" / "customer.ranking.yaml"
    ranking.write_text(
        ranking.read_text(encoding="utf-8").replace("[NAME, CUSTNO]", "[CUSTNO, NAME]"), "utf-8"
    )
    monkeypatch.setenv("DEMO_ERP_PASSWORD", NEW_PASSWORD)
    return root


def _saved_and_shown(
    plan_args: list[str], output: str, plan_file: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[Run, Run]:
    planned = run(["plan", "--out", str(plan_file), "--output", output, *plan_args], capsys)
    assert planned.code == 0, planned.err
    shown = run(["show", str(plan_file), "--output", output], capsys)
    assert shown.code == 0, shown.err
    return planned, shown


@pytest.mark.parametrize("output", FORMATS)
def test_show_renders_a_saved_plan_exactly_as_plan_showed_it(
    output: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan_file = project / "plans" / "next.plan.json"  # a folder that does not exist yet
    planned, shown = _saved_and_shown([], output, plan_file, capsys)
    assert shown.out == planned.out
    assert f"note: plan saved to {plan_file}" in planned.err
    assert shown.err == ""


def test_the_round_tripped_plan_has_every_kind_of_content(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Guards the round-trip test above against comparing two empty plans.
    plan_file = project / "next.plan.json"
    _saved_and_shown([], "text", plan_file, capsys)
    document = json.loads(plan_file.read_text(encoding="utf-8"))
    reasons = {(c["address"], c["action"], c["reason"]["kind"]) for c in document["changes"]}
    assert reasons == {
        ("connection.main", "update", "config"),
        (PHONE, "update", "config"),
        ("connection.main.actor.Customer.field.EMAIL", "update", "drift"),
        ("connection.main.actor.Customer.ranking", "reorder", "config"),
    }
    assert [u["address"] for u in document["unmanaged"]] == ["connection.second"]
    assert any(c["risk"] for c in document["changes"])


def test_the_plan_file_is_what_json_output_shows(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan_file = project / "next.plan.json"
    planned, _ = _saved_and_shown([], "json", plan_file, capsys)
    assert plan_file.read_text(encoding="utf-8") == planned.out
    document = json.loads(planned.out)
    assert document["format_version"] == 3
    assert document["plan_id"].startswith("sha256:")


def test_no_secret_in_the_plan_file_or_any_output(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan_file = project / "next.plan.json"
    for output in FORMATS:
        planned, shown = _saved_and_shown([], output, plan_file, capsys)
        for text in (planned.out, planned.err, shown.out, shown.err, plan_file.read_text(encoding="utf-8")):
            assert NEW_PASSWORD not in text
            assert PASSWORD not in text
    assert "(sensitive, changed)" in plan_file.read_text(encoding="utf-8")


@pytest.mark.parametrize("output", FORMATS)
def test_a_partial_plan_shows_as_partial(
    output: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    planned, shown = _saved_and_shown(["--only", PHONE], output, project / "partial.json", capsys)
    assert shown.out == planned.out
    assert PHONE in shown.out
    assert "ranking" not in shown.out
    assert "artial" in shown.out  # "Partial plan" in text and markdown, "partial": true in JSON


def test_show_colours_only_on_a_terminal(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    plan_file = project / "next.plan.json"
    _saved_and_shown([], "text", plan_file, capsys)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    def shown(*extra: str) -> str:
        stream = Terminal()
        with monkeypatch.context() as patch:
            patch.setattr(sys, "stdout", stream)
            assert main(["show", str(plan_file), *extra]) == 0
        return stream.getvalue()

    assert "\x1b[" in shown()
    assert "\x1b[" not in shown("--no-color")
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in shown()


# --- bad plan files -----------------------------------------------------------------------------


def test_show_of_a_file_that_is_not_json_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('{"format_version": 1,', encoding="utf-8")
    result = run(["show", str(bad)], capsys)
    assert result.code == 1
    assert result.out == ""
    assert result.err.startswith("Error: ")
    assert "Traceback" not in result.err


def test_show_of_another_format_version_names_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "future.json"
    bad.write_text('{"format_version": 99}\n', encoding="utf-8")
    result = run(["show", str(bad)], capsys)
    assert result.code == 1
    assert "99" in result.err
    assert "Traceback" not in result.err


def test_show_of_a_plan_missing_a_field_names_the_field(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan_file = project / "next.plan.json"
    _saved_and_shown([], "json", plan_file, capsys)
    document = json.loads(plan_file.read_text(encoding="utf-8"))
    del document["changes"]
    content = {k: v for k, v in document.items() if k != "plan_id"}
    document["plan_id"] = sha256_of(content)  # re-digested: only the missing field is wrong
    plan_file.write_text(json.dumps(document), encoding="utf-8")
    result = run(["show", str(plan_file)], capsys)
    assert result.code == 1
    assert "missing field 'changes'" in result.err
    assert "Traceback" not in result.err


def test_show_of_an_edited_plan_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan_file = project / "next.plan.json"
    _saved_and_shown([], "json", plan_file, capsys)
    document = json.loads(plan_file.read_text(encoding="utf-8"))
    document["changes"] = document["changes"][:1]  # a reviewer would now see less than is applied
    plan_file.write_text(json.dumps(document), encoding="utf-8")
    result = run(["show", str(plan_file)], capsys)
    assert result.code == 1
    assert "the plan file was changed after it was made: its content does not match its plan_id" in result.err
    assert result.out == ""


def test_show_of_a_missing_file_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run(["show", str(tmp_path / "nowhere.json")], capsys)
    assert result.code == 64
    assert "nowhere.json" in result.err


def test_a_plan_file_that_is_not_utf8_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan_file = tmp_path / "plan.json"
    plan_file.write_bytes(b'{"format_version": 1, "plan_id": "\xff"}\n')
    assert main(["show", str(plan_file)]) == 1
    err = capsys.readouterr().err
    assert "Unexpected error" not in err
    assert f"Error: the plan file {plan_file} is not UTF-8 text (byte 0xFF at offset 34)" in err
