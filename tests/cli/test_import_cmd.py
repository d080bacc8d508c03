"""`syncspec import` against a real embedded tenant: round trips that plan as no change, secrets, refusals."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from syncspec.cli.import_cmd import import_
from syncspec.embedded.tenant import InProcessAgent, Tenant
from syncspec.model.errors import SyncspecError, UsageError
from syncspec.plan.model import Plan
from syncspec.workspace.importer import ImportOptions, run_import
from syncspec.workspace.init_project import InitOptions, run_init
from syncspec.workspace.session import PlanRequest, Session
from tests.cli.import_seed import seed

PASSWORD = "demo-password"
ENV = {"DEMO_ERP_PASSWORD": PASSWORD}
IMPORTED_ENV = {"DEMO_NORWAY_PASSWORD": "x", "DEMO_SWEDEN_PASSWORD": "x", "DEMO_HOLLAND_PASSWORD": "x"}

HOLLAND = {
    "connection.yaml": """\
kind: Connection
name: demo-holland
connector: demo-erp
description: DemoERP client 2001
active: true
access:
  users: [BOB]
config:
  server: ${var:erp_server}
  client: 2001
  user: admin
  password: ${env:DEMO_ERP_PASSWORD}
  language: nl
  timeout: 120
actors:
  Customer: {sync: false}
  Supplier: {sync: true}
  Person: {sync: false}
  Project: {sync: true}
""",
    "supplier.mappings.yaml": """\
kind: FieldMappings
connection: demo-holland
actor: Supplier
fields:
  SUPPNO: {crm: contact.udef.erp_note, direction: to-crm, show_in_search: true}
  NAME: {crm: contact.name, direction: both, show_in_search: true}
  CURRENCY: {crm: contact.currency, direction: both}
  PAYTERMS: {crm: contact.udef.payment_terms, direction: both}
  LEADTIME: {show_in_tab: true}
  BALANCE: {show_in_tab: true}
""",
    "supplier.lists.yaml": """\
kind: ListMappings
connection: demo-holland
actor: Supplier
field: CURRENCY
items: {NOK: NOK, EUR: EUR}
---
kind: ListMappings
connection: demo-holland
actor: Supplier
field: PAYTERMS
items: {30D: 30 days, 60D: 60 days}
""",
    "supplier.defaults.yaml": """\
kind: Defaults
connection: demo-holland
actor: Supplier
fields:
  CURRENCY: {value: EUR, mandatory: true}
  PAYTERMS: {prompt: true, mandatory: true}
  LEADTIME: {value: 14, prompt: true}
  PREFERRED: {value: true}
""",
    "supplier.ranking.yaml": """\
kind: Ranking
connection: demo-holland
actor: Supplier
order: [BALANCE, LEADTIME, NAME]
""",
    "project.mappings.yaml": """\
kind: FieldMappings
connection: demo-holland
actor: Project
fields:
  PROJNO: {crm: project.number, direction: to-crm, show_in_search: true}
  NAME: {crm: project.name, direction: both}
  PROJECTSTATUS: {crm: project.status, direction: to-crm}
  ENDDATE: {crm: project.enddate, direction: both}
  BUDGET: {crm: project.udef.budget, direction: to-crm}
  BILLABLE: {crm: project.udef.billable, direction: both}
  HOURSSPENT: {show_in_tab: true}
""",
    "project.lists.yaml": """\
kind: ListMappings
connection: demo-holland
actor: Project
field: PROJECTSTATUS
items: {PLANNED: Planned, ACTIVE: In progress, COMPLETED: Completed, CANCELLED: Cancelled, ONHOLD: null}
""",
    "project.defaults.yaml": """\
kind: Defaults
connection: demo-holland
actor: Project
fields:
  PROJECTSTATUS: {value: PLANNED}
  HOURSBUDGET: {value: 100, prompt: true}
  BILLABLE: {value: false}
""",
    "project.ranking.yaml": """\
