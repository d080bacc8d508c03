"""No function in syncspec/ is more tangled than a newcomer can follow: radon cyclomatic
complexity at most 15 (issue #16). One test per layer, so a failure names the folder to fix.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from radon.complexity import cc_visit
from radon.visitors import Class, Function

PACKAGE = Path(__file__).resolve().parent.parent / "syncspec"
LIMIT = 15


def _functions(blocks: list[Function | Class]) -> list[tuple[str, int]]:
    """Every function, method (radon lists them beside their class) and closure, with its
    qualified name and complexity."""
    found: list[tuple[str, int]] = []
    pending = [(block, block.fullname) for block in blocks if isinstance(block, Function)]
    while pending:
        block, name = pending.pop()
        found.append((name, block.complexity))
        pending.extend((inner, f"{name}.{inner.name}") for inner in block.closures)
    return found


def _over_limit(layer: Path) -> dict[str, int]:
    """`path::qualified.name` -> complexity, for each function of the layer over the limit."""
    found = {}
    for path in sorted(layer.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        for name, complexity in _functions(cc_visit(path.read_text(encoding="utf-8"))):
            if complexity > LIMIT:
                found[f"{relative}::{name}"] = complexity
    return found


LAYERS = sorted(p for p in PACKAGE.iterdir() if p.is_dir() and not p.name.startswith("_"))


@pytest.mark.parametrize("layer", LAYERS, ids=lambda p: p.name)
def test_no_function_is_over_the_complexity_limit(layer: Path) -> None:
    offenders = [f"{key} has complexity {complexity}" for key, complexity in _over_limit(layer).items()]
    assert not offenders, f"over cyclomatic complexity {LIMIT}:\n" + "\n".join(offenders)


def test_the_measure_sees_methods_and_closures() -> None:
    branches = "\n".join(f"        if x == {i}:\n            return {i}" for i in range(16))
    code = f"class A:\n    def m(self, x):\n{branches}\n        return -1\n"
    code += f"def outer(x):\n    def inner(x):\n{branches}\n        return -1\n"
    code += "    return inner(x)\n"
    found = dict(_functions(cc_visit(code)))
    assert found["A.m"] > LIMIT
    assert found["outer.inner"] > LIMIT
    assert found["outer"] <= LIMIT
