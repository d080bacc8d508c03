from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from syncspec.cli.main import cli, main
from syncspec.model.exitcodes import ExitCode
from syncspec.spec.schema.packaged import KINDS, schema_filename, schema_text


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["schema", *args], catch_exceptions=False)


def test_without_kind_it_prints_the_umbrella_schema_exactly() -> None:
    result = run()
    assert result.exit_code == 0, result.output
    assert result.stdout == schema_text(None)
    assert json.loads(result.stdout)["$id"].endswith("/syncspec.schema.json")


@pytest.mark.parametrize("kind", KINDS)
def test_a_kind_prints_its_own_schema(kind: str) -> None:
    result = run(kind)
    assert result.exit_code == 0, result.output
    assert result.stdout == schema_text(kind)


def test_the_kind_may_be_written_in_any_case() -> None:
    assert run("fieldmappings").stdout == schema_text("FieldMappings")


def test_an_unknown_kind_is_a_usage_error_that_lists_the_kinds(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "Connections"]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "unknown kind 'Connections'" in err
    assert ", ".join(KINDS) in err
    assert "Traceback" not in err


def test_main_returns_zero_and_prints_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "Ranking"]) == ExitCode.OK
    assert capsys.readouterr().out == schema_text("Ranking")


def test_out_writes_every_schema_file(tmp_path: Path) -> None:
    out = tmp_path / "editor-schemas"
    result = run("--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "wrote 10 schema file(s)" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(schema_filename(k) for k in (None, *KINDS))
    for kind in (None, *KINDS):
        assert (out / schema_filename(kind)).read_text(encoding="utf-8") == schema_text(kind)


def test_out_with_a_kind_writes_only_that_kind(tmp_path: Path) -> None:
    result = run("Connection", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == ["Connection.schema.json"]


def test_an_unwritable_out_is_a_located_error_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    assert main(["schema", "--out", str(blocker / "schemas")]) == ExitCode.ERROR
    err = capsys.readouterr().err
    assert f"cannot write schemas to {blocker / 'schemas'}" in err
    assert "Traceback" not in err


def test_help_names_the_kinds_and_the_option() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert "--out DIR" in result.stdout
    assert "FieldMappings" in result.stdout
