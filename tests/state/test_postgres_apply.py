"""Real `syncspec apply` processes on one environment whose state is in PostgreSQL.

One apply holds the lock; a second fails at once naming it; killing the holder with
SIGKILL frees the lock (no `syncspec unlock` needed) and a third apply converges.
"""

from __future__ import annotations

import itertools
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
    state = open_state(project.root, "local", {"backend": "postgres", "dsn": dsn})
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
