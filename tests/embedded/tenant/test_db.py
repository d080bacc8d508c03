from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from syncspec.embedded.tenant import InProcessAgent, Tenant
from syncspec.embedded.tenant.db import SCHEMA_VERSION, connect, current_version, migrate
from syncspec.model.errors import TargetError
from tests.support.reads import sync_priorities


def test_create_sets_wal_foreign_keys_and_the_current_version(tmp_path: Path) -> None:
    with Tenant.create(tmp_path / "t.db") as tenant:
        db = tenant.raw()
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] > 0
        assert current_version(db) == SCHEMA_VERSION


def test_a_version_1_file_is_migrated_on_open(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = connect(path)
    migrate(db, path, upto=1)
    db.execute("INSERT INTO ErpConnector (DisplayName, URL) VALUES ('old', 'plugin://demo')")
    for guid in ("g-2", "g-1"):
        db.execute(
            "INSERT INTO ErpConnection (ErpConnectorId, DisplayName, ConnectionId) VALUES (1, ?, ?)",
            (guid, guid),
        )
    db.close()
    with Tenant.open(path) as tenant:
        assert current_version(tenant.raw()) == SCHEMA_VERSION
        agent = InProcessAgent(tenant)
        assert sync_priorities(agent) == [1, 2]  # grandfathered: licence and order
        assert [c.name for c in agent.get_all_connectors()] == ["old"]


def test_a_version_2_file_gets_the_agent_side_date_type(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = connect(path)
    migrate(db, path, upto=2)
    db.execute(
        "INSERT INTO CrmField (field_key, crm_actor_type, display_name, field_type, read_only, list_name) "
        "VALUES ('contact.since', 'Contact', 'Since', 'Datetime', 0, '')"
    )
    db.close()
    with Tenant.open(path) as tenant:
        types = [r[0] for r in tenant.raw().execute("SELECT field_type FROM CrmField")]
    assert types == ["Date"]


def test_a_newer_file_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    Tenant.create(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    db.commit()
    db.close()
    with pytest.raises(TargetError, match="newer than this syncspec understands"):
        Tenant.open(path)


def test_open_requires_a_tenant_file_and_create_refuses_to_overwrite(tmp_path: Path) -> None:
    with pytest.raises(TargetError, match="no tenant file here"):
        Tenant.open(tmp_path / "missing.db")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(TargetError, match="not a tenant file"):
        Tenant.open(junk)
    Tenant.create(tmp_path / "t.db").close()
    with pytest.raises(TargetError, match="already exists"):
        Tenant.create(tmp_path / "t.db")
    with (
        Tenant.open_or_create(tmp_path / "t.db") as tenant,
        Tenant.open_or_create(tmp_path / "u.db") as other,
    ):
        assert tenant.path != other.path


def test_catalogue_is_seeded(tmp_path: Path) -> None:
    with Tenant.create(tmp_path / "t.db") as tenant:
        agent = InProcessAgent(tenant)
        fields = {f.key: f for f in agent.crm_field_catalogue()}
        assert fields["contact.id"].read_only and fields["contact.country"].list_name == "country"
        assert fields["contact.udef.credit_limit"].field_type.value == "Double"
        norway = agent.get_mdo_list("country")[0]
        assert (norway.id, norway.name, norway.extra_info) == (1, "Norway", "NO")
        assert [g.name for g in agent.get_mdo_list("usergroup")] == ["Sales", "Support", "Finance"]
