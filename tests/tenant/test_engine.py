from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from syncspec.tenant import InProcessAgent, Tenant

ROOT = Path(__file__).resolve().parents[2]


def test_two_processes_write_one_file_without_losing_anything(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    Tenant.create(path).close()
    count = 40
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.tenant.concurrent_writer", str(path), tag, str(count)], cwd=ROOT
        )
        for tag in ("left", "right")
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    with Tenant.open(path) as tenant:
        assert tenant.raw().execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        names = {c.name for c in InProcessAgent(tenant).get_all_connectors()}
    assert names == {f"{tag}-{n}" for tag in ("left", "right") for n in range(count)}


def test_a_failing_call_rolls_back_and_the_tenant_stays_usable(tmp_path: Path) -> None:
    with Tenant.create(tmp_path / "t.db") as tenant:
        try:
            with tenant.call("Test", write=True) as s:
                s.db.execute("INSERT INTO UserGroup (name) VALUES ('Temp')")
                raise RuntimeError("boom")
        except RuntimeError:
            pass
        groups = InProcessAgent(tenant).get_mdo_list("usergroup")
        assert [g.name for g in groups] == ["Sales", "Support", "Finance"]
