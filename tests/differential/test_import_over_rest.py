"""A tenant configured the way SuperOffice's GUI stores it, imported over the REST API, plans empty.

The tenant is seeded through the target's domain writes with values in CultureDataFormatter form
(`[I:30]`, `[I:1]`), GUIDs and connector defaults as the tenant keeps them; `syncspec import` then
reads it only through the documented endpoints the emulator serves, and the plan of what it wrote
has nothing to do.
"""

from __future__ import annotations

import io
from pathlib import Path

from syncspec.embedded.emulator.server import serve_in_thread
from syncspec.embedded.tenant import Tenant
from syncspec.workspace.importer import ImportOptions, run_import
from syncspec.workspace.session import PlanRequest, Session
from tests.cli.test_import_cmd import IMPORTED_ENV, PASSWORD, new_project
from tests.differential.helpers import TOKEN


def test_a_gui_configured_tenant_imported_over_rest_plans_empty(tmp_path: Path) -> None:
    seeded = new_project(tmp_path)  # the example configuration, seeded GUI-style
    root = tmp_path / "imported"
    root.mkdir()
    env = {"EMULATOR_TOKEN": TOKEN, **IMPORTED_ENV}
    with (
        Tenant.open(seeded / ".syncspec" / "tenant.db") as tenant,
        serve_in_thread(tenant, token=TOKEN) as url,
    ):
        (root / "syncspec.yaml").write_text(
            "kind: Project\nenvironments:\n  live:\n"
            f"    target: {{type: superoffice, url: '{url}', token: '${{env:EMULATOR_TOKEN}}'}}\n",
            encoding="utf-8",
        )
        out, err = io.StringIO(), io.StringIO()
        assert run_import(ImportOptions(root), env=env, out=out, err=err) == 0, err.getvalue()
        with Session(root, env, None, notes=io.StringIO()) as session:
            result = session.make_plan(PlanRequest())
    assert [c.address for c in result.changes] == []
    assert result.unmanaged == ()
    written = "".join(p.read_text(encoding="utf-8") for p in (root / "connections").rglob("*.yaml"))
    assert "kind: Connection" in written and PASSWORD not in written and TOKEN not in written
