from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from syncspec.cli.main import COMMANDS, main
from syncspec.targets.snapshot import load_snapshot

PROJECT = """\
kind: Project
config_dir: connections
default_environment: test
environments:
  test:
    target: {type: local, path: .syncspec/test.db}
  prod:
    target: {type: superoffice, url: "https://127.0.0.1:9/Cust1", token: "${env:SO_TOKEN}"}
"""


@pytest.fixture(autouse=True)
def registered(monkeypatch: pytest.MonkeyPatch) -> None:
    # until main.py's COMMANDS lists it (the line is proposed in the report)
    monkeypatch.setitem(
        COMMANDS, "metadata", ("syncspec.cli.metadata_cmd", "metadata", "Pull tenant metadata.")
    )


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "syncspec.yaml").write_text(PROJECT, encoding="utf-8")
    (tmp_path / "connections").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SYNCSPEC_ENV", raising=False)
    return tmp_path


def test_pull_writes_the_snapshot_and_prints_one_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["metadata", "pull", "-e", "test"]) == 0
    out, err = capsys.readouterr()
    path = project / ".syncspec" / "metadata" / "test.json"
    snapshot = load_snapshot(path)
    assert out.count("\n") == 1
    assert re.fullmatch(
        r"Wrote \.syncspec/metadata/test\.json: 0 connectors, 0 connections, \d+ CRM fields, \d+ CRM lists; "
        r"digest sha256:[0-9a-f]{64}\n",
        out,
    ), out
    assert snapshot.digest in out
    assert snapshot.target == f"local:{(project / '.syncspec' / 'test.db').resolve()}"
    assert "created a new local tenant" in err  # the one-line note, on stderr
    # a second pull of the unchanged tenant: same digest, no note
    assert main(["metadata", "pull"]) == 0
    out2, err2 = capsys.readouterr()
    assert snapshot.digest in out2 and err2 == ""


def test_pull_out_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["metadata", "pull", "--out", "meta.json"]) == 0
    doc = json.loads((project / "meta.json").read_text(encoding="utf-8"))
    assert doc["format_version"] == 1 and "Wrote meta.json:" in capsys.readouterr().out


def test_unreachable_target_exits_1_with_a_clear_message(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Port 9 (discard) on loopback: nothing listens, so the connection is refused at once.
    monkeypatch.setenv("SO_TOKEN", "not-a-real-token")
    assert main(["metadata", "pull", "-e", "prod"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "Error: GetAllConnectors: cannot connect to https://127.0.0.1:9/Cust1" in err
    assert "not-a-real-token" not in err
    assert "Traceback" not in err
    assert not (project / ".syncspec" / "metadata").exists()


def test_a_broken_tenant_file_exits_1(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / ".syncspec").mkdir()
    (project / ".syncspec" / "test.db").write_bytes(b"not a database" * 200)
    assert main(["metadata", "pull"]) == 1
    err = capsys.readouterr().err
    assert "not a tenant file" in err and "Traceback" not in err


def test_without_a_project_file_the_default_environment_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SYNCSPEC_ENV", raising=False)
    assert main(["metadata", "pull"]) == 0
    assert (tmp_path / ".syncspec" / "metadata" / "default.json").is_file()
    assert (tmp_path / ".syncspec" / "tenant.db").is_file()


def test_the_snapshot_is_owner_only(project: Path) -> None:
    import stat

    assert main(["metadata", "pull", "-e", "test"]) == 0
    path = project / ".syncspec" / "metadata" / "test.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [p.name for p in path.parent.iterdir()] == ["test.json"]  # no temporary file left
