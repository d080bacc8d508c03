"""`syncspec validate` through `main([...])`: golden cases, the example project, the bad-input corpus.

Each directory under tests/cases/validate/ is a small project plus its expected output in
every format. Optional files: `case.args` (extra arguments, e.g. the one file a pre-commit
hook passes), `case.env` (NAME=value lines set for the run). The project is copied to a
temporary directory first so that no syncspec.yaml above the case (the repository's own)
is found, and nothing the run might write lands in the source tree.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from syncspec.cli.main import main
from tests.golden import assert_golden
from tests.support.example import REPO, copy_example

CASES = REPO / "tests" / "cases" / "validate"
BAD_INPUTS = REPO / "tests" / "spec" / "loading" / "bad_inputs"
FORMATS = ("text", "json", "github", "sarif")
_ENV_REFERENCE = re.compile(r"\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}")
# Variables that change what validate does; a developer's shell must not leak into a case.
_AMBIENT = ("SYNCSPEC_ENV", "SYNCSPEC_TRACEBACK", "NO_COLOR", "DEMO_ERP_PASSWORD")


def _case_names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if p.is_dir())


def _is_case_control(path: Path) -> bool:
    return path.name.startswith(("expected.", "case."))


def _read_env_file(case: Path) -> dict[str, str]:
    env_file = case / "case.env"
    if not env_file.exists():
        return {}
    pairs = {}
    for line in env_file.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            pairs[name.strip()] = value
    return pairs


def _prepare(case: Path, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Copy the case project to `workdir`, chdir there and set exactly the case's variables."""
    for source in case.rglob("*"):
        if source.is_file() and not _is_case_control(source):
            target = workdir / source.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    referenced = set()
    for source in case.rglob("*.y*ml"):
        referenced.update(_ENV_REFERENCE.findall(source.read_text(encoding="utf-8", errors="replace")))
    for name in {*referenced, *_AMBIENT}:
        monkeypatch.delenv(name, raising=False)
    wanted = _read_env_file(case)
    for name, value in wanted.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(workdir)
    return wanted


