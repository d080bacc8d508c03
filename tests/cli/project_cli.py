"""A project made by `syncspec init`, and the whole CLI (`syncspec.cli.main.main`) run inside it.

`run` goes through the real entry point, error boundary included, with stdin, stdout,
stderr and the environment isolated by click's test runner (stdin is then no terminal).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from syncspec.cli.main import main
from syncspec.embedded.tenant import InProcessAgent, Tenant

PASSWORD = "demo-password"


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str

    def json_lines(self) -> list[dict[str, object]]:
        """stdout as JSON lines; fails if any line is not one JSON object."""
        objects = []
        for line in self.out.splitlines():
            value = json.loads(line)
            assert isinstance(value, dict), line
            objects.append(value)
        return objects

    def __str__(self) -> str:  # shown by failing asserts
        return f"exit {self.code}\n--- stdout\n{self.out[-4000:]}\n--- stderr\n{self.err[-4000:]}"


@dataclass(frozen=True)
class CliProject:
    root: Path
    env: dict[str, str]

    @property
    def db(self) -> Path:
        return self.root / ".syncspec" / "tenant.db"

    @property
    def state_dir(self) -> Path:
        return self.root / ".syncspec" / "state" / "local"

    def run(self, *args: str, stdin: str = "") -> Ran:
        runner = CliRunner()
        overrides: dict[str, str | None] = {
            "SYNCSPEC_ENV": None,
            "SYNCSPEC_PLAN_KEY": None,
            "NO_COLOR": "1",
            **self.env,
        }
        before = Path.cwd()
        os.chdir(self.root)
        try:
            with runner.isolation(input=stdin, env=overrides) as (out, err, _):
                code = main(list(args))
                sys.stdout.flush()  # the wrappers buffer; what is not flushed is not in getvalue()
                sys.stderr.flush()
                return Ran(code, out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8"))
        finally:
            os.chdir(before)

    def journal(self) -> list[dict[str, object]]:
        path = self.state_dir / "journal.jsonl"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

    def agent(self) -> tuple[InProcessAgent, Tenant]:
        """The project's tenant, opened directly: for changes made 'outside syncspec'."""
        tenant = Tenant.open(self.db)
        return InProcessAgent(tenant), tenant

    def copy_to(self, destination: Path) -> CliProject:
        shutil.copytree(self.root, destination)
        return CliProject(destination, dict(self.env))


def deactivate_outside_syncspec(project: CliProject, name: str) -> None:
    """Untick Active on one connection, the way a user in SuperOffice's GUI would."""
    agent, tenant = project.agent()
    try:
        (connection,) = [c for c in agent.get_all_connections(False) if c.display_name == name]
        assert connection.active
        agent.toggle_erp_connection_active(connection.erp_connection_id)
    finally:
        tenant.close()


def environment(tmp: Path) -> dict[str, str]:
    return {"DEMO_ERP_PASSWORD": PASSWORD, "XDG_CONFIG_HOME": str(tmp / "xdg")}


def init_project(tmp: Path) -> CliProject:
    """`syncspec init` in `tmp/project`; nothing applied yet."""
    bootstrap = CliProject(tmp, environment(tmp))
    done = bootstrap.run("init", "project")
    assert done.code == 0, done
    return CliProject(tmp / "project", bootstrap.env)


def converged_project(tmp: Path) -> CliProject:
    project = init_project(tmp)
    done = project.run("apply", "--auto-approve")
    assert done.code == 0, done
    clean = project.run("plan", "--detailed-exitcode")
    assert clean.code == 0, clean
    return project
