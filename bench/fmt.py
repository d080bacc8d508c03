"""`syncspec fmt` on large files: is its cost linear in the file's size?

    python bench/fmt.py [--sizes 0.5,2] [--runs 1] [--checkout DIR]

For each size (MB) and each of two shapes it writes a synthetic file whose keys are out of
canonical order and which carries full-line and end-of-line comments, so fmt has to
rewrite all of it:

* one-document: one FieldMappings document with many fields;
* many-documents: many small FieldMappings documents separated by `---`;
* block-scalars: one document whose fields each carry a three-line `|` block scalar (lines
  fmt must leave exactly as they are).

Each sample runs in its own process (peak RSS of that process) and times three things on
the same text: `format_text` (all of fmt but file I/O), the ruamel.yaml round trip alone
(load + dump: the floor fmt is built on) and PyYAML's C scan + compose (fmt's checks).
It prints seconds per MB and two bounds measured in the same run: time per MB at the
largest size over time per MB at the smallest, and the same for fmt's time over the ruamel
round trip's (which is linear, and measured in the same process right after fmt, so a
machine whose load changes during the run moves both alike). A linear cost keeps both
near 1; a quadratic one makes them about largest/smallest.
`--checkout` measures the `syncspec` package of another source tree (e.g. an older commit
unpacked with `git archive`), for before/after figures. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

SAMPLE = """
import io, json, resource, sys, time
import yaml
from syncspec.spec.formatting.canonical import format_text
from syncspec.spec.formatting.tree import dump_document, load_documents
text = open(sys.argv[1], encoding="utf-8").read()
start = time.perf_counter()
result = format_text(text, display="bench.yaml")
fmt_seconds = time.perf_counter() - start
assert result.changed and not result.diagnostics, result.diagnostics
start = time.perf_counter()
for document in load_documents(text):
    dump_document(document)
ruamel_seconds = time.perf_counter() - start
loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
start = time.perf_counter()
list(yaml.scan(text, Loader=loader)); list(yaml.compose_all(text, Loader=loader))
pyyaml_seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"fmt": fmt_seconds, "ruamel": ruamel_seconds, "pyyaml": pyyaml_seconds, "peak_mib": peak}))
"""

SHAPES = ("one-document", "many-documents", "block-scalars")


def field_block(number: int, *, block_scalar: bool = False) -> str:
    # keys out of canonical order (crm comes first), a comment before each field
    note = (
        f"    note: |\n      first line {number}\n      # not a comment\n      third line\n"
        if block_scalar
        else ""
    )
    return (
        f"  # field {number}: synthetic\n"
        f"  F{number:06}:\n"
        f"    direction: both  # kept on its key\n"
        f"{note}"
        f"    crm: contact.udef.f{number}\n"
        f"    show_in_tab: {'true' if number % 2 else 'false'}\n"
    )


def synthetic(shape: str, megabytes: float) -> str:
    target = int(megabytes * 1024 * 1024)
    parts: list[str] = []
    size = 0
    number = 0
    while size < target:
        if shape in ("one-document", "block-scalars") and not parts:
            parts.append("# one large document\nfields:\n")  # `fields` first: out of order
        elif shape == "many-documents" and number % 20 == 0:
            parts.append("---\nfields:\n")
        block = field_block(number, block_scalar=shape == "block-scalars")
        parts.append(block)
        size += len(block)
        number += 1
        if shape == "many-documents" and number % 20 == 0:
            parts.append(f"kind: FieldMappings\nconnection: c1\nactor: A{number}\n")
    if shape in ("one-document", "block-scalars"):
        parts.append("kind: FieldMappings\nconnection: c1\nactor: Customer\n")
    elif number % 20:
        parts.append(f"kind: FieldMappings\nconnection: c1\nactor: A{number}\n")
    return "".join(parts)


def sample(path: Path, checkout: Path) -> dict[str, float]:
    # `python -c` puts the working directory first on sys.path: its syncspec is the one measured
    done = subprocess.run(
        [sys.executable, "-c", SAMPLE, str(path)], cwd=checkout, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise SystemExit(f"sample failed: {done.stderr[-800:]}")
    figures: dict[str, float] = json.loads(done.stdout)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0.5,2", help="file sizes in MB, comma-separated")
    parser.add_argument("--runs", type=int, default=1, help="samples per size and shape (median)")
    parser.add_argument("--shapes", default=",".join(SHAPES), help="file shapes, comma-separated")
    parser.add_argument("--checkout", type=Path, default=REPO, help="source tree whose syncspec is timed")
    args = parser.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="bench-fmt-") as temp:
        for shape in args.shapes.split(","):
            print(f"{shape}:")
            per_mb: dict[float, float] = {}
            over_ruamel: dict[float, float] = {}
            for megabytes in sizes:
                path = Path(temp) / f"{shape}-{megabytes}.yaml"
                path.write_text(synthetic(shape, megabytes), encoding="utf-8")
                actual = path.stat().st_size / (1024 * 1024)
                runs = [sample(path, args.checkout.resolve()) for _ in range(args.runs)]
                fmt = statistics.median(r["fmt"] for r in runs)
                ruamel = statistics.median(r["ruamel"] for r in runs)
                pyyaml = statistics.median(r["pyyaml"] for r in runs)
                peak = max(r["peak_mib"] for r in runs)
                per_mb[megabytes] = fmt / actual
                over_ruamel[megabytes] = fmt / ruamel
                print(
                    f"  {actual:5.2f} MB: fmt {fmt:7.2f} s ({fmt / actual:6.2f} s/MB), "
                    f"ruamel round trip {ruamel:6.2f} s, PyYAML scan+compose {pyyaml:5.2f} s, "
                    f"fmt / ruamel {fmt / ruamel:4.2f}x, peak {peak:6.0f} MiB"
                )
            smallest, largest = min(sizes), max(sizes)
            ratio = per_mb[largest] / per_mb[smallest]
            relative = over_ruamel[largest] / over_ruamel[smallest]
            print(
                f"  bound: s/MB at {largest:g} MB / s/MB at {smallest:g} MB = {ratio:.2f}; "
                f"(fmt / ruamel) at {largest:g} MB / at {smallest:g} MB = {relative:.2f} "
                f"(linear ~1; quadratic ~{largest / smallest:g})"
            )


if __name__ == "__main__":
    main()