def _case_args(case: Path) -> list[str]:
    args_file = case / "case.args"
    return args_file.read_text(encoding="utf-8").split() if args_file.exists() else []


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", _case_names())
def test_golden_case(
    name: str,
    fmt: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    update_goldens: bool,
) -> None:
    case = CASES / name
    secrets = _prepare(case, tmp_path, monkeypatch)
    code = main(["validate", "--format", fmt, *_case_args(case)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert captured.err == ""
    for value in secrets.values():
        assert value not in captured.out
    assert_golden(case / f"expected.{fmt}", captured.out, update_goldens)
    if update_goldens and fmt == "text":
        (case / "expected.exit").write_text(f"{code}\n", encoding="utf-8")
    assert code == int((case / "expected.exit").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", _case_names())
def test_golden_json_agrees_with_exit_code_and_sarif(name: str) -> None:
    # The four goldens of a case describe one run: keep them from drifting apart when edited by hand.
    case = CASES / name
    document = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    sarif = json.loads((case / "expected.sarif").read_text(encoding="utf-8"))
    exit_code = int((case / "expected.exit").read_text(encoding="utf-8"))
    assert document["valid"] is (exit_code == 0)
    results = sarif["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == [d["code"] for d in document["diagnostics"]]
    positions = [(d["file"], d["line"] or 0) for d in document["diagnostics"]]
    assert positions == sorted(positions), "diagnostics are sorted by file and line"


def test_every_cross_document_code_has_a_case() -> None:
    from syncspec.model.codes import CODE_TITLES

    cross = {code for code in CODE_TITLES if code.startswith("SS2")}
    seen: set[str] = set()
    for name in _case_names():
        document = json.loads((CASES / name / "expected.json").read_text(encoding="utf-8"))
        seen.update(d["code"] for d in document["diagnostics"])
    assert cross - seen == set()


def test_repository_example_is_clean_with_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A copy, so a tenant file another command left in the checkout cannot switch on live rules.
    copy_example(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SYNCSPEC_ENV", raising=False)
    monkeypatch.setenv("DEMO_ERP_PASSWORD", "s3cret-example")
    assert main(["validate", "--format", "json"]) == 0
    out = capsys.readouterr().out
    document = json.loads(out)
    assert document["diagnostics"] == []
    assert document["files_checked"] == len(list((REPO / "connections").rglob("*.yaml")))
    assert "s3cret-example" not in out


def test_repository_example_without_password_only_warns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    copy_example(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SYNCSPEC_ENV", raising=False)
    monkeypatch.delenv("DEMO_ERP_PASSWORD", raising=False)
    assert main(["validate", "--format", "json"]) == 0
    diagnostics = json.loads(capsys.readouterr().out)["diagnostics"]
    assert diagnostics, "the example reads DEMO_ERP_PASSWORD"
    assert {(d["code"], d["severity"]) for d in diagnostics} == {("SS214", "warning")}
    assert sorted(d["file"] for d in diagnostics) == [
        "connections/demo-norway/connection.yaml",
        "connections/demo-sweden/connection.yaml",
    ]


def _bad_input_files() -> list[Path]:
    return sorted(p for p in BAD_INPUTS.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml"))


@pytest.mark.parametrize("path", _bad_input_files(), ids=lambda p: p.name)
def test_bad_input_gives_a_located_error_and_exit_1(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Outside any project, so only the named file is read.
    target = tmp_path / path.name
    shutil.copyfile(path, target)
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "--format", "json", path.name]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    errors = [d for d in json.loads(captured.out)["diagnostics"] if d["severity"] == "error"]
    assert errors
    for error in errors:
        assert error["file"] == path.name
        assert error["line"] >= 1 and error["column"] >= 1
        assert re.fullmatch(r"SS1\d\d", error["code"])


def test_bad_input_corpus_is_not_empty() -> None:
    assert len(_bad_input_files()) >= 10


def test_text_output_of_a_bad_file_names_file_line_and_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "broken.yaml").write_text("kind: Connector\nname: [a\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "broken.yaml"]) == 1
    first = capsys.readouterr().out.splitlines()[0]
    assert re.match(r"broken\.yaml:\d+:\d+: error SS101 ", first)


def test_missing_path_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "nowhere.yaml"]) == 64
    captured = capsys.readouterr()
    assert "nowhere.yaml" in captured.err
    assert "Traceback" not in captured.out + captured.err


def test_unknown_format_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "--format", "xml"]) == 64
    assert "xml" in capsys.readouterr().err


def test_a_fifo_or_device_named_yaml_is_skipped_with_a_note_never_read(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    connections = tmp_path / "connections"
    connections.mkdir()
    (connections / "connector.yaml").write_text("kind: Connector\nname: demo-erp\nurl: plugin://demo\n")
    os.mkfifo(connections / "pipe.yaml")
    (connections / "zero.yaml").symlink_to("/dev/zero")
    # its own process: were the FIFO opened for reading, the timeout fails the test, not the run
    done = subprocess.run(
        [sys.executable, "-m", "syncspec", "validate"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    shown = done.stdout + done.stderr
    assert done.returncode == 0, shown
    assert "connections/pipe.yaml:1:1: info SS100 skipped: a FIFO (named pipe), not a regular file" in shown
    assert "connections/zero.yaml:1:1: info SS100 skipped: a device file, not a regular file" in shown


def test_whole_project_reports_what_a_change_breaks_in_unchanged_files(tmp_path: Path) -> None:
    """Named files only choose the project: a rename in connection.yaml is reported where it
    breaks the unchanged mappings, and other YAML (a CI workflow) is not validated."""
    from tests.cli.project_cli import init_project

    project = init_project(tmp_path)
    workflow = project.root / "ci.yml"
    workflow.write_text("on: push\n")
    connection = project.root / "connections" / "demo-norway" / "connection.yaml"
    assert project.run("validate", "--whole-project", "--no-rules", str(workflow), "syncspec.yaml").code == 0
    connection.write_text(connection.read_text().replace("name: demo-norway", "name: demo-norge"))
    named_only = project.run("validate", "--no-rules", str(connection))
    whole = project.run("validate", "--whole-project", "--no-rules", str(connection), str(workflow))
    assert whole.code == 1, whole
    assert "connections/demo-norway/customer.mappings.yaml" in whole.out and "SS207" in whole.out
    assert "customer.mappings.yaml" not in named_only.out  # what the old hook saw
    nothing = project.run("validate", "--whole-project", str(tmp_path / "elsewhere.yaml"))
    assert nothing.code == 0 and "no syncspec project among the files" in nothing.out
