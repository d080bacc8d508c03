"""Real `syncspec apply` processes on one environment whose state is in PostgreSQL.

One apply holds the lock; a second fails at once naming it; killing the holder with
SIGKILL frees the lock (no `syncspec unlock` needed) and a third apply converges.
"""

from __future__ import annotations

import itertools
import json
import shutil
import signal
from pathlib import Path

from syncspec.state.local import open_state
from tests.apply import processes
from tests.cli.project_cli import PASSWORD, CliProject, init_project
from tests.state.pg_server import PG_PASSWORD, PgCluster, pg_cluster

__all__ = ["pg_cluster"]

_numbers = itertools.count()


def _postgres_project(tmp_path: Path, dsn: str) -> CliProject:
    project = init_project(tmp_path)
    config = project.root / "syncspec.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("state: {backend: local}", "state: {backend: postgres, dsn: '${env:SYNCSPEC_PG_DSN}'}"),
        encoding="utf-8",
    )
    return CliProject(project.root, {**project.env, "SYNCSPEC_PG_DSN": dsn})


def test_sigkill_of_the_holder_frees_the_lock_for_the_next_apply(
    tmp_path: Path, pg_cluster: PgCluster
) -> None:
    dsn = pg_cluster.create_database(f"apply_{next(_numbers)}")
    project = _postgres_project(tmp_path, dsn)
    tenant = f"local:{project.db.resolve()}"
    state = open_state(project.root, "local", {"backend": "postgres", "dsn": dsn}, tenant=tenant)
    try:
        first = processes.start(project, 0.3, "apply", "--auto-approve", name="first")
        try:
            processes.wait_until(lambda: state.current_lock() is not None, "the first apply's lock", first)
            status = state.current_lock()
            assert status is not None and status.lock.pid == first.pid and not status.stale
            second = processes.start(
                project, 0, "apply", "--auto-approve", "--lock-timeout", "0", name="second"
            )
            assert processes.finish(second) == 1, processes.output(project, "second")
            first.send_signal(signal.SIGKILL)
        finally:
            first_code = processes.finish(first)
        assert first_code == -signal.SIGKILL  # it was still applying when killed
        _, second_err = processes.output(project, "second")
        assert f"environment 'local' is locked: lock {status.lock.lock_id}" in second_err
        assert f"(pid {first.pid})" in second_err

        third = processes.start(project, 0, "apply", "--auto-approve", "--lock-timeout", "60", name="third")
        assert processes.finish(third) == 0, processes.output(project, "third")
        assert state.current_lock() is None
        starts = [e["pid"] for e in state.read_journal() if e.get("event") == "apply_start"]
        assert starts == [first.pid, third.pid]
        clean = project.run("plan", "--detailed-exitcode")
        assert clean.code == 0, clean
        history = project.run("history")
        assert history.code == 0 and "incomplete" in history.out, history
        texts = [str(clean), str(history)]
        texts += [part for name in ("first", "second", "third") for part in processes.output(project, name)]
        for text in texts:
            assert PG_PASSWORD not in text and PASSWORD not in text and dsn not in text
    finally:
        state.close()


def test_two_checkouts_in_differently_named_folders_queue_on_the_tenants_lock(
    tmp_path: Path, pg_cluster: PgCluster
) -> None:
    """The lock belongs to the tenant: a second checkout (another folder name, so another
    default `state.project`) of the same repository must not apply beside the first."""
    dsn = pg_cluster.create_database(f"apply_{next(_numbers)}")
    (tmp_path / "a").mkdir()
    first_checkout = _postgres_project(tmp_path / "a", dsn)
    second_root = tmp_path / "b" / "checkout-two"  # logs of "second" go beside it, in b/
    shutil.copytree(first_checkout.root, second_root, ignore=shutil.ignore_patterns(".syncspec"))
    config = second_root / "syncspec.yaml"
    shared = first_checkout.db.resolve()
    config.write_text(
        config.read_text(encoding="utf-8").replace("path: .syncspec/tenant.db", f"path: '{shared}'"),
        encoding="utf-8",
    )
    second_checkout = CliProject(second_root, first_checkout.env)

    def locked_in(checkout: CliProject) -> bool:
        status = checkout.run("lock", "status", "--output", "json")
        assert status.code == 0, status
        return bool(json.loads(status.out)["locked"])

    first = processes.start(first_checkout, 0.3, "apply", "--auto-approve", name="first")
    try:
        processes.wait_until(lambda: locked_in(first_checkout), "the first checkout's lock", first)
        assert locked_in(second_checkout)  # the same tenant: the same lock, seen from the other folder
        second = processes.start(
            second_checkout, 0, "apply", "--auto-approve", "--lock-timeout", "0", name="second"
        )
        assert processes.finish(second) == 1, processes.output(second_checkout, "second")
    finally:
        first_code = processes.finish(first)
    assert first_code == 0, processes.output(first_checkout, "first")
    _, second_err = processes.output(second_checkout, "second")
    assert "environment 'local' is locked" in second_err and f"(pid {first.pid})" in second_err
    clean = second_checkout.run("plan", "--detailed-exitcode")
    assert clean.code == 0, clean  # the first apply converged the shared tenant; nothing interleaved
