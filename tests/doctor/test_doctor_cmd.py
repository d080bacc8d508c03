"""`syncspec doctor` as a command: the environment's settings, output forms, exit codes, golden text."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from syncspec.cli.main import main
from syncspec.workspace.doctor import DoctorOptions, run_doctor_command
from tests.doctor.tenants import BASE, TOKEN, DocumentedTenant
from tests.golden import assert_golden

GOLDEN = Path(__file__).resolve().parent / "golden"

PROJECT = f"""\
kind: Project
config_dir: connections
default_environment: test
environments:
  test:
    target: {{type: local, path: .syncspec/test.db}}
  prod:
    target: {{type: superoffice, url: "{BASE}", token: "${{env:SO_TOKEN}}"}}
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "syncspec.yaml").write_text(PROJECT, encoding="utf-8")
    (tmp_path / "connections").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SYNCSPEC_ENV", raising=False)
    monkeypatch.delenv("SO_TOKEN", raising=False)
    return tmp_path


def run(project: Path, tenant: DocumentedTenant, output: str = "text") -> tuple[int, str]:
    out = io.StringIO()
    options = DoctorOptions(environment="prod", output=output, timeout=5.0, cwd=project)
    code = run_doctor_command(options, env={"SO_TOKEN": TOKEN}, out=out, transport=tenant.transport())
    return code, out.getvalue()


def test_text_output_of_a_documented_tenant(project: Path, update_goldens: bool) -> None:
    code, text = run(project, DocumentedTenant())
    assert code == 0
    assert TOKEN not in text
    assert_golden(GOLDEN / "documented-tenant.txt", text, update_goldens)


def test_text_output_of_a_tenant_without_the_agent(project: Path, update_goldens: bool) -> None:
    code, text = run(project, DocumentedTenant(refuse_agent=403, status_for={"MDOList.crmfields": 404}))
    assert code == 1
    assert_golden(GOLDEN / "agent-refused.txt", text, update_goldens)


def test_json_output_and_exit_1_when_something_is_missing(project: Path) -> None:
    code, text = run(project, DocumentedTenant(status_for={"MDOList.crmfields": 404}), output="json")
    assert code == 1
    data = json.loads(text)
    assert data["ok"] is False and data["environment"] == "prod"
    assert [c["id"] for c in data["checks"] if c["status"] == "fail"] == ["MDOList.crmfields"]


def test_an_embedded_tenant_is_a_usage_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["doctor", "-e", "test"]) == 64
    err = capsys.readouterr().err
    assert "doctor checks a SuperOffice REST tenant" in err and "'local' target" in err
    assert not (project / ".syncspec" / "test.db").exists()  # nothing was opened or created


def test_a_missing_token_variable_is_a_clear_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["doctor", "-e", "prod"]) == 1
    err = capsys.readouterr().err
    assert "needs the environment variable SO_TOKEN" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (
            '{type: superoffice, url: "http://127.0.0.1:9/x", ca_bundle: missing.pem}',
            "cannot use the CA bundle",
        ),
        (
            '{type: superoffice, url: "http://127.0.0.1:9/x", ticket: abc}',
            "unknown superoffice target settings",
        ),
        ("{type: superoffice}", "a superoffice target needs a url"),
    ],
)
def test_unusable_target_settings_are_clear_errors(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    target: str,
    message: str,
) -> None:
    project = f"kind: Project\nconfig_dir: connections\nenvironments:\n  prod:\n    target: {target}\n"
    (tmp_path / "syncspec.yaml").write_text(project, encoding="utf-8")
    (tmp_path / "connections").mkdir()
    monkeypatch.chdir(tmp_path)
    assert main(["doctor", "-e", "prod"]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_bad_options_are_usage_errors(project: Path) -> None:
    assert main(["doctor", "--output", "xml"]) == 64
    assert main(["doctor", "--timeout", "0"]) == 64


def test_doctor_is_listed_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "doctor" in capsys.readouterr().out
