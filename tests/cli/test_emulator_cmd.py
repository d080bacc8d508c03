"""`syncspec emulator`'s token comes from a file or the environment, never from the command line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from syncspec.model.errors import TargetError
from syncspec.workspace.emulator import TOKEN_ENV, read_token

AGENT = "/api/v1/Agents/ErpSync/"
TOKEN = "file-token-5f1c"


def test_a_token_on_the_command_line_is_a_usage_error() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "syncspec", "emulator", "--token", TOKEN],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 64, run.stderr
    assert "--token" in run.stderr


def test_the_token_file_is_required_of_every_caller_and_never_printed(tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(f"{TOKEN}\nsecond line is ignored\n")
    env = {k: v for k, v in os.environ.items() if k != TOKEN_ENV}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "syncspec",
            "emulator",
            "--db",
            str(tmp_path / "e.db"),
            "--token-file",
            str(token_file),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        url = first.rsplit(" ", 1)[-1].strip()
        assert url.startswith("http://127.0.0.1:"), first
        anonymous = httpx.post(url + AGENT + "GetAllConnectors", json={}, timeout=10)
        bearer = {"Authorization": f"Bearer {TOKEN}"}
        allowed = httpx.post(url + AGENT + "GetAllConnectors", json={}, headers=bearer, timeout=10)
        assert anonymous.status_code == 401
        assert allowed.status_code == 200
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert TOKEN not in first + out + err


def test_the_environment_gives_the_token_when_no_file_is_named() -> None:
    assert read_token(None, {TOKEN_ENV: TOKEN}) == TOKEN
    assert read_token(None, {TOKEN_ENV: ""}) is None
    assert read_token(None, {}) is None


def test_a_file_beats_the_environment(tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(f"  {TOKEN}  \r\n")
    assert read_token(token_file, {TOKEN_ENV: "other"}) == TOKEN


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "cannot read the token file"), (b"\n", "is empty"), (b"\xff\xfe", "not UTF-8")],
    ids=["missing", "empty", "binary"],
)
def test_a_bad_token_file_is_a_clear_error(tmp_path: Path, content: bytes | None, message: str) -> None:
    token_file = tmp_path / "token"
    if content is not None:
        token_file.write_bytes(content)
    with pytest.raises(TargetError, match=message):
        read_token(token_file, {})
