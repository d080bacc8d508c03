"""`syncspec init`: the scaffold, the files it writes, a tenant ready for apply, refusals."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from syncspec.cli.init_cmd import init
from syncspec.embedded.tenant import Tenant
from syncspec.model.errors import SyncspecError
from syncspec.plan.model import Action
from syncspec.spec.schema.packaged import KINDS, schema_filename, schema_text
from syncspec.spec.validate import validate
from syncspec.workspace.init_project import InitOptions, run_init, scaffold_files
from syncspec.workspace.session import PlanRequest, Session

REPO = Path(__file__).resolve().parents[2]
ENV = {"DEMO_ERP_PASSWORD": "demo-password"}


def run(directory: Path, cwd: Path, *, force: bool = False) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    assert run_init(InitOptions(directory, force), cwd=cwd, out=out, err=err) == 0
    return out.getvalue(), err.getvalue()


def test_the_packaged_example_is_byte_identical_to_connections() -> None:
    packaged = {p.as_posix(): data for p, data in scaffold_files() if p.parts[0] == "connections"}
    repo = {
        p.relative_to(REPO).as_posix(): p.read_bytes()
        for p in sorted((REPO / "connections").rglob("*"))
        if p.is_file()
    }
    assert packaged == repo


def test_init_writes_a_project(tmp_path: Path) -> None:
    out, err = run(Path("demo"), tmp_path)
    root = tmp_path / "demo"
    project = (root / "syncspec.yaml").read_text(encoding="utf-8")
    assert project.startswith("# yaml-language-server: $schema=schemas/Project.schema.json\n")
    assert "  local:\n    target: {type: local, path: .syncspec/tenant.db}\n" in project
    assert "erp_server:" in project
    assert ".syncspec/" in (root / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert (root / "connections" / "demo-norway" / "customer.mappings.yaml").is_file()
    for kind in (None, *KINDS):
        assert (root / "schemas" / schema_filename(kind)).read_text(encoding="utf-8") == schema_text(kind)
    assert (root / ".syncspec" / "tenant.db").is_file()
    assert "cd demo && export DEMO_ERP_PASSWORD=demo-password && syncspec plan" in out
    assert err == ""


def test_the_new_project_validates_and_plans_the_example_as_creates(tmp_path: Path) -> None:
    run(tmp_path / "p", tmp_path)
    root = tmp_path / "p"
    report = validate([], cwd=root, environment=None, env=ENV, missing_env_is_error=True).report
    assert not report.errors, report.diagnostics
    with Session(root, ENV, None, notes=io.StringIO()) as session:
        result = session.make_plan(PlanRequest())
    created = {c.address for c in result.changes if c.action is Action.CREATE}
    assert {"connector.demo-erp", "connection.demo-norway", "connection.demo-sweden"} <= created


def test_a_non_empty_directory_is_refused_unless_forced(tmp_path: Path) -> None:
    root = tmp_path / "busy"
    root.mkdir()
    (root / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(SyncspecError, match="busy is not empty") as caught:
        run(root, tmp_path)
    assert "--force" in caught.value.hint
    assert sorted(p.name for p in root.iterdir()) == ["notes.txt"]

    run(root, tmp_path, force=True)
    assert (root / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert (root / "syncspec.yaml").is_file()


def test_forcing_over_a_project_keeps_its_tenant(tmp_path: Path) -> None:
    run(tmp_path / "p", tmp_path)
    tenant = tmp_path / "p" / ".syncspec" / "tenant.db"
    before = tenant.read_bytes()
    _, err = run(tmp_path / "p", tmp_path, force=True)
    assert "kept the existing tenant .syncspec/tenant.db" in err
    assert tenant.read_bytes() == before
    Tenant.open(tenant).close()


def test_a_file_in_the_way_is_refused(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("", encoding="utf-8")
    with pytest.raises(SyncspecError, match="is not a directory"):
        run(tmp_path / "f", tmp_path)


def test_the_click_command_defaults_to_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(init, [], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Created a syncspec project in . " in result.output
    assert (tmp_path / "syncspec.yaml").is_file()
