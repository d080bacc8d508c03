"""The README's first command works as written (minus the install, which the test run already did)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
INSTALL = re.compile(r"^python -m pip install -e [^&]+&& ")


def _commands() -> list[str]:
    block = README.read_text(encoding="utf-8").split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line and not line.startswith("#")]


def test_readme_opens_with_the_two_commands() -> None:
    first, second = _commands()[:2]
    assert INSTALL.match(first), first
    assert second == "python -m pip install -e '.[dev]' && python -m pytest -q"


@pytest.mark.skipif(shutil.which("syncspec") is None, reason="the syncspec script is not on PATH")
def test_first_command_runs_the_demo_to_a_clean_plan(tmp_path: Path) -> None:
    demo = INSTALL.sub("", _commands()[0])
    env = {k: v for k, v in os.environ.items() if k != "DEMO_ERP_PASSWORD"}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")  # the fingerprint key stays in the test's tmp
    done = subprocess.run(
        ["bash", "-c", demo], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "No changes. The tenant matches the configuration." in done.stdout
    # `init` names the demo ERP's public password in its "Next:" hint; apply and plan never print it.
    leaks = [
        line
        for line in (done.stdout + done.stderr).splitlines()
        if "demo-password" in line and "export DEMO_ERP_PASSWORD=demo-password" not in line
    ]
    assert not leaks
