"""A throwaway PostgreSQL cluster for the postgres backend's tests.

`pg_cluster` (session fixture) runs `initdb` and `pg_ctl` as a non-root user (when the
tests run as root it creates the system user `syncspecpg`), listens on 127.0.0.1 on a
free port with password authentication, and stops and deletes the cluster at the end.
Tests skip only when no PostgreSQL binary is found; with CI=true they fail instead.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PG_USER = "syncspec"
PG_PASSWORD = "pg-Secret-4711"  # what the tests look for in every output
OS_USER = "syncspecpg"
_WAIT_SECONDS = 60


@dataclass(frozen=True)
class PgCluster:
    host: str
    port: int
    data: Path

    def dsn(self, database: str = "postgres", *, password: str = PG_PASSWORD) -> str:
        return f"postgresql://{PG_USER}:{password}@{self.host}:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A fresh database (its DSN): each test gets tables of its own."""
        import psycopg

        with psycopg.connect(self.dsn(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"'.encode())
        return self.dsn(name)


def find_bin_dir() -> Path | None:
    """The directory holding `initdb` and `pg_ctl`: on PATH, else Debian's versioned folder."""
    found = shutil.which("initdb")
    if found:
        real = Path(found).resolve().parent
        if (real / "pg_ctl").exists():
            return real
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_user() -> list[str]:
    """The command prefix that runs PostgreSQL's tools as a non-root user."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam(OS_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "-r", "-M", "-s", "/bin/false", OS_USER], check=True, timeout=_WAIT_SECONDS
        )
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", OS_USER, "--"]
    return ["su", OS_USER, "-s", "/bin/sh", "-c"]  # pragma: no cover - only without util-linux


def _run(prefix: list[str], command: list[str]) -> subprocess.CompletedProcess[str]:
    if prefix and prefix[0] == "su":
        command = [" ".join(_quote(part) for part in command)]
    return subprocess.run(
        prefix + command, capture_output=True, text=True, timeout=_WAIT_SECONDS, check=False, cwd="/"
    )


def _quote(part: str) -> str:
    return "'" + part.replace("'", "'\\''") + "'"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the postgres tests must run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    bin_dir = find_bin_dir()
    if bin_dir is None:
        _unavailable("no PostgreSQL found (initdb neither on PATH nor under /usr/lib/postgresql/*/bin)")
        raise AssertionError("unreachable")
    prefix = _as_user()
    base = Path(tempfile.mkdtemp(prefix="syncspec-pg-"))
    data = base / "data"
    pwfile = base / "pwfile"
    pwfile.write_text(PG_PASSWORD + "\n", encoding="utf-8")
    if prefix:
        owner = pwd.getpwnam(OS_USER)
        for path in (base, pwfile):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    initdb = [
        str(bin_dir / "initdb"),
        "-D",
        str(data),
        "-U",
        PG_USER,
        f"--pwfile={pwfile}",
        "--auth=scram-sha-256",
        "-E",
        "UTF8",
        "--no-sync",
    ]
    done = _run(prefix, initdb)
    if done.returncode != 0:
        shutil.rmtree(base, ignore_errors=True)
        pytest.fail(f"initdb failed: {done.stderr[-2000:]}")
    port = _free_port()
    options = f"-p {port} -c listen_addresses=127.0.0.1 -k {base} -c fsync=off -c max_connections=100"
    start = [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-o", options, "-w"]
    start += ["-t", str(_WAIT_SECONDS), "start"]
    done = _run(prefix, start)
    if done.returncode != 0:
        log = (base / "log").read_text(errors="replace") if (base / "log").exists() else ""
        shutil.rmtree(base, ignore_errors=True)
        pytest.fail(f"pg_ctl start failed: {done.stderr[-1000:]} {log[-2000:]}")
    try:
        yield PgCluster("127.0.0.1", port, data)
    finally:
        stop = [
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-m",
            "fast",
            "-w",
            "-t",
            str(_WAIT_SECONDS),
            "stop",
        ]
        _run(prefix, stop)
        shutil.rmtree(base, ignore_errors=True)
