"""A value from the environment in a field the tenant shows in clear never reaches PostgreSQL.

The demo connection's `server` is a Text field; taken from `${env:...}` it is a secret, so
the state database holds only its keyed fingerprint. Every row of every syncspec table is
read back as text and searched, whatever table a future version keeps it in.
"""

from __future__ import annotations

from pathlib import Path

import psycopg

from syncspec.state.local import open_state
from tests.cli.project_cli import CliProject, init_project
from tests.state.pg_server import PgCluster, pg_cluster

__all__ = ["pg_cluster"]

SERVER = "https://127.0.0.1:9/erp-pg-Wm3-from-env"


def _rows_as_text(dsn: str) -> str:
    with psycopg.connect(dsn) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'syncspec_%'"
            )
        ]
        assert "syncspec_applied_values" in tables
        return "\n".join(
            str(row)
            for table in tables
            for row in connection.execute(f'SELECT row_to_json(t)::text FROM "{table}" t'.encode())
        )


def test_a_value_from_the_environment_is_only_a_fingerprint_in_postgres(
    tmp_path: Path, pg_cluster: PgCluster
) -> None:
    dsn = pg_cluster.create_database("env_secret")
    project = init_project(tmp_path)
    config = project.root / "syncspec.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "state: {backend: local}", "state: {backend: postgres, dsn: '${env:SYNCSPEC_PG_DSN}'}"
        ),
        encoding="utf-8",
    )
    connection = project.root / "connections" / "demo-norway" / "connection.yaml"
    connection.write_text(
        connection.read_text(encoding="utf-8").replace("${var:erp_server}", "${env:ERP_SERVER}"),
        encoding="utf-8",
    )
    project = CliProject(project.root, {**project.env, "SYNCSPEC_PG_DSN": dsn, "ERP_SERVER": SERVER})
    done = project.run("apply", "--auto-approve")
    assert done.code == 0, done
    assert SERVER not in done.out + done.err

    text = _rows_as_text(dsn)
    assert SERVER not in text
    # reading the records back needs no lock; the tenant names the one a lock would take
    tenant = f"local:{(project.root / '.syncspec' / 'tenant.db').resolve()}"
    state = open_state(project.root, "local", {"backend": "postgres", "dsn": dsn}, tenant=tenant)
    try:
        recorded = state.read_last_applied().values["connection.demo-norway"]["config.server"]
    finally:
        state.close()
    assert str(recorded).startswith("hmac-sha256:") and str(recorded) in text
