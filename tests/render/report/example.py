"""The repository's example project (syncspec.yaml and connections/) as the report's input."""

from __future__ import annotations

from pathlib import Path

from syncspec.model.desired import DesiredState
from syncspec.spec.validate import validate

ROOT = Path(__file__).resolve().parents[3]


def example_desired() -> DesiredState:
    run = validate([], cwd=ROOT, environment=None, env={"DEMO_ERP_PASSWORD": "not-used"})
    assert not run.report.errors, run.report.diagnostics
    assert run.desired is not None
    return run.desired
