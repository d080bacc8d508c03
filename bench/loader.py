"""Loader benchmark: fast path vs precise path vs PyYAML's CSafeLoader, same files, same run.

    python bench/loader.py [--files 100] [--repeat 5]

Files are synthetic, shaped like real configurations: one connection per file (4 actors x
50 field mappings, 3 lists x 50 items, defaults, rankings; ~36 KB). Prints medians and
ratios against CSafeLoader. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from syncspec.spec.loading.limits import DEFAULT_LIMITS
from syncspec.spec.loading.precise import parse_precise
from syncspec.spec.loading.yamlload import decode, load_file

ACTORS = ("Customer", "Supplier", "Person", "Project")
DIRECTIONS = ("to-crm", "to-erp", "both", "none")


def connection_yaml(n: int) -> str:
    parts = [
        f"kind: Connection\nname: conn-{n}\nconnector: demo-erp\ndescription: Synthetic connection {n}\n"
        "active: true\naccess: everyone\nconfig:\n  server: ${var:erp_server}\n  client: '1001'\n"
        "  password: ${env:ERP_PASSWORD}\nactors:\n" + "".join(f"  {a}: {{sync: true}}\n" for a in ACTORS)
    ]
    for actor in ACTORS:
        rows = "".join(
            f"  F_{actor.upper()}_{f:03d}: {{crm: contact.userdef_{f}, direction: {DIRECTIONS[f % 4]}, "
            f"show_in_search: {str(f % 2 == 0).lower()}, show_in_tab: false}}\n"
            for f in range(50)
        )
        parts.append(f"kind: FieldMappings\nconnection: conn-{n}\nactor: {actor}\nfields:\n{rows}")
    for lst in range(3):
        items = "".join(
            f"  ITEM{i:03d}: CRM list item {i} of list {lst}\n" if i % 10 else f"  ITEM{i:03d}: null\n"
            for i in range(50)
        )
        parts.append(
            f"kind: ListMappings\nconnection: conn-{n}\nactor: Customer\nfield: L{lst}\nitems:\n{items}"
        )
    for actor in ACTORS:
        defaults = "".join(
            f"  F_{actor.upper()}_{f:03d}: {{value: NO, prompt: true}}\n" for f in range(0, 50, 5)
        )
        parts.append(f"kind: Defaults\nconnection: conn-{n}\nactor: {actor}\nfields:\n{defaults}")
        ranks = "".join(f"  - F_{actor.upper()}_{f:03d}\n" for f in range(50))
        parts.append(f"kind: Ranking\nconnection: conn-{n}\nactor: {actor}\norder:\n{ranks}")
    return "---\n".join(parts)


def _median(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for n in range(args.files):
            path = Path(tmp) / f"conn-{n}.yaml"
            path.write_text(connection_yaml(n))
            paths.append(path)
        size = sum(p.stat().st_size for p in paths)

        def fast() -> None:
            for p in paths:
                assert load_file(p).ok

        def precise() -> None:
            for p in paths:
                text, _ = decode(p.read_bytes(), p.name)
                assert not parse_precise(text, p.name, DEFAULT_LIMITS).diagnostics

        def positions() -> None:  # the fast path, then asking where one key of each document is
            for p in paths:
                for doc in load_file(p).documents:
                    doc.origin.locate(("kind",))

        def csafe() -> None:
            for p in paths:
                list(yaml.load_all(p.read_bytes(), Loader=yaml.CSafeLoader))

        rows = [
            ("PyYAML CSafeLoader (baseline)", csafe),
            ("syncspec fast path (load_file)", fast),
            ("syncspec precise path (positions)", precise),
            ("fast path + positions on demand", positions),
        ]
        print(f"{args.files} files, {size / 1e6:.1f} MB, median of {args.repeat}")
        base = None
        for name, run in rows:
            seconds = _median(run, args.repeat)
            base = base or seconds
            print(f"  {name:36s} {seconds * 1000:8.0f} ms   {seconds / base:5.2f}x")


if __name__ == "__main__":
    main()
