"""`syncspec drift` through the whole CLI: no record yet, no drift, and a change made outside syncspec."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.project_cli import CliProject, converged_project, deactivate_outside_syncspec, init_project


@pytest.fixture(scope="module")
def converged_template(tmp_path_factory: pytest.TempPathFactory) -> CliProject:
    return converged_project(tmp_path_factory.mktemp("drift-template"))


@pytest.fixture
def converged(converged_template: CliProject, tmp_path: Path) -> CliProject:
    return converged_template.copy_to(tmp_path / "project")


def test_without_a_recorded_apply_drift_is_an_error_with_a_hint(tmp_path: Path) -> None:
    project = init_project(tmp_path)
    done = project.run("drift")
    assert done.code == 1, done
    assert "no apply is recorded for environment 'local'" in done.err
    assert "hint: run 'syncspec apply' once" in done.err
    assert "Traceback" not in done.err


def test_no_drift_exits_0(converged: CliProject) -> None:
    done = converged.run("drift")
    assert done.code == 0, done
    assert "No drift" in done.out


def test_a_change_made_outside_syncspec_exits_2_and_names_its_address(converged: CliProject) -> None:
    deactivate_outside_syncspec(converged, "demo-norway")
    done = converged.run("drift")
    assert done.code == 2, done
    assert "connection.demo-norway" in done.out
    assert "demo-sweden" not in done.out
    as_json = converged.run("drift", "--output", "json")
    assert as_json.code == 2, as_json
    changes = json.loads(as_json.out)["changes"]
    assert {c["address"] for c in changes} == {"connection.demo-norway"}
    assert {c["reason"]["kind"] for c in changes} == {"drift"}


def test_a_configuration_edit_is_not_drift(converged: CliProject) -> None:
    path = converged.root / "connections" / "demo-sweden" / "connection.yaml"
    source = path.read_text(encoding="utf-8")
    (line,) = [line for line in source.splitlines() if line.startswith("description: ")]
    path.write_text(source.replace(line, "description: edited in git"), encoding="utf-8")
    assert converged.run("plan", "--detailed-exitcode").code == 2
    done = converged.run("drift")
    assert done.code == 0, done
