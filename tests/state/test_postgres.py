"""The postgres backend against a real throwaway PostgreSQL: the shared contract, both backends."""

from __future__ import annotations

import glob
import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from syncspec.model.errors import StateError
from syncspec.state.base import LockHeldError, StateBackend
from syncspec.state.local import LocalState, open_state
from syncspec.state.postgres import PostgresState
from tests.state import pg_server
from tests.state.contract import BACKEND_KINDS, CHECKS, NOW
from tests.state.pg_server import PG_PASSWORD, PgCluster, pg_cluster

__all__ = ["pg_cluster"]

_numbers = itertools.count()
OpenBackend = Callable[[str], StateBackend]
TENANT = "local:/tenants/shared.db"


@pytest.fixture
def fresh_dsn(pg_cluster: PgCluster) -> str:
    return pg_cluster.create_database(f"state_{next(_numbers)}")


@pytest.fixture
def open_backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[OpenBackend]:
    """Opens backends of the kind the test is parametrized with; closes them afterwards."""
    kind = request.param
    opened: list[StateBackend] = []
    settings: dict[str, str] = {"backend": kind}
    if kind == "postgres":
        settings |= {"dsn": "${env:TEST_PG_DSN}", "project": "contract"}
        dsn = request.getfixturevalue("fresh_dsn")
    else:
        dsn = ""

    def opener(environment: str) -> StateBackend:
        backend = open_state(tmp_path, environment, settings, environ={"TEST_PG_DSN": dsn}, tenant=TENANT)
        opened.append(backend)
        return backend

    yield opener
    for backend in opened:
        backend.close()


@pytest.mark.parametrize("open_backend", BACKEND_KINDS, indirect=True)
@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_contract(open_backend: OpenBackend, check: Callable[[StateBackend], None]) -> None:
    check(open_backend("test"))


def test_postgres_is_selected_and_keeps_environments_apart(fresh_dsn: str, tmp_path: Path) -> None:
    settings = {"backend": "postgres", "dsn": fresh_dsn, "project": "p"}
    prod = open_state(tmp_path, "prod", settings, tenant="superoffice:https://prod.example")
    test = open_state(tmp_path, "test", settings, tenant="superoffice:https://test.example")
    try:
        assert isinstance(prod, PostgresState)
        prod.append_journal({"event": "apply_start", "apply_id": "a"})
        prod.update_last_applied({"connection.x": {"n": 1}}, plan_id="p1", applied_at=NOW)
        assert test.read_journal() == [] and test.read_last_applied().values == {}
        lock = prod.acquire_lock(command="apply", owner="a", timeout=0, now=NOW)
        other = test.acquire_lock(command="apply", owner="b", timeout=0, now=NOW)  # another tenant
        prod.release_lock(lock)
        test.release_lock(other)
    finally:
        prod.close()
        test.close()


def test_two_projects_on_one_tenant_share_its_lock_but_not_their_rows(fresh_dsn: str, tmp_path: Path) -> None:
    """Two checkouts of one repository in differently named folders: one lock, as the tenant is one."""
    one = open_state(
        tmp_path / "checkout-a", "prod", {"backend": "postgres", "dsn": fresh_dsn}, tenant=TENANT
    )
    two = open_state(
        tmp_path / "checkout-b", "prod", {"backend": "postgres", "dsn": fresh_dsn}, tenant=TENANT
    )
    try:
        held = one.acquire_lock(command="apply", owner="a", timeout=0, now=NOW)
        with pytest.raises(LockHeldError, match=f"is locked: lock {held.lock_id} held by a@") as refused:
            two.acquire_lock(command="apply", owner="b", timeout=0, now=NOW)
        assert refused.value.status.lock == held
        status = two.current_lock()
        assert status is not None and status.lock == held
        one.append_journal({"event": "apply_start", "apply_id": "a"})
        assert two.read_journal() == []  # rows stay the project's own
        one.release_lock(held)
        two.release_lock(two.acquire_lock(command="apply", owner="b", timeout=0, now=NOW))
    finally:
        one.close()
        two.close()


