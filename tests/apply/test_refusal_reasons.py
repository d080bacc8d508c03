"""A refused connection config: apply says why, in the connector's words, where the tenant can tell.

Real applies through the CLI on the embedded tenant with the demo connector. SuperOffice's
TestConnectionByConfig answers only true or false: on a target read as SuperOffice documents
it, the message says that no reason came and points at the GUI's "Test ERP connection".
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.project_cli import PASSWORD, CliProject, converged_project

NORWAY_CONFIG = Path("connections") / "demo-norway" / "connection.yaml"


def _edit(project: CliProject, path: Path, old: str, new: str) -> None:
    file = project.root / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new), encoding="utf-8")


def _failed_step_errors(project: CliProject) -> list[str]:
    errors = []
    for event in project.journal():
        error = event.get("error")
        if event.get("event") == "step_end" and isinstance(error, str) and error:
            errors.append(error)
    return errors


def test_an_unknown_client_is_named_in_the_apply_output_and_the_journal(tmp_path: Path) -> None:
    project = converged_project(tmp_path)
    _edit(project, NORWAY_CONFIG, "client: 1001", "client: 9999")
    applied = project.run("apply", "--auto-approve")
    assert applied.code == 1, applied
    reason = "Test ERP connection failed: Unknown client 9999: the ERP has clients 1001, 1002, 2001"
    assert reason in applied.out, applied
    assert any(reason in error for error in _failed_step_errors(project)), project.journal()


def test_a_wrong_password_is_named_without_showing_it(tmp_path: Path) -> None:
    project = converged_project(tmp_path)
    wrong = "Wrong-Pass-4471"
    assert wrong != PASSWORD
    refused = CliProject(project.root, {**project.env, "DEMO_ERP_PASSWORD": wrong})
    applied = refused.run("apply", "--auto-approve")
    assert applied.code == 1, applied
    assert "Test ERP connection failed: Login failed for user 'sync': wrong password" in applied.out, applied
    journal = json.dumps(project.journal())
    assert "Login failed for user 'sync'" in journal
    for text in (applied.out, applied.err, journal):
        assert wrong not in text and PASSWORD not in text


def test_a_documented_read_target_says_the_answer_carries_no_reason(tmp_path: Path) -> None:
    project = converged_project(tmp_path)
    _edit(
        project,
        Path("syncspec.yaml"),
        "path: .syncspec/tenant.db}",
        "path: .syncspec/tenant.db, reads: documented}",
    )
    _edit(project, NORWAY_CONFIG, "client: 1001", "client: 9999")
    applied = project.run("apply", "--auto-approve")
    assert applied.code == 1, applied
    assert "TestConnectionByConfig answered false for connection 'demo-norway'" in applied.out
    assert "the answer carries no reason" in applied.out
    assert "'Test ERP connection' on the connection in SuperOffice" in applied.out
    assert "Unknown client" not in applied.out