kind: Ranking
connection: demo-holland
actor: Project
order: [HOURSSPENT, NAME]
""",
}


def make_plan(directory: Path, env: dict[str, str]) -> Plan:
    with Session(directory, env, None, notes=io.StringIO()) as session:
        return session.make_plan(PlanRequest())


def new_project(tmp_path: Path, extra: dict[str, str] | None = None) -> Path:
    """`init`, then the tenant made to match the configuration (plus `extra` files)."""
    root = tmp_path / "seeded"
    run_init(InitOptions(root), cwd=tmp_path, out=io.StringIO(), err=io.StringIO())
    for name, text in (extra or {}).items():
        path = root / "connections" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    with Session(root, ENV, None, notes=io.StringIO()) as session:
        seed(session.target(), session.desired(), env=ENV, vars=session.environment.vars)
    assert make_plan(root, ENV).changes == (), "the seeder did not make the tenant match"
    return root


def importing_project(tmp_path: Path, seeded: Path) -> Path:
    """A second project whose only environment is the seeded project's tenant."""
    root = tmp_path / "imported"
    root.mkdir()
    tenant = (seeded / ".syncspec" / "tenant.db").as_posix()
    (root / "syncspec.yaml").write_text(
        f"kind: Project\nenvironments:\n  live:\n    target: {{type: local, path: '{tenant}'}}\n",
        encoding="utf-8",
    )
    return root


def run(root: Path, **kw: object) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    assert run_import(ImportOptions(root, **kw), env={}, out=out, err=err) == 0  # type: ignore[arg-type]
    return out.getvalue(), err.getvalue()


def every_file(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.suffix in (".yaml", ".json")
    }


def test_the_example_round_trips_with_no_changes_and_no_secret(tmp_path: Path) -> None:
    seeded = new_project(tmp_path)
    root = importing_project(tmp_path, seeded)
    out, err = run(root)

    written = every_file(root / "connections")
    assert "connectors.yaml" in written and "sync-priority.yaml" in written
    assert written["sync-engine.yaml"].endswith("kind: SyncEngine\nautomatic: false\ninterval: 00:05:00\n")
    assert "demo-norway/customer.ranking.yaml" in written
    assert f"Wrote {len(written)} file(s) to connections:" in out
    assert "export DEMO_NORWAY_PASSWORD=...\n  export DEMO_SWEDEN_PASSWORD=..." in out
    assert written["demo-norway/connection.yaml"].count("${env:DEMO_NORWAY_PASSWORD}") == 1
    assert "  'NO': Norway\n" in written["demo-norway/customer.lists.yaml"]
    for text in [out, err, *written.values()]:
        assert PASSWORD not in text

    result = make_plan(root, IMPORTED_ENV)
    assert result.changes == () and result.unmanaged == ()


def test_a_tenant_with_every_feature_round_trips(tmp_path: Path) -> None:
    extra = {f"demo-holland/{name}": text for name, text in HOLLAND.items()}
    extra["sync-priority.yaml"] = "kind: SyncPriority\norder: [demo-holland, demo-norway, demo-sweden]\n"
    seeded = new_project(tmp_path, extra)
    root = importing_project(tmp_path, seeded)
    run(root)

    written = every_file(root / "connections")
    holland = {
        k.removeprefix("demo-holland/"): v for k, v in written.items() if k.startswith("demo-holland/")
    }
    # the tenant auto-maps fields by name (no direction) for the actors the config leaves alone
    assert sorted(holland) == sorted([*HOLLAND, "customer.mappings.yaml", "person.mappings.yaml"])
    assert "access:\n  users: [BOB]\n" in holland["connection.yaml"]
    assert (
        "  Supplier: {sync: true}\n  Person: {sync: false}\n  Project: {sync: true}\n"
        in holland["connection.yaml"]
    )
    assert "  CURRENCY: {value: EUR, mandatory: true}\n" in holland["supplier.defaults.yaml"]
    assert "  LEADTIME: {value: 14, prompt: true}\n" in holland["supplier.defaults.yaml"]
    assert "  PREFERRED: {value: true}\n" in holland["supplier.defaults.yaml"]
    assert "items:\n  PLANNED: Planned\n  ACTIVE: In progress\n" in holland["project.lists.yaml"]
    assert "ONHOLD" not in holland["project.lists.yaml"]
    assert holland["supplier.ranking.yaml"].endswith("order: [BALANCE, LEADTIME]\n")
    assert written["sync-priority.yaml"].endswith("order: [demo-holland, demo-norway, demo-sweden]\n")
    assert all(PASSWORD not in text for text in written.values())

    result = make_plan(root, IMPORTED_ENV)
    assert result.changes == () and result.unmanaged == ()


