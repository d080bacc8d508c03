"""`syncspec plan` of many connections against an empty embedded tenant: time per change, peak memory.

    python bench/plan_scale.py [--sizes 100,1000] [--profile]

Each size gets the project bench/api_requests.py builds (N copies of demo-norway) with a
`local` target on an empty tenant file, so every connection is planned as a create (its fields
"known after create"). `syncspec plan` runs as a whole process inside a small wrapper that
reports wall time and the child's peak RSS. Prints changes, seconds, milliseconds per change
and peak MiB per size; the bound is the largest size's ms per change over the smallest's
(linear ~1; 1.5 allowed) and 300 MiB at the largest. `--profile` prints the largest size's
cProfile top lines. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_requests import PASSWORD, write_project

LOCAL = "{type: local, path: .syncspec/bench.db}"
WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
open("plan-output.json", "w").write(done.stdout)
print(json.dumps({"seconds": seconds, "peak_kib": peak, "rc": done.returncode, "err": done.stderr[-6000:]}))
"""
PROFILE = (
    "import cProfile, pstats, sys\n"
    "from syncspec.cli.main import main\n"
    "sys.argv = ['syncspec', 'plan', '--output', 'json']\n"
    "profiler = cProfile.Profile()\n"
    "try:\n"
    "    profiler.runcall(main)\n"
    "except SystemExit:\n"
    "    pass\n"
    "pstats.Stats(profiler, stream=sys.stderr).sort_stats('cumulative').print_stats(30)\n"
)


def local_project(root: Path, size: int, env: dict[str, str]) -> None:
    write_project(root, size, "", env)
    path = root / "syncspec.yaml"
    text = re.sub(r"    target: .*", lambda _: f"    target: {LOCAL}", path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")


def measure(root: Path, env: dict[str, str], profile: bool) -> dict[str, object]:
    argv = (
        [sys.executable, "-c", PROFILE]
        if profile
        else [sys.executable, "-m", "syncspec", "plan", "--output", "json"]
    )
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, *argv], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--profile", action="store_true", help="cProfile the largest size")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print(f"{'connections':>11} {'changes':>8} {'seconds':>8} {'ms/change':>10} {'peak MiB':>9}")
    per_change: dict[int, float] = {}
    peaks: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="syncspec-bench-") as tmp:
        work = Path(tmp)
        env = {
            **os.environ,
            "DEMO_ERP_PASSWORD": PASSWORD,
            "XDG_CONFIG_HOME": str(work / "xdg"),
            "NO_COLOR": "1",
        }
        env.pop("SYNCSPEC_ENV", None)
        for size in sizes:
            root = work / f"plan-{size}"
            local_project(root, size, env)
            subprocess.run([sys.executable, "-m", "syncspec", "plan"], cwd=root, env=env, capture_output=True)
            result = measure(root, env, False)
            assert result["rc"] in (0, 2), result["err"]
            changes = len(json.loads((root / "plan-output.json").read_text()).get("changes", []))
            seconds = float(str(result["seconds"]))
            peaks[size] = int(str(result["peak_kib"])) / 1024
            per_change[size] = 1000 * seconds / max(1, changes)
            print(
                f"{size:>11} {changes:>8} {seconds:>8.2f} {per_change[size]:>10.3f} {peaks[size]:>9.0f}",
                flush=True,
            )
            if args.profile and size == max(sizes):
                print(str(measure(root, env, True)["err"]))
    small, large = min(sizes), max(sizes)
    print(
        f"ms per change at {large} / at {small}: {per_change[large] / per_change[small]:.2f} (bound 1.5); "
        f"peak at {large}: {peaks[large]:.0f} MiB (bound 300)"
    )


if __name__ == "__main__":
    main()
