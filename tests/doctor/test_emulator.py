"""doctor against syncspec's own emulator on loopback: it runs and reports, whatever is served today.

The emulator is being changed to serve the documented endpoints; this test does not pin what
it serves, only that doctor talks to it over real HTTP, reports every check and exits 0 or 1.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from syncspec.doctor.run import NEEDED_ENDPOINTS
from syncspec.embedded.emulator.server import serve_in_thread
from syncspec.embedded.tenant import Tenant
from syncspec.workspace.doctor import DoctorOptions, run_doctor_command
from tests.support.example import DEMO_PASSWORD
from tests.support.tenants import seed_example_tenant

TOKEN = "doctor-emulator-token-42"

PROJECT = """\
kind: Project
config_dir: connections
environments:
  emulator:
    target: {type: superoffice, url: "${env:EMULATOR_URL}", token: "${env:EMULATOR_TOKEN}"}
"""


def doctor_outputs(tenant_file: Path, project: Path) -> tuple[int, dict[str, str]]:
    outputs = {}
    code = -1
    with Tenant.open(tenant_file) as tenant, serve_in_thread(tenant, token=TOKEN) as url:
        assert url.startswith("http://127.0.0.1:")
        env = {"EMULATOR_URL": url, "EMULATOR_TOKEN": TOKEN}
        for output in ("text", "json"):
            out = io.StringIO()
            options = DoctorOptions(environment="emulator", output=output, timeout=10.0, cwd=project)
            code = run_doctor_command(options, env=env, out=out)
            assert code in (0, 1)
            outputs[output] = out.getvalue()
    return code, outputs


@pytest.mark.parametrize("seeded", [False, True], ids=["empty", "seeded"])
def test_doctor_runs_against_the_emulator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seeded: bool
) -> None:
    (tmp_path / "syncspec.yaml").write_text(PROJECT, encoding="utf-8")
    (tmp_path / "connections").mkdir()
    monkeypatch.delenv("SYNCSPEC_ENV", raising=False)
    tenant_file = tmp_path / "t.db"
    if seeded:  # the demo connector and two connections whose config holds a password
        seed_example_tenant(tenant_file)
    else:
        Tenant.create(tenant_file).close()
    code, outputs = doctor_outputs(tenant_file, tmp_path)
    data = json.loads(outputs["json"])
    statuses = {c["id"]: c["status"] for c in data["checks"]}
    assert statuses["reachable"] == "ok" and statuses["auth"] == "ok"
    assert set(NEEDED_ENDPOINTS) <= set(statuses)
    assert data["ok"] is (code == 0)
    assert "Connection" in outputs["text"]
    everything = outputs["text"] + outputs["json"]
    assert TOKEN not in everything and DEMO_PASSWORD not in everything