def test_the_sync_engine_round_trips(tmp_path: Path) -> None:
    extra = {"sync-engine.yaml": "kind: SyncEngine\nautomatic: true\ninterval: 1.02:30:00\n"}
    root = importing_project(tmp_path, new_project(tmp_path, extra))
    run(root)

    written = every_file(root / "connections")
    assert written["sync-engine.yaml"].endswith("kind: SyncEngine\nautomatic: true\ninterval: 1.02:30:00\n")
    result = make_plan(root, IMPORTED_ENV)
    assert result.changes == () and result.unmanaged == ()

    # a change of the switch alone plans only the switch, as a risky change
    (root / "connections" / "sync-engine.yaml").write_text("kind: SyncEngine\nautomatic: false\n")
    (change,) = make_plan(root, IMPORTED_ENV).changes
    assert (change.address, dict(change.before), dict(change.after)) == (
        "sync_engine",
        {"automatic": True},
        {"automatic": False},
    )
    assert "automatic sync off" in change.risk


def test_an_unreadable_interval_is_left_out_with_a_note(tmp_path: Path) -> None:
    seeded = new_project(tmp_path)
    root = importing_project(tmp_path, seeded)
    tenant = Tenant.open(seeded / ".syncspec" / "tenant.db")
    try:
        InProcessAgent(tenant).change_engine_interval("every now and then")
    finally:
        tenant.close()
    out, err = run(root)
    assert every_file(root / "connections")["sync-engine.yaml"].endswith(
        "kind: SyncEngine\nautomatic: false\n"
    )
    assert "'every now and then' is not of the form [d.]hh:mm:ss" in out + err
    result = make_plan(root, IMPORTED_ENV)
    assert result.changes == () and result.unmanaged == ()


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    return importing_project(tmp_path, new_project(tmp_path))


def test_existing_files_are_kept_unless_forced(imported: Path) -> None:
    run(imported)
    target = imported / "connections" / "demo-norway" / "connection.yaml"
    target.write_text("# mine\n", encoding="utf-8")
    with pytest.raises(SyncspecError, match=r"file\(s\) already exist in connections") as caught:
        run(imported)
    assert "--force" in caught.value.hint
    assert target.read_text(encoding="utf-8") == "# mine\n"
    run(imported, force=True)
    assert target.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")


def test_one_connection_writes_its_files_and_no_priority(imported: Path) -> None:
    out, _ = run(imported, connections=("demo-sweden",))
    written = sorted(every_file(imported / "connections"))
    assert "sync-priority.yaml" not in written and "sync-engine.yaml" not in written
    assert not any(p.startswith("demo-norway/") for p in written)
    assert "connectors.yaml" in written and "demo-sweden/connection.yaml" in written
    assert "DEMO_NORWAY_PASSWORD" not in out
    with pytest.raises(UsageError, match="no connection named 'nope'") as caught:
        run(imported, connections=("nope",))
    assert "demo-norway, demo-sweden" in caught.value.hint


def test_out_directory_and_modelines_to_the_projects_schemas(tmp_path: Path) -> None:
    seeded = new_project(tmp_path)
    run(seeded, out=Path("again"))
    written = every_file(seeded / "again")
    assert written["connectors.yaml"].startswith(
        "# yaml-language-server: $schema=../schemas/Connector.schema.json\n"
    )
    assert written["demo-sweden/connection.yaml"].startswith(
        "# yaml-language-server: $schema=../../schemas/Connection.schema.json\n"
    )


def test_the_click_command_passes_its_options(imported: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(imported)
    result = CliRunner().invoke(
        import_, ["--connection", "demo-norway", "--out", "elsewhere", "--force"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "Wrote " in result.output and "elsewhere" in result.output
    assert (imported / "elsewhere" / "demo-norway" / "connection.yaml").is_file()
    assert not (imported / "elsewhere" / "demo-sweden").exists()
