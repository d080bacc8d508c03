"""`syncspec state migrate` through the whole CLI: local records into a real PostgreSQL, then used."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from syncspec.cli.main import COMMANDS
from tests.cli.project_cli import PASSWORD, CliProject, converged_project, init_project
from tests.state.pg_server import PG_PASSWORD, PgCluster, pg_cluster

__all__ = ["pg_cluster"]

_numbers = itertools.count()
POSTGRES_STATE = "state: {backend: postgres, dsn: '${env:SYNCSPEC_PG_DSN}'}"


@pytest.fixture(autouse=True)
def commands(monkeypatch: pytest.MonkeyPatch) -> None:
    # the commands as main.py's table names them (registered here until main.py lists them)
    monkeypatch.setitem(COMMANDS, "state", ("syncspec.cli.state_cmd", "state", "Move apply state."))
    monkeypatch.setitem(COMMANDS, "lock", ("syncspec.cli.lock_cmd", "lock", "Show apply locks."))


@pytest.fixture
def dsn(pg_cluster: PgCluster) -> str:
    return pg_cluster.create_database(f"cli_state_{next(_numbers)}")


def use_postgres(project: CliProject, dsn: str) -> CliProject:
    config = project.root / "syncspec.yaml"
    text = config.read_text(encoding="utf-8")
    assert "state: {backend: local}" in text
    config.write_text(text.replace("state: {backend: local}", POSTGRES_STATE), encoding="utf-8")
    return with_dsn(project, dsn)


def with_dsn(project: CliProject, dsn: str) -> CliProject:
    return CliProject(project.root, {**project.env, "SYNCSPEC_PG_DSN": dsn})


def test_migrate_moves_the_records_and_the_project_goes_on_from_them(tmp_path: Path, dsn: str) -> None:
    project = converged_project(tmp_path)
    before = project.run("history", "--output", "json")
    assert before.code == 0, before
    events = len(project.journal())

    moved = with_dsn(project, dsn).run("state", "migrate", "--from", "local", "--to", "postgres")
    assert moved.code == 0, moved
    assert f"Moved {events} journal events" in moved.out
    assert "set state: {backend: postgres}" in moved.out

    remote = use_postgres(project, dsn)
    after = remote.run("history", "--output", "json")
    assert after.code == 0, after
    assert after.out == before.out
    clean = remote.run("plan", "--detailed-exitcode")
    assert clean.code == 0, clean

    again = remote.run("state", "migrate", "--from", "local", "--to", "postgres")
    assert again.code == 1, again
    assert "already has records" in again.err and "nothing was moved" in again.err
    assert remote.run("history", "--output", "json").out == before.out

    for ran in (moved, after, clean, again):
        assert PG_PASSWORD not in str(ran) and PASSWORD not in str(ran)


def test_apply_through_postgres_journals_there(tmp_path: Path, dsn: str) -> None:
    project = use_postgres(init_project(tmp_path), dsn)
    applied = project.run("apply", "--auto-approve")
    assert applied.code == 0, applied
    assert project.journal() == []  # nothing in the local files
    history = project.run("history", "--output", "json")
    assert history.code == 0 and '"result": "succeeded"' in history.out, history
    status = project.run("lock", "status")
    assert status.code == 0 and "is not locked" in status.out, status
    for ran in (applied, history, status):
        assert PG_PASSWORD not in str(ran)


def test_nothing_to_move(tmp_path: Path, dsn: str) -> None:
    project = with_dsn(init_project(tmp_path), dsn)
    done = project.run("state", "migrate", "--from", "local", "--to", "postgres")
    assert done.code == 0, done
    assert "nothing to move" in done.out


def test_a_wrong_password_is_an_error_without_the_password(tmp_path: Path, pg_cluster: PgCluster) -> None:
    wrong = "Not-The-Password-99"
    project = with_dsn(init_project(tmp_path), pg_cluster.dsn(password=wrong))
    done = project.run("state", "migrate", "--from", "local", "--to", "postgres")
    assert done.code == 1, done
    assert "cannot connect" in done.err and "Traceback" not in done.err
    assert wrong not in str(done) and pg_cluster.dsn(password=wrong) not in str(done)


def test_no_dsn_is_a_clear_error(tmp_path: Path) -> None:
    project = init_project(tmp_path)
    done = project.run("state", "migrate", "--from", "local", "--to", "postgres")
    assert done.code == 1, done
    assert "needs a connection string" in done.err and "SYNCSPEC_PG_DSN" in done.err


def test_unknown_backends_are_usage_errors(tmp_path: Path) -> None:
    project = init_project(tmp_path)
    done = project.run("state", "migrate", "--from", "postgres", "--to", "local")
    assert done.code == 64, done
