"""Separate OS processes on one environment; migrations run twice and at once."""

from __future__ import annotations

import itertools
import os
import selectors
import signal
import subprocess
import sys
import threading
from pathlib import Path

import psycopg
import pytest

from syncspec.state.pg_schema import LATEST, migrate, schema_version
from tests.state.pg_server import PG_PASSWORD, PgCluster, pg_cluster

__all__ = ["pg_cluster"]

_numbers = itertools.count()
_WAIT = 60.0

# One "runner": takes the environment's lock through the postgres backend and holds it.
RUNNER = """
import sys, time
from pathlib import Path
from syncspec.state.base import LockHeldError
from syncspec.state.local import open_state

owner, timeout, hold = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
TENANT = "local:/tenants/shared.db"
settings = {"backend": "postgres", "dsn": "${env:TEST_PG_DSN}", "project": "p"}
state = open_state(Path("."), "prod", settings, tenant=TENANT)
try:
    lock = state.acquire_lock(command="syncspec apply", owner=owner, timeout=timeout, now="2026-01-01")
except LockHeldError as exc:
    print("HELD", exc.status.lock.lock_id, exc, flush=True)
    sys.exit(3)
print("LOCKED", lock.lock_id, flush=True)
time.sleep(hold)
state.release_lock(lock)
print("RELEASED", flush=True)
"""


@pytest.fixture
def fresh_dsn(pg_cluster: PgCluster) -> str:
    return pg_cluster.create_database(f"procs_{next(_numbers)}")


def _runner(dsn: str, owner: str, *, timeout: float, hold: float) -> subprocess.Popen[str]:
    env = {**os.environ, "TEST_PG_DSN": dsn}
    return subprocess.Popen(
        [sys.executable, "-c", RUNNER, owner, str(timeout), str(hold)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
    )


def _first_line(process: subprocess.Popen[str]) -> str:
    """The process's first stdout line, waiting at most _WAIT seconds."""
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(_WAIT):
            process.kill()
            raise AssertionError("no output from the runner in time")
    return process.stdout.readline().strip()


def test_one_process_holds_the_lock_and_sigkill_releases_it(fresh_dsn: str) -> None:
    first, second = (
        _runner(fresh_dsn, "a", timeout=0, hold=_WAIT),
        _runner(fresh_dsn, "b", timeout=0, hold=_WAIT),
    )
    waiter: subprocess.Popen[str] | None = None
    try:
        lines = {"a": _first_line(first), "b": _first_line(second)}
        winners = [name for name, line in lines.items() if line.startswith("LOCKED")]
        assert len(winners) == 1, lines
        holder, loser = (first, second) if winners == ["a"] else (second, first)
        winner_id = lines[winners[0]].split()[1]
        loser_line = lines["b" if winners == ["a"] else "a"]
        assert loser_line.startswith(f"HELD {winner_id}"), loser_line
        _, loser_err = loser.communicate(timeout=_WAIT)
        assert loser.returncode == 3, loser_err

        waiter = _runner(fresh_dsn, "c", timeout=_WAIT, hold=0)
        assert waiter.poll() is None  # the holder sleeps for _WAIT: the waiter cannot have the lock
        holder.send_signal(signal.SIGKILL)
        holder.wait(_WAIT)
        out, err = waiter.communicate(timeout=_WAIT * 2)
        assert waiter.returncode == 0, err
        assert out.split()[0] == "LOCKED" and "RELEASED" in out
        assert out.split()[1] != winner_id
        for text in (out, err, loser_line, loser_err):
            assert PG_PASSWORD not in text
    finally:
        for process in (first, second, waiter):
            if process is None:
                continue
            if process.poll() is None:
                process.kill()
            process.wait(_WAIT)
            for stream in (process.stdout, process.stderr):
                if stream is not None:
                    stream.close()


def test_migrations_are_idempotent(fresh_dsn: str) -> None:
    with psycopg.connect(fresh_dsn, autocommit=True) as connection:
        assert schema_version(connection) == 0
        assert migrate(connection) == [step for step in range(1, LATEST + 1)]
        assert migrate(connection) == []
        assert schema_version(connection) == LATEST
        # even with the record lost, every step can run again without harm
        connection.execute("DELETE FROM syncspec_schema_version")
        assert migrate(connection) == [step for step in range(1, LATEST + 1)]


def test_migrations_started_at_once_apply_each_step_once(fresh_dsn: str) -> None:
    runners = 6
    barrier = threading.Barrier(runners, timeout=_WAIT)
    applied: list[list[int]] = []
    failures: list[BaseException] = []

    def runner() -> None:
        try:
            with psycopg.connect(fresh_dsn, autocommit=True) as connection:
                barrier.wait()
                applied.append(migrate(connection))
        except BaseException as exc:  # collected: a thread's exception would be lost
            failures.append(exc)

    threads = [threading.Thread(target=runner) for _ in range(runners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(_WAIT)
    assert failures == []
    assert sorted(step for steps in applied for step in steps) == list(range(1, LATEST + 1))
    assert len(applied) == runners
    with psycopg.connect(fresh_dsn, autocommit=True) as connection:
        rows = connection.execute("SELECT version FROM syncspec_schema_version ORDER BY version").fetchall()
    assert [row[0] for row in rows] == list(range(1, LATEST + 1))
