"""`syncspec-validate` (the pre-commit hook's lean entry) answers as `syncspec validate` does.

Every golden validate case, in every format, and the example project whole and offline (what
`.pre-commit-hooks.yaml` runs), valid and broken: the same stdout, the same exit code.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from syncspec.cli.main import main
from syncspec.cli.validate_hook import run
from tests.cli.test_validate_cmd import CASES, FORMATS, _case_args, _case_names, _prepare
from tests.support.example import REPO, copy_example


def _both(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[tuple[int, str], tuple[int, str]]:
    capsys.readouterr()
    click_code = main(["validate", *args])
    click_out = capsys.readouterr().out
    lean_code = run(args)
    lean_out = capsys.readouterr().out
    return (click_code, click_out), (lean_code, lean_out)


@pytest.mark.parametrize("name", _case_names())
@pytest.mark.parametrize("fmt", FORMATS)
def test_each_golden_case_gets_the_same_answer(
    name: str, fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _prepare(CASES / name, tmp_path, monkeypatch)
    click, lean = _both(["--format", fmt, *_case_args(CASES / name)], capsys)
    assert lean == click


@pytest.mark.parametrize("broken", [False, True], ids=["valid", "broken"])
def test_the_hook_command_on_the_example_gets_the_same_answer(
    broken: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    copy_example(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    changed = next(tmp_path.glob("connections/*/connection.yaml"))
    if broken:
        changed.write_text(changed.read_text(encoding="utf-8") + "unknown_key: 1\n", encoding="utf-8")
    click, lean = _both(["--whole-project", "--offline", str(changed.relative_to(tmp_path))], capsys)
    assert lean == click
    assert click[0] == (1 if broken else 0), click[1]


def test_a_usage_error_exits_64_as_the_click_command_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exited:
        run(["--format", "xml"])
    assert exited.value.code == main(["validate", "--format", "xml"]) == 64


def test_the_lean_entry_does_not_import_click(tmp_path: Path) -> None:
    copy_example(tmp_path)
    script = (
        "import sys\n"
        "from syncspec.cli.validate_hook import run\n"
        "code = run(['--whole-project', '--offline', 'syncspec.yaml'])\n"
        "print('click' in sys.modules, code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.stdout.splitlines()[-1] == "False 0", done.stdout + done.stderr
    assert "syncspec-validate" in (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