def test_another_environment_on_the_same_tenant_is_named_as_the_holder(
    fresh_dsn: str, tmp_path: Path
) -> None:
    settings = {"backend": "postgres", "dsn": fresh_dsn, "project": "p"}
    staging = open_state(tmp_path, "staging", settings, tenant=TENANT)
    prod = open_state(tmp_path, "prod", settings, tenant=TENANT)
    try:
        held = staging.acquire_lock(command="apply", owner="a", timeout=0, now=NOW)
        with pytest.raises(LockHeldError, match=f"environment 'staging' of tenant {TENANT}") as refused:
            prod.acquire_lock(command="apply", owner="b", timeout=0, now=NOW)
        assert refused.value.status.lock.environment == "staging" == held.environment
    finally:
        staging.close()
        prod.close()


def test_two_tenants_in_one_database_do_not_share_locks(fresh_dsn: str, tmp_path: Path) -> None:
    settings = {"backend": "postgres", "dsn": fresh_dsn, "project": "p"}
    one = open_state(tmp_path, "prod", settings, tenant="local:/tenants/one.db")
    two = open_state(tmp_path, "prod", settings, tenant="local:/tenants/two.db")
    try:
        one.acquire_lock(command="apply", owner="a", timeout=0, now=NOW)
        held = two.acquire_lock(command="apply", owner="b", timeout=0, now=NOW)
        status = two.current_lock()
        assert status is not None and status.lock.lock_id == held.lock_id
    finally:
        one.close()
        two.close()


def test_the_postgres_backend_refuses_to_open_without_a_tenant(fresh_dsn: str, tmp_path: Path) -> None:
    with pytest.raises(StateError, match="was not told which tenant"):
        open_state(tmp_path, "prod", {"backend": "postgres", "dsn": fresh_dsn})


def test_project_defaults_to_the_project_folder_name(fresh_dsn: str, tmp_path: Path) -> None:
    root = tmp_path / "acme-sync"
    state = open_state(root, "prod", {"backend": "postgres", "dsn": fresh_dsn}, tenant=TENANT)
    try:
        assert isinstance(state, PostgresState) and state.project == "acme-sync"
    finally:
        state.close()


def test_dsn_from_the_environment_variable_when_settings_have_none(fresh_dsn: str, tmp_path: Path) -> None:
    state = open_state(
        tmp_path, "prod", {"backend": "postgres"}, environ={"SYNCSPEC_PG_DSN": fresh_dsn}, tenant=TENANT
    )
    try:
        assert isinstance(state, PostgresState)
    finally:
        state.close()


def test_journal_and_last_applied_read_the_same_as_the_local_backend(fresh_dsn: str, tmp_path: Path) -> None:
    local = LocalState(tmp_path / "local", "prod")
    remote = open_state(tmp_path, "prod", {"backend": "postgres", "dsn": fresh_dsn}, tenant=TENANT)
    try:
        for backend in (local, remote):
            backend.append_journal({"event": "apply_start", "apply_id": "a", "at": NOW, "steps": 3})
            backend.append_journal({"event": "step_end", "apply_id": "a", "result": "ok", "detail": None})
            backend.update_last_applied(
                {"connection.a": {"config.server": "hmac-sha256:ab", "list": [1, "x"]}},
                plan_id="p1",
                applied_at=NOW,
            )
        assert remote.read_journal() == local.read_journal()
        assert remote.read_last_applied() == local.read_last_applied()
    finally:
        remote.close()


def test_a_leftover_lock_row_is_not_a_lock_and_can_be_tidied_by_id(fresh_dsn: str, tmp_path: Path) -> None:
    state = open_state(tmp_path, "prod", {"backend": "postgres", "dsn": fresh_dsn}, tenant=TENANT)
    assert isinstance(state, PostgresState)
    try:
        state._db.execute(
            "INSERT INTO syncspec_tenant_locks"
            " VALUES (%s, %s, 'prod', 'dead01', 'ci', 'h', 1, 'apply', %s, 1)",
            (TENANT, state.project, NOW),
        )
        assert state.current_lock() is None
        with pytest.raises(StateError, match="not locked"):
            state.break_lock("other")
        assert state.break_lock("dead01").owner == "ci"
        fresh = state.acquire_lock(command="apply", owner="me", timeout=0, now=NOW)
        status = state.current_lock()
        assert status is not None and status.lock == fresh and not status.stale
    finally:
        state.close()


