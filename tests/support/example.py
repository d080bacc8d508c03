"""The repository's example project (syncspec.yaml and connections/), copied where a test runs."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEMO_PASSWORD = "demo-password"  # what the example's ${env:DEMO_ERP_PASSWORD} must hold


def copy_example(workdir: Path) -> None:
    """The repository's syncspec.yaml and connections/ into `workdir` (which must exist)."""
    shutil.copyfile(REPO / "syncspec.yaml", workdir / "syncspec.yaml")
    shutil.copytree(REPO / "connections", workdir / "connections")


TENANT_FILE = Path(".syncspec") / "tenant.db"  # the example project's `local` environment
