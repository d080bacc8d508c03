"""The package's layers (docs/architecture.md) only import downwards; this test keeps it so.

`connectors/` sits below `tenant/` (the tenant calls connectors), and `state/` below `apply/`
(the applier takes locks and writes the journal).
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
    "connectors": {"model"},
    "tenant": {"model", "targets", "connectors"},
    "state": {"model", "spec"},  # spec: ${env:...} in a postgres dsn
    "apply": {"model", "plan", "targets", "state"},
    "render": {"model", "plan", "spec"},
    "doctor": {"model", "targets"},  # targets: the REST target settings, read-only
    "ci": {"model"},  # the Action's steps: syncspec runs as a separate process
    "cli": {
        "model",
        "spec",
        "rules",
        "plan",
        "targets",
        "connectors",
        "tenant",
        "state",
        "apply",
        "render",
        "doctor",
    },
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
    return [(layer, path) for layer in ALLOWED for path in sorted((PACKAGE / layer).rglob("*.py"))]


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
        if parts[0] != "syncspec" or len(parts) < 2 or parts[1] not in ALLOWED:
            continue
        target = parts[1]
        if target != layer and target not in ALLOWED[layer]:
            problems.append(f"line {line}: {layer}/ may not import syncspec.{target}")
    assert not problems, "\n".join(problems)


def test_every_folder_is_a_known_layer() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and not p.name.startswith("_")}
    assert folders <= set(ALLOWED), f"unknown layer folders: {folders - set(ALLOWED)}"
