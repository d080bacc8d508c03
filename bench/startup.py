"""Start-up of the pre-commit path from a clean virtual environment: one-file `validate` (the click
CLI's and the hook's lean `syncspec-validate`) and `--help` against `python -c pass` in the same venv.

    python bench/startup.py [--venv DIR] [--runs 15]

Without --venv, a new venv is made in a temporary directory and this checkout is installed
into it alone (`pip install .`, its dependencies from the index), so no other site package
is on the import path. Each command runs --runs times as a whole process; medians are
compared. The one file is a Ranking file of a one-connection project (bench/validate.py's
layout), the directory read as context; the hook's own command line (`syncspec-validate
--whole-project --offline ONE`, as .pre-commit-hooks.yaml runs it) is measured too, with a
`syncspec.yaml` added (the whole one-connection project is validated). Bounds:
validate within 4x `python -c pass`, `--help` within 3x. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from validate import write_project

REPO = Path(__file__).resolve().parents[1]
# a local target whose file does not exist: no tenant is reachable and --offline finds no snapshot
PROJECT = """kind: Project
config_dir: connections
default_environment: bench
state: {backend: local}
environments:
  bench:
    target: {type: local, path: .syncspec/tenant.db}
"""


def seconds(argv: list[str], cwd: Path, runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(argv, cwd=cwd, capture_output=True, check=False)
        samples.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"{argv} exited {done.returncode}: {done.stderr.decode()[-800:]}")
    return statistics.median(samples)


def clean_venv(where: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    subprocess.run([str(where / "bin" / "pip"), "install", "-q", str(REPO)], check=True)
    return where


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--venv", type=Path, help="an existing clean venv with syncspec installed")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="syncspec-bench-") as tmp:
        venv = args.venv or clean_venv(Path(tmp) / "venv")
        python = str(venv / "bin" / "python")
        syncspec = str(venv / "bin" / "syncspec")
        root = Path(tmp) / "project"
        root.mkdir()
        write_project(root, 1)
        one = "connections/conn-0000/customer.ranking.yaml"
        floor = seconds([python, "-c", "pass"], root, args.runs)
        validate = seconds([syncspec, "validate", one], root, args.runs)
        lean = seconds([syncspec + "-validate", one], root, args.runs)
        # --whole-project needs a project to find: the same files under a syncspec.yaml
        (root / "syncspec.yaml").write_text(PROJECT, encoding="utf-8")
        hook = seconds([syncspec + "-validate", "--whole-project", "--offline", one], root, args.runs)
        help_ = seconds([syncspec, "--help"], root, args.runs)
    print(f"clean venv {venv}; medians of {args.runs} runs")
    print(f"python -c pass            {floor:.3f} s")
    print(f"syncspec validate ONE     {validate:.3f} s  {validate / floor:.1f}x (bound 4x)")
    print(f"syncspec-validate ONE     {lean:.3f} s  {lean / floor:.1f}x (bound 4x)")
    print(f"  --whole-project --offline {hook:.3f} s  {hook / floor:.1f}x (the hook's command line)")
    print(f"syncspec --help           {help_:.3f} s  {help_ / floor:.1f}x (bound 3x)")


if __name__ == "__main__":
    main()
