"""The plan/apply jobs through the real CLI: one state backend per environment, closed after."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from syncspec.workspace import state_open
from tests.cli.project_cli import init_project
from tests.cli.test_fleet import fleet_project


class _Counting:
    """Wraps the real opener: records every backend opened and whether it was closed."""

    def __init__(self) -> None:
        self.opened: list[Any] = []
        self.closed: list[Any] = []
        self.real = state_open.open_environment_state

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        backend = self.real(*args, **kwargs)
        self.opened.append(backend)
        close = backend.close

        def closing() -> None:
            self.closed.append(backend)
            close()

        backend.close = closing
        return backend


def test_a_single_environment_apply_opens_one_state_backend_and_closes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = init_project(tmp_path)
    counting = _Counting()
    monkeypatch.setattr(state_open, "open_environment_state", counting)
    done = project.run("apply", "--auto-approve")
    assert done.code == 0, done
    assert len(counting.opened) == 1  # the session's; the applier uses it too
    assert counting.closed == counting.opened


def test_a_fleet_runs_the_single_environment_job_into_each_environments_block(tmp_path: Path) -> None:
    project = fleet_project(tmp_path, ["east", "west"])
    single = project.run("plan", "--no-color", "-e", "east")
    fleet = project.run("plan", "--no-color", "-e", "*")
    assert single.code == fleet.code == 0, fleet
    assert "note: plan on 2 environments" in fleet.err  # really a fleet run
    assert single.out.strip() in fleet.out  # the same job: the fleet adds headings and a summary
