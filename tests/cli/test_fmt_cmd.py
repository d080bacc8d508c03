from __future__ import annotations

import os
import subprocess
import sys
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
    # validate checks whole projects (the files only choose them; tests/ci/test_precommit.py runs it)
    # through the lean entry point (tests/cli/test_validate_hook.py holds it to `syncspec validate`)
    assert hooks["syncspec-validate"]["entry"] == "syncspec-validate --whole-project --offline"
    assert hooks["syncspec-fmt"]["entry"] == "syncspec fmt --check"
    fmt = hooks["syncspec-fmt"]
    assert re.search(fmt["files"], "connections/a.yml")
    assert re.search(fmt["files"], "infra/crm/connections/a.yaml")
    assert re.search(fmt["files"], "syncspec.yaml")
    assert not re.search(fmt["files"], ".pre-commit-config.yaml")
    assert not re.search(fmt["files"], ".github/workflows/ci.yml")
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is True
        assert hook["require_serial"] is True
    assert hooks["syncspec-fmt"]["entry"].split()[1] in COMMANDS
    pyproject = (hooks_file.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert 'syncspec-validate = "syncspec.cli.validate_hook:entry_point"' in pyproject


def _run_syncspec(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # a separate process: should fmt block on a FIFO, the timeout fails the test instead of hanging it
    return subprocess.run(
        [sys.executable, "-m", "syncspec", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_symlink_loop_is_a_located_error_not_a_crash(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    connections = project / "connections"
    (connections / "loop-a.yaml").symlink_to("loop-b.yaml")
    (connections / "loop-b.yaml").symlink_to("loop-a.yaml")
    assert main(["fmt", "--check"]) == 1
    captured = capsys.readouterr()
    assert "Unexpected error" not in captured.err
    assert (
        "connections/loop-a.yaml: SS100 cannot read the file: Too many levels of symbolic links"
        in captured.err
    )
    assert main(["fmt", "--check", "connections/loop-b.yaml"]) == 1
    assert "connections/loop-b.yaml: SS100" in capsys.readouterr().err


def test_fifos_and_devices_named_yaml_are_skipped_with_a_note(project: Path) -> None:
    connections = project / "connections"
    os.mkfifo(connections / "pipe.yaml")
    (connections / "zero.yaml").symlink_to("/dev/zero")
    done = _run_syncspec(project, "fmt")
    assert done.returncode == 0, done.stderr
    assert "connections/pipe.yaml:1:1: SS100 skipped: a FIFO (named pipe), not a regular file" in done.stderr
    assert "connections/zero.yaml:1:1: SS100 skipped: a device file, not a regular file" in done.stderr
    assert done.stdout.splitlines()[-1] == "1 file reformatted, 1 unchanged, 2 skipped"
    named = _run_syncspec(project, "fmt", "--check", "connections/pipe.yaml")
    assert named.returncode == 0 and "skipped: a FIFO" in named.stderr


def test_a_file_over_the_size_limit_is_refused_like_validate_refuses_it(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from syncspec.spec.loading.limits import DEFAULT_LIMITS

    big = project / "connections" / "big.yaml"
    big.write_text("kind: Connector\n" + "#" * DEFAULT_LIMITS.max_bytes + "\n", encoding="utf-8")
    assert main(["fmt", "--check", "connections/big.yaml"]) == 1
    err = capsys.readouterr().err
    assert "connections/big.yaml:1:1: SS106 file is larger than the 10 MiB limit; it was not read" in err


def test_nesting_past_validates_limit_is_refused_with_its_code(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deep = project / "connections" / "deep.yaml"
    deep.write_text(
        "kind: Connector\nname:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 80)), encoding="utf-8"
    )
    assert main(["fmt", "--check", "connections/deep.yaml"]) == 1
    assert "connections/deep.yaml:" in (err := capsys.readouterr().err) and " SS107 " in err
