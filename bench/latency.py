"""A no-op `plan` over a slow link: N connections behind the emulator with injected latency.

    python bench/latency.py [--sizes 10,100] [--latency-ms 100]

Each size gets the project bench/api_requests.py builds (N copies of demo-norway), applied
to an embedded tenant file first (no network), then that file is served by the emulator on
127.0.0.1 with `--latency-ms` added to every request, and `syncspec plan --detailed-exitcode`
runs as a whole process against it (exit 0: nothing to change). Prints seconds and the
requests the emulator logged, against the bounds (10 connections under 3 s, 100 under 15 s at
100 ms) and the round-trip floor: requests x latency / the requests allowed in flight (8). The
same plan at no added latency runs first: "added" is what the latency costs, the rest is the
process's own start-up and CPU (on a shared 2-core machine, most of it).
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_requests import TOKEN, bench_env, counting, project_yaml, run, write_project

from syncspec.embedded.emulator.server import serve_in_thread
from syncspec.embedded.tenant import Tenant

LOCAL = "{type: local, path: .syncspec/bench.db}"
BOUNDS = {10: 3.0, 100: 15.0}
IN_FLIGHT = 8  # the REST agent's default concurrency


def measure(size: int, work: Path, env: dict[str, str], latency_ms: float) -> tuple[float, float, int]:
    """Whole-process seconds of a no-op plan at no added latency and at `latency_ms`; requests."""
    root = work / f"latency-{size}"
    write_project(root, size, "", env)
    path = root / "syncspec.yaml"
    path.write_text(
        re.sub(r"    target: .*", lambda _: f"    target: {LOCAL}", path.read_text()), encoding="utf-8"
    )
    code, out = run(root, env, "apply", "--auto-approve")
    assert code == 0, out[-3000:]
    tenant = Tenant.open(root / ".syncspec" / "bench.db")
    timings: list[float] = []
    requests = 0
    try:
        for latency in (0.0, latency_ms):
            with serve_in_thread(tenant, token=TOKEN, latency_ms=latency) as url, counting() as log:
                path.write_text(project_yaml(url), encoding="utf-8")
                started = time.perf_counter()
                code, out = run(root, env, "plan", "--detailed-exitcode")
                timings.append(time.perf_counter() - started)
                assert code == 0, out[-3000:]
                requests = sum(log.take().values())
    finally:
        tenant.close()
    return timings[0], timings[1], requests


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="10,100")
    parser.add_argument("--latency-ms", type=float, default=100.0)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print(f"no-op plan, emulator on 127.0.0.1 with {args.latency_ms:g} ms per request; whole-process seconds")
    print(
        f"{'connections':>11} {'requests':>9} {'0 ms s':>7} {'seconds':>8} {'added s':>8} "
        f"{'floor s':>8} {'bound s':>8}"
    )
    with tempfile.TemporaryDirectory(prefix="syncspec-bench-") as tmp:
        work = Path(tmp)
        env = bench_env(work)
        for size in sizes:
            base, seconds, requests = measure(size, work, env, args.latency_ms)
            floor = requests * args.latency_ms / 1000 / IN_FLIGHT
            bound = BOUNDS.get(size, float("nan"))
            added = seconds - base
            print(
                f"{size:>11} {requests:>9} {base:>7.2f} {seconds:>8.2f} {added:>8.2f} "
                f"{floor:>8.2f} {bound:>8.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
