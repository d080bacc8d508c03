"""`syncspec schema --env ENV` through `main([...])`: live metadata, the snapshot fallback, and neither.

Projects are copies of the repository's example with a real embedded tenant seeded by
agent calls (tests/rules/tenant_seed.py); nothing here writes into the checkout.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from syncspec.cli.main import cli, main
from syncspec.model.exitcodes import ExitCode
from syncspec.spec.loading.yamlload import load_file
from syncspec.spec.schema.packaged import KINDS, load_schema, schema_filename, schema_text
from tests.support.example import TENANT_FILE, copy_example
from tests.support.tenants import seed_example_tenant

SECRET = "schema-env-secret"
SO_PROJECT = """\
kind: Project
environments:
  prod:
    target: {type: superoffice, url: "https://127.0.0.1:9/Cust1", token: "${env:SO_TOKEN}"}
"""


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy_example(tmp_path)
    monkeypatch.chdir(tmp_path)
    for name in ("SYNCSPEC_ENV", "SYNCSPEC_TRACEBACK", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DEMO_ERP_PASSWORD", SECRET)
    return tmp_path


@pytest.fixture
def seeded(example: Path) -> Path:
    seed_example_tenant(example / TENANT_FILE)
    return example


def _schema(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["schema", *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert SECRET not in captured.out + captured.err
    return code, captured.out, captured.err


def test_env_prints_the_kind_specialised_to_the_live_tenant(
    seeded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _schema(capsys, "--env", "local", "Ranking")
    assert code == ExitCode.OK
    assert err == "note: schemas specialised to the live metadata of environment 'local'\n"
    schema = json.loads(out)
    assert schema["$id"] == "https://syncspec.dev/schemas/env/local/Ranking.schema.json"
    person = next(b for b in schema["allOf"] if b["if"]["properties"]["actor"]["const"] == "Person")
    assert "PURCHASELIMIT" in person["then"]["properties"]["order"]["items"]["enum"]
    assert out.endswith("}\n") and out != schema_text("Ranking")


def test_env_without_a_kind_prints_the_umbrella(seeded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _schema(capsys, "-e", "local")
    assert code == ExitCode.OK
    umbrella = json.loads(out)
    jsonschema.Draft7Validator.check_schema(umbrella)
    assert "crmFieldContact" in umbrella["definitions"]


def test_env_out_writes_every_file_and_they_accept_the_example(
    seeded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = seeded / "editor-schemas"
    code, out, err = _schema(capsys, "--env", "local", "--out", str(out_dir))
    assert code == ExitCode.OK and out == ""
    assert err.endswith(f"wrote 10 schema file(s) to {out_dir}\n")
    names = sorted(p.name for p in out_dir.iterdir())
    assert names == sorted(schema_filename(kind) for kind in (None, *KINDS))
    schemas = {
        kind: json.loads((out_dir / schema_filename(kind)).read_text(encoding="utf-8"))
        for kind in (None, *KINDS)
    }
    for schema in schemas.values():
        jsonschema.Draft7Validator.check_schema(schema)
    checked = 0
    for path in [seeded / "syncspec.yaml", *sorted((seeded / "connections").rglob("*.yaml"))]:
        for document in load_file(path).documents:
            for kind in (None, document.data["kind"]):
                assert list(jsonschema.Draft7Validator(schemas[kind]).iter_errors(document.data)) == [], path
            checked += 1
    assert checked == 26


def test_env_out_with_a_kind_writes_only_that_kind(seeded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = _schema(capsys, "connection", "--env", "local", "--out", "s")
    assert code == ExitCode.OK
    assert [p.name for p in (seeded / "s").iterdir()] == ["Connection.schema.json"]


def test_the_snapshot_is_used_when_the_tenant_is_absent_and_gives_the_same_schemas(
    seeded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, live, _ = _schema(capsys, "--env", "local")
    assert main(["metadata", "pull", "-e", "local"]) == ExitCode.OK
    capsys.readouterr()
    (seeded / TENANT_FILE).unlink()
    code, offline, err = _schema(capsys, "--env", "local")
    assert code == ExitCode.OK
    assert err == (
        "note: schemas specialised to the metadata snapshot .syncspec/metadata/local.json "
        "(its local tenant file does not exist)\n"
    )
    assert offline == live
    assert not (seeded / TENANT_FILE).exists()  # asking for schemas never creates a tenant


def test_without_tenant_or_snapshot_it_exits_1_with_a_pull_hint(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _schema(capsys, "--env", "rehearsal", "Ranking")
    assert code == ExitCode.ERROR and out == ""
    assert err == (
        "Error: no metadata for environment 'rehearsal': its local tenant file does not exist and there is "
        "no snapshot at .syncspec/metadata/rehearsal.json\n"
        "  hint: run 'syncspec metadata pull -e rehearsal' where the tenant is reachable\n"
    )
    assert not (example / ".syncspec" / "rehearsal.db").exists()


def test_an_unreachable_target_falls_back_to_its_snapshot_or_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "syncspec.yaml").write_text(SO_PROJECT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SYNCSPEC_ENV", raising=False)
    code, _, err = _schema(capsys, "--env", "prod")
    assert code == ExitCode.ERROR
    assert err.startswith("Error: no metadata for environment 'prod': its target is unreachable (")
    # a snapshot pulled elsewhere (here: from a seeded local tenant) serves instead
    tenant = tmp_path / "elsewhere.db"
    seed_example_tenant(tenant)
    monkeypatch.setenv("SYNCSPEC_ENV", "prod")
    (tmp_path / "syncspec.yaml").write_text(
        SO_PROJECT + f"  other:\n    target: {{type: local, path: {tenant}}}\n", encoding="utf-8"
    )
    assert main(["metadata", "pull", "-e", "other", "--out", ".syncspec/metadata/prod.json"]) == ExitCode.OK
    capsys.readouterr()
    code, out, err = _schema(capsys, "--env", "prod", "SyncPriority")
    assert code == ExitCode.OK
    assert err.startswith(
        "note: schemas specialised to the metadata snapshot .syncspec/metadata/prod.json (its target"
    )
    assert json.loads(out)["properties"]["order"]["items"]["anyOf"][0] == {
        "enum": ["demo-norway", "demo-sweden"]
    }


def test_an_unknown_environment_is_a_usage_error(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _schema(capsys, "--env", "staging")
    assert code == ExitCode.USAGE and out == ""
    assert "unknown environment 'staging'; known: local, rehearsal" in err


def test_without_env_the_packaged_schema_is_printed_unchanged(
    seeded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a reachable tenant must not change the plain command's output
    code, out, err = _schema(capsys, "Defaults")
    assert (code, out, err) == (ExitCode.OK, schema_text("Defaults"), "")
    assert json.loads(out) == load_schema("Defaults")


def test_help_documents_the_env_option() -> None:
    result = CliRunner().invoke(cli, ["schema", "--help"])
    assert result.exit_code == 0
    assert "-e, --env ENV" in result.stdout and "--out DIR" in result.stdout
