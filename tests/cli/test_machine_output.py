"""`apply --output json|jsonl` and `plan --output jsonl|json` through the whole CLI, every line
checked against schemas/output/machine-output.schema.json (docs/machine-output.md)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.cli.project_cli import CliProject, Ran, init_project

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas" / "output"


def _schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return schema


def _valid_stream(done: Ran, command: str) -> list[dict[str, Any]]:
    validator = jsonschema.Draft7Validator(_schema("machine-output.schema.json"))
    lines: list[dict[str, Any]] = [dict(obj) for obj in done.json_lines()]
    for line in lines:
        errors = sorted(validator.iter_errors(line), key=str)
        assert not errors, f"{line}\n{errors[0]}"
    assert lines[0]["type"] == "version" and lines[0]["command"] == command
    assert [line["type"] for line in lines].count("version") == 1
    stamps = [line["@timestamp"] for line in lines]
    assert stamps == sorted(stamps)  # one clock, written in order
    return lines


@pytest.fixture(scope="module")
def fresh_template(tmp_path_factory: pytest.TempPathFactory) -> CliProject:
    return init_project(tmp_path_factory.mktemp("machine-template"))


@pytest.fixture
def fresh(fresh_template: CliProject, tmp_path: Path) -> CliProject:
    return fresh_template.copy_to(tmp_path / "project")


@pytest.mark.parametrize("output", ["json", "jsonl"])
def test_apply_streams_versioned_events_that_match_the_schema(fresh: CliProject, output: str) -> None:
    done = fresh.run("apply", "--auto-approve", "--output", output)
    assert done.code == 0, done
    lines = _valid_stream(done, "apply")
    types = [line["type"] for line in lines]
    assert types[-1] == "apply_done" and lines[-1]["result"] == "succeeded"
    # the session's notes are events too (they still go to stderr as text)
    notes = [line for line in lines if line["type"] == "note"]
    assert notes and all(line["@message"] in done.err for line in notes)
    added = {line["connection"]: line["steps"] for line in lines if line["type"] == "steps_added"}
    assert set(added) == {"demo-norway", "demo-sweden"}


def test_apply_json_reports_a_refusal_as_an_error_event(fresh: CliProject) -> None:
    (fresh.root / "broken.plan.json").write_text("{not json", encoding="utf-8")
    done = fresh.run("apply", "broken.plan.json", "--output", "json")
    assert done.code == 1, done
    lines = _valid_stream(done, "apply")
    (error,) = [line for line in lines if line["type"] == "error"]
    assert error["@level"] == "error" and "not valid JSON" in error["@message"]
    assert "not valid JSON" in done.err  # the text on stderr stays


def test_apply_json_of_a_partial_saved_plan_ends_partial(fresh: CliProject) -> None:
    assert fresh.run("plan", "--out", "p.json").code == 0
    done = fresh.run("apply", "p.json", "--output", "json")
    assert done.code == 3, done
    lines = _valid_stream(done, "apply")
    assert lines[-2]["type"] == "apply_done" and lines[-2]["result"] == "partial"
    assert lines[-2]["@level"] == "warn"
    assert lines[-1]["type"] == "note" and "exit 3: partial" in lines[-1]["@message"]


def test_plan_jsonl_streams_changes_and_a_summary(fresh: CliProject) -> None:
    done = fresh.run("plan", "--output", "jsonl")
    assert done.code == 0, done
    lines = _valid_stream(done, "plan")
    document = json.loads(fresh.run("plan", "--output", "json").out)
    changes = [line["change"] for line in lines if line["type"] == "planned_change"]
    assert [c["address"] for c in changes] == [c["address"] for c in document["changes"]]
    summary = lines[-1]
    assert summary["type"] == "change_summary"
    assert summary["total"] == len(document["changes"])
    assert summary["changes"] == {k: v for k, v in document["summary"].items() if k in summary["changes"]}


def test_plan_jsonl_reports_invalid_configuration_as_diagnostics(fresh: CliProject) -> None:
    path = fresh.root / "connections" / "demo-norway" / "connection.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "description: twice\n", encoding="utf-8")
    done = fresh.run("plan", "--output", "jsonl")
    assert done.code == 1, done
    lines = _valid_stream(done, "plan")
    (diagnostic,) = [line for line in lines if line["type"] == "diagnostic"]
    assert diagnostic["diagnostic"]["file"] == "connections/demo-norway/connection.yaml"
    assert lines[-1]["type"] == "error"


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        pytest.param(["-e", "nowhere"], 64, "unknown environment", id="usage"),
        pytest.param(["--only", "connection.nowhere"], 64, "connection.nowhere", id="only"),
    ],
)
def test_plan_json_prints_an_error_document_when_it_fails(
    fresh: CliProject, args: list[str], code: int, says: str
) -> None:
    done = fresh.run("plan", "--output", "json", *args)
    assert done.code == code, done
    document = json.loads(done.out)  # one document, as on success
    jsonschema.validate(document, _schema("plan-error.schema.json"))
    assert says in document["error"]["message"]


def test_plan_json_stays_the_plan_document(fresh: CliProject) -> None:
    done = fresh.run("plan", "--output", "json")
    assert done.code == 0, done
    document = json.loads(done.out)
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", document["plan_id"])
    assert "format_version" in document and "syncspec_version" in document
