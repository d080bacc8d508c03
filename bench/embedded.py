"""`apply` from an empty embedded tenant (a local SQLite file, no network) at two sizes.

    python bench/embedded.py [--sizes 10,100] [--profile]

Each size gets the project bench/api_requests.py builds (N copies of the demo-norway connection)
with a `local` target, and `syncspec apply --auto-approve` runs as a whole process on an empty
tenant file. Prints seconds per size and the ratio of the largest size's time to the smallest's
against the bound (15x for 10x the connections). `--profile` runs the largest size under
cProfile and prints the top lines by cumulative time. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_requests import PASSWORD, run, write_project

LOCAL = "{type: local, path: .syncspec/bench.db}"


def apply_seconds(size: int, work: Path, env: dict[str, str], profile: bool) -> float:
    root = work / f"embedded-{size}"
    write_project(root, size, "", env)
    text = (root / "syncspec.yaml").read_text(encoding="utf-8")
    start = text.index("    target:")
    end = text.index("\n", start)
    (root / "syncspec.yaml").write_text(text[:start] + f"    target: {LOCAL}" + text[end:], encoding="utf-8")
    args = ["apply", "--auto-approve"]
    started = time.perf_counter()
    if profile:
        code, out = run_profiled(root, env, args)
    else:
        code, out = run(root, env, *args)
    seconds = time.perf_counter() - started
    assert code == 0, out[-3000:]
    if profile:
        print(out[-6000:])
    return seconds


def run_profiled(root: Path, env: dict[str, str], args: list[str]) -> tuple[int, str]:
    import subprocess

    script = (
        "import cProfile, pstats, sys\n"
        "from syncspec.cli.main import main\n"
        f"sys.argv = ['syncspec', *{args!r}]\n"
        "profiler = cProfile.Profile()\n"
        "try:\n"
        "    profiler.runcall(main)\n"
        "except SystemExit:\n"
        "    pass\n"
        "pstats.Stats(profiler, stream=sys.stderr).sort_stats('cumulative').print_stats(25)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True)
    return done.returncode, done.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="10,100", help="connection counts, comma-separated")
    parser.add_argument("--profile", action="store_true", help="cProfile the largest size")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    with tempfile.TemporaryDirectory(prefix="syncspec-bench-") as tmp:
        work = Path(tmp)
        env = {
            **os.environ,
            "DEMO_ERP_PASSWORD": PASSWORD,
            "XDG_CONFIG_HOME": str(work / "xdg"),
            "NO_COLOR": "1",
        }
        env.pop("SYNCSPEC_ENV", None)
        times = {}
        for size in sizes:
            times[size] = apply_seconds(size, work, env, args.profile and size == max(sizes))
            print(f"apply from empty, embedded, {size:>4} connections: {times[size]:7.2f} s", flush=True)
        small, large = min(sizes), max(sizes)
        ratio = times[large] / times[small]
        bound = 1.5 * large / small
        print(f"ratio {large} / {small}: {ratio:.1f}x (bound {bound:.0f}x: linear, with 50% slack)")


if __name__ == "__main__":
    main()
