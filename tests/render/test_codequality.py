"""`validate --format codequality`: the report GitLab's merge-request widget reads."""

from __future__ import annotations

import json
from pathlib import Path

from syncspec.model.diagnostics import Diagnostic, Location, Report, Severity
from syncspec.render.codequality import issue
from syncspec.render.sarif import fingerprint
from tests.cli.project_cli import init_project

# What GitLab requires of each issue (docs: "Code Quality report format").
REQUIRED = {"description", "check_name", "fingerprint", "severity", "location"}
SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def test_a_broken_project_gives_one_issue_per_problem_at_its_file_and_line(tmp_path: Path) -> None:
    project = init_project(tmp_path)
    connection = project.root / "connections" / "demo-norway" / "connection.yaml"
    connection.write_text(connection.read_text().replace("name: demo-norway", "name: demo-norge"))
    ran = project.run("validate", "--no-rules", "--format", "codequality")
    assert ran.code == 1, ran
    issues = json.loads(ran.out)
    assert isinstance(issues, list) and issues
    for found in issues:
        assert set(found) >= REQUIRED
        assert found["severity"] in SEVERITIES
        assert (
            isinstance(found["location"]["lines"]["begin"], int) and found["location"]["lines"]["begin"] >= 1
        )
        assert not found["location"]["path"].startswith("/")
    unknown = [i for i in issues if i["check_name"] == "SS207"]
    assert "connections/demo-norway/customer.mappings.yaml" in {i["location"]["path"] for i in unknown}
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_a_valid_project_gives_an_empty_report(tmp_path: Path) -> None:
    ran = init_project(tmp_path).run("validate", "--no-rules", "--format", "codequality")
    assert ran.code == 0, ran
    assert json.loads(ran.out) == []


def test_severity_and_fingerprint_follow_the_diagnostic() -> None:
    error = Diagnostic(Severity.ERROR, "SS207", "unknown", Location("a.yaml", 4, 2), hint="did you mean b?")
    note = Diagnostic(Severity.INFO, "SS321", "skipped", None)
    assert issue(error)["severity"] == "major" and issue(note)["severity"] == "info"
    assert issue(error)["fingerprint"] == fingerprint(error)
    assert issue(error)["description"] == "SS207 unknown Hint: did you mean b?"
    assert issue(note)["location"] == {"path": "syncspec.yaml", "lines": {"begin": 1}}
    assert Report((error,), 1).errors == 1
