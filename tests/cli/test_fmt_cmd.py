from __future__ import annotations

from pathlib import Path

import pytest

from syncspec.cli.main import main

UGLY = "name: demo\nkind: Connector\nurl: plugin://demo\n"
CANONICAL = "kind: Connector\nname: demo\nurl: plugin://demo\n"
BROKEN = "kind: Connection\nname: [a, b\nconfig: {}\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    connections = tmp_path / "connections"
    (connections / "visma").mkdir(parents=True)
    (connections / "connectors.yaml").write_text(UGLY, encoding="utf-8")
    (connections / "visma" / "ok.yml").write_text(CANONICAL, encoding="utf-8")
    (connections / "notes.txt").write_text("name: x\nkind: Connector\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_check_lists_files_and_exits_1_without_writing(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fmt", "--check"]) == 1
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "would reformat connections/connectors.yaml",
        "1 file would be reformatted, 1 unchanged",
    ]
    assert (project / "connections" / "connectors.yaml").read_text(encoding="utf-8") == UGLY


def test_check_exits_0_when_everything_is_canonical(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fmt", "--check", "connections/visma/ok.yml"]) == 0
    assert capsys.readouterr().out == "0 files would be reformatted, 1 unchanged\n"


def test_rewrite_in_place_then_check_is_clean(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt"]) == 0
    out = capsys.readouterr().out
    assert out == "reformatted connections/connectors.yaml\n1 file reformatted, 1 unchanged\n"
    assert (project / "connections" / "connectors.yaml").read_text(encoding="utf-8") == CANONICAL
    assert (project / "connections" / "notes.txt").read_text(encoding="utf-8").startswith("name")
    assert main(["fmt", "--check"]) == 0
    assert not list((project / "connections").glob(".*.tmp"))


def test_diff_prints_unified_diff_and_writes_nothing(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fmt", "--diff", "connections/connectors.yaml"]) == 0
    out = capsys.readouterr().out
    assert "--- a/connections/connectors.yaml\n+++ b/connections/connectors.yaml\n" in out
    assert "+kind: Connector\n name: demo\n-kind: Connector\n" in out
    assert (project / "connections" / "connectors.yaml").read_text(encoding="utf-8") == UGLY


def test_syntax_error_is_located_untouched_and_exits_1(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = project / "connections" / "bad.yaml"
    bad.write_text(BROKEN, encoding="utf-8")
    assert main(["fmt"]) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith("connections/bad.yaml:3:7: SS101 expected ',' or ']'")
    assert "Traceback" not in captured.err + captured.out
    assert "1 failed" in captured.out
    assert bad.read_text(encoding="utf-8") == BROKEN


def test_encoding_error_is_located(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    latin = project / "connections" / "latin.yaml"
    latin.write_bytes(b"kind: Connector\nname: caf\xe9\n")
    assert main(["fmt", "--check", str(latin)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("connections/latin.yaml:2:10: SS102 file is not UTF-8 text")
    assert latin.read_bytes() == b"kind: Connector\nname: caf\xe9\n"


def test_missing_path_is_an_error_not_a_traceback(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt", "nope.yaml"]) == 1
    assert capsys.readouterr().err == "nope.yaml: SS100 file not found\n"


def test_config_dir_comes_from_syncspec_yaml(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "syncspec.yaml").write_text("config_dir: conf\nkind: Project\n", encoding="utf-8")
    (project / "conf").mkdir()
    (project / "conf" / "c.yaml").write_text(UGLY, encoding="utf-8")
    assert main(["fmt", "--check"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "would reformat syncspec.yaml",
        "would reformat conf/c.yaml",
        "2 files would be reformatted, 0 unchanged",
    ]


def test_rewrite_keeps_the_file_mode(project: Path) -> None:
    target = project / "connections" / "connectors.yaml"
    target.chmod(0o640)
    assert main(["fmt", str(target)]) == 0
    assert target.stat().st_mode & 0o777 == 0o640


def test_pre_commit_hooks_call_existing_commands() -> None:
    import re

    import yaml

    from syncspec.cli.main import COMMANDS

    hooks_file = Path(__file__).parents[2] / ".pre-commit-hooks.yaml"
    hooks = {hook["id"]: hook for hook in yaml.safe_load(hooks_file.read_text(encoding="utf-8"))}
    assert hooks["syncspec-validate"]["entry"] == "syncspec validate"
    assert hooks["syncspec-fmt"]["entry"] == "syncspec fmt --check"
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is True
        assert re.search(hook["files"], "connections/a.yml")
        assert re.search(hook["files"], "connections/a.yaml")
        assert not re.search(hook["files"], "README.md")
        assert hook["entry"].split()[1] in COMMANDS
