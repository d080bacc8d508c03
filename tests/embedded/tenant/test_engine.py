from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from syncspec.embedded.tenant import InProcessAgent, Tenant

ROOT = Path(__file__).resolve().parents[3]


def test_two_processes_write_one_file_without_losing_anything(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    Tenant.create(path).close()
    count = 40
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.embedded.tenant.concurrent_writer", str(path), tag, str(count)],
            cwd=ROOT,
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


def _corrupt_every_page_but_the_first(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    for offset in range(page, len(data), page):
        data[offset : offset + page] = b"\xa5" * min(page, len(data) - offset)
    path.write_bytes(bytes(data))


def test_a_corrupt_tenant_file_is_a_clear_error_naming_it(tmp_path: Path) -> None:
    import pytest

    from syncspec.model.errors import TargetError

    path = tmp_path / "t.db"
    with Tenant.create(path) as tenant:
        tenant.raw().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _corrupt_every_page_but_the_first(path)
    with (
        pytest.raises(TargetError) as caught,
        Tenant.open(path) as tenant,
        tenant.call("Read", write=False, licensed=False) as session,
    ):
        session.db.execute("SELECT * FROM Licence").fetchall()
    assert str(caught.value.message).startswith(
        f"{path} is not a valid tenant database (corrupt?): restore it"
    )
    assert "syncspec init" in caught.value.message


def test_the_tenant_file_is_owner_only(tmp_path: Path) -> None:
    import stat

    path = tmp_path / "t.db"
    with Tenant.create(path) as tenant:
        with tenant.call("Write", write=True, licensed=False) as session:
            session.db.execute("DELETE FROM Licence")
        for file in (path, path.with_name("t.db-wal")):  # the -wal file exists while it is open
            assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
    path.chmod(0o644)  # made by an older syncspec: tightened when opened
    Tenant.open(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