def test_a_live_lock_cannot_be_broken(fresh_dsn: str, tmp_path: Path) -> None:
    settings = {"backend": "postgres", "dsn": fresh_dsn}
    holder = open_state(tmp_path, "prod", settings, tenant=TENANT)
    other = open_state(tmp_path, "prod", settings, tenant=TENANT)
    try:
        held = holder.acquire_lock(command="apply", owner="a", timeout=0, now=NOW)
        with pytest.raises(StateError, match=f"locked by {held.lock_id}, not nope"):
            other.break_lock("nope")
        with pytest.raises(StateError, match="held by a running process"):
            other.break_lock(held.lock_id)
        holder.close()  # releases what it holds
        assert other.current_lock() is None
        other.release_lock(other.acquire_lock(command="apply", owner="b", timeout=0, now=NOW))
    finally:
        other.close()


@pytest.mark.parametrize(
    ("settings", "environ", "message"),
    [
        ({"backend": "postgres"}, {}, "needs a connection string"),
        ({"backend": "postgres", "dsn": "${env:NOPE_DSN}"}, {}, "NOPE_DSN"),
        ({"backend": "postgres", "dsn": 5}, {}, "must be a string"),
        ({"backend": "postgres", "dsn": "x", "project": " "}, {}, "state.project"),
    ],
)
def test_bad_settings_are_clear_errors(
    tmp_path: Path, settings: dict[str, object], environ: dict[str, str], message: str
) -> None:
    with pytest.raises(StateError, match=message):
        open_state(tmp_path, "prod", settings, environ=environ, tenant=TENANT)


def test_a_wrong_password_or_dead_server_never_shows_the_dsn(pg_cluster: PgCluster, tmp_path: Path) -> None:
    wrong = "Wrong-Pass-0042"
    for dsn, secret in (
        (pg_cluster.dsn(password=wrong), wrong),
        (f"host=127.0.0.1 port=1 user=x password={PG_PASSWORD} connect_timeout=5", PG_PASSWORD),
    ):
        with pytest.raises(StateError) as caught:
            open_state(
                tmp_path,
                "prod",
                {"backend": "postgres", "dsn": "${env:D}"},
                environ={"D": dsn},
                tenant=TENANT,
            )
        shown = f"{caught.value} {caught.value.hint} {caught.value!r}"
        assert "cannot connect" in shown
        assert secret not in shown and dsn not in shown
        assert caught.value.__cause__ is None and caught.value.__suppress_context__


@pytest.mark.parametrize("dsn", ['host=127.0.0.1 password="hu nter2"', "not a dsn password=hunter2"])
def test_a_malformed_dsn_is_not_quoted(tmp_path: Path, dsn: str) -> None:
    with pytest.raises(StateError, match="malformed") as caught:
        open_state(tmp_path, "prod", {"backend": "postgres", "dsn": dsn}, tenant=TENANT)
    shown = f"{caught.value} {caught.value.hint}"
    assert "nter2" not in shown and "hunter" not in shown


def test_describe_names_the_database_but_not_the_password(fresh_dsn: str, tmp_path: Path) -> None:
    state = open_state(
        tmp_path, "prod", {"backend": "postgres", "dsn": fresh_dsn, "project": "p"}, tenant=TENANT
    )
    try:
        assert isinstance(state, PostgresState)
        described = f"{state.describe()} {state.address!r}"
        assert "127.0.0.1" in described and "'p'" in described
        assert PG_PASSWORD not in described
    finally:
        state.close()


def test_no_postgresql_skips_but_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no PostgreSQL"):
        pg_server._unavailable("no PostgreSQL found")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        pg_server._unavailable("no PostgreSQL found")


def test_the_binaries_are_found_on_path_or_in_debians_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    found = pg_server.find_bin_dir()
    assert found is not None and (found / "initdb").exists() and (found / "pg_ctl").exists()
    monkeypatch.setenv("PATH", "/nonexistent")
    debian = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    expected = Path(debian[0]).parent if debian else None
    assert pg_server.find_bin_dir() == expected
