"""The package's layers (docs/architecture.md) only import downwards; this test keeps it so.

A layer is a folder of `syncspec/`, or of `syncspec/embedded/` (the embedded SuperOffice: its
connectors, its tenant and the emulator serving it, each a layer of its own). Within it,
`embedded/connectors/` sits below `embedded/tenant/` (the tenant calls connectors), and
`state/` below `apply/` (the applier takes locks and writes the journal). `workspace/` is the composition root
below `cli/`: it opens the project, the environment's target and state, and runs the jobs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "syncspec"

ALLOWED: dict[str, set[str]] = {
    "model": set(),
    "spec": {"model"},
    "rules": {"model", "spec"},
    "plan": {"model", "spec"},
    "targets": {"model"},
    "embedded.connectors": {"model"},
    "embedded.tenant": {"model", "targets", "embedded.connectors"},
    # the REST emulator: the embedded tenant behind SuperOffice's documented wire
    "embedded.emulator": {"model", "targets", "embedded.connectors", "embedded.tenant"},
    "state": {"model", "spec"},  # spec: ${env:...} in a postgres dsn
    "apply": {"model", "plan", "targets", "state"},
    "metadata": {"model", "spec", "rules"},  # rules: the impact of a change is what validate says
    "render": {"model", "plan", "spec", "metadata"},
    "doctor": {"model", "targets"},  # targets: the REST target settings, read-only
    "ci": {"model"},  # the Action's steps: syncspec runs as a separate process
    # the composition root: opens a project's environment and runs one job on it
    "workspace": {
        "model",
        "spec",
        "rules",
        "plan",
        "metadata",
        "targets",
        "embedded.connectors",
        "embedded.tenant",
        "embedded.emulator",
        "state",
        "apply",
        "render",
        "doctor",
    },
    # click only: options into a value, one call into workspace, render (targets, state and
    # the tenant are reached through workspace, never directly)
    "cli": {"model", "spec", "plan", "render", "workspace"},
}
# Only the layers allowed to speak to a terminal may import click.
CLICK_ALLOWED = {"cli", "render"}


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def _layer_modules() -> list[tuple[str, Path]]:
    return [
        (layer, path)
        for layer in ALLOWED
        for path in sorted((PACKAGE / layer.replace(".", "/")).rglob("*.py"))
    ]


def _layer_of(parts: list[str]) -> str:
    """`syncspec.embedded.tenant.db` -> `embedded.tenant`; `syncspec.plan.ops` -> `plan`."""
    if parts[1] == "embedded" and len(parts) > 2:
        return f"embedded.{parts[2]}"
    return parts[1]


@pytest.mark.parametrize(
    ("layer", "path"),
    _layer_modules(),
    ids=lambda v: str(v.relative_to(PACKAGE)) if isinstance(v, Path) else v,
)
def test_module_imports_only_lower_layers(layer: str, path: Path) -> None:
    problems = []
    for line, module in _imports(path):
        parts = module.split(".")
        if parts[0] == "click" and layer not in CLICK_ALLOWED:
            problems.append(f"line {line}: imports click outside cli/ and render/")
        if parts[0] != "syncspec" or len(parts) < 2:
            continue
        target = _layer_of(parts)
        if target not in ALLOWED:
            continue
        if target != layer and target not in ALLOWED[layer]:
            problems.append(f"line {line}: {layer}/ may not import syncspec.{target}")
    assert not problems, "\n".join(problems)


def test_every_folder_is_a_known_layer() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and not p.name.startswith("_")}
    folders.discard("embedded")
    folders |= {f"embedded.{p.name}" for p in (PACKAGE / "embedded").iterdir() if p.is_dir()}
    assert folders <= set(ALLOWED), f"unknown layer folders: {folders - set(ALLOWED)}"
