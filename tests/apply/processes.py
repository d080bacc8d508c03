"""Applies as separate OS processes (through `slow_agent.py`), and bounded waits on their files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.cli.project_cli import CliProject

REPO = Path(__file__).resolve().parents[2]
SLOW_AGENT = Path(__file__).with_name("slow_agent.py")
WAIT_SECONDS = 60.0  # generous: a loaded CI machine; the tests never assert how long anything took


def start(
    project: CliProject, slow_seconds: float, *args: str, name: str = "child"
) -> subprocess.Popen[bytes]:
    """`syncspec ARGS` in its own process; stdout/stderr go to files beside the project
    (a pipe nobody reads while we poll could fill up and stall the child)."""
    env = {k: v for k, v in os.environ.items() if k != "SYNCSPEC_ENV"}
    env.update(project.env)
    env["PYTHONPATH"] = str(REPO)
    logs = project.root.parent
    with open(logs / f"{name}.out", "wb") as out, open(logs / f"{name}.err", "wb") as err:
        return subprocess.Popen(
            [sys.executable, str(SLOW_AGENT), str(slow_seconds), *args],
            cwd=project.root,
            env=env,
            stdout=out,
            stderr=err,
        )


def output(project: CliProject, name: str = "child") -> tuple[str, str]:
    logs = project.root.parent
    return (
        (logs / f"{name}.out").read_text(encoding="utf-8"),
        (logs / f"{name}.err").read_text(encoding="utf-8"),
    )


def finish(process: subprocess.Popen[bytes]) -> int:
    try:
        return process.wait(timeout=WAIT_SECONDS * 2)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=WAIT_SECONDS)
        raise AssertionError(f"process {process.args} did not finish") from None


def wait_until(
    condition: Callable[[], bool], what: str, process: subprocess.Popen[bytes] | None = None
) -> None:
    """Poll `condition` (bounded); fail early if `process` ends first."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if process is not None and process.poll() is not None:
            raise AssertionError(f"process {process.args} ended (exit {process.returncode}) before {what}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def steps_done(project: CliProject) -> list[dict[str, object]]:
    return [e for e in project.journal() if e["event"] == "step_end" and e.get("result") == "ok"]


def lock_info(project: CliProject) -> dict[str, object]:
    data = json.loads((project.state_dir / "lock.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def has_lock(project: CliProject) -> bool:
    try:
        return bool(lock_info(project).get("lock_id"))
    except (FileNotFoundError, json.JSONDecodeError):
        return False  # absent, or being written this instant
