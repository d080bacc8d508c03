"""A fleet `plan` over the emulator: many environments, `--parallelism 1` versus `--parallelism 8`.

Run: python bench/fleet.py [--sizes 1,10,50] [--latency-ms 20] [--repeat 1]

For each size: a project made by `syncspec init` gets that many environments, each with its
own embedded tenant file; the tenants are first brought to the example configuration with a
local fleet apply (no latency), then each is served by its own emulator (`serve_in_thread`,
one server per environment, loopback only, stopped when the size is done) with the injected
latency, and syncspec.yaml is rewritten so every environment is a `superoffice` target at its
emulator. `syncspec plan --all-environments` then runs as a separate process (so the emulators
and the CLI do not share a GIL) with `--parallelism 1` and with `--parallelism 8`, same run,
same tenants. Prints seconds and the ratio. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from syncspec.embedded.emulator.server import serve_in_thread
from syncspec.embedded.tenant import Tenant

TOKEN = "bench-fleet-token"
PASSWORD = "demo-password"
PER_RUN_TIMEOUT = 900.0  # seconds; a stuck run fails the bench instead of hanging it


def syncspec(cwd: Path, env: dict[str, str], *args: str) -> tuple[int, float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "syncspec", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=PER_RUN_TIMEOUT,
        check=False,
    )
    return done.returncode, time.perf_counter() - started, done.stdout + done.stderr


def project_yaml(targets: dict[str, str]) -> str:
    lines = ["kind: Project", "config_dir: connections", "state: {backend: local}", "environments:"]
    for name, target in targets.items():
        lines += [f"  {name}:", f"    target: {target}", "    vars: {erp_server: 'https://erp.example.com'}"]
    return "\n".join(lines) + "\n"


def measure(
    size: int, latency_ms: float, repeat: int, work: Path, env: dict[str, str]
) -> tuple[float, float]:
    """Best-of-`repeat` seconds of a fleet plan at parallelism 1 and 8, over `size` emulators."""
    root = work / f"fleet-{size}"
    code, _, out = syncspec(work, env, "init", root.name)
    assert code == 0, out
    names = [f"customer-{n:03}" for n in range(size)]
    dbs = {name: root / ".syncspec" / "tenants" / f"{name}.db" for name in names}
    local = {name: f"{{type: local, path: .syncspec/tenants/{name}.db}}" for name in names}
    (root / "syncspec.yaml").write_text(project_yaml(local), encoding="utf-8")
    code, _, out = syncspec(root, env, "apply", "--all-environments", "--auto-approve", "--parallelism", "4")
    assert code == 0, out[-3000:]

    with contextlib.ExitStack() as stack:
        remote: dict[str, str] = {}
        for name in names:
            tenant = stack.enter_context(Tenant.open(dbs[name]))
            url = stack.enter_context(serve_in_thread(tenant, token=TOKEN, latency_ms=latency_ms))
            remote[name] = f"{{type: superoffice, url: '{url}', token: '${{env:BENCH_SO_TOKEN}}'}}"
        (root / "syncspec.yaml").write_text(project_yaml(remote), encoding="utf-8")
        times: dict[int, float] = {}
        for parallelism in (1, 8):
            best = float("inf")
            for _ in range(repeat):
                args = (
                    "plan",
                    "--all-environments",
                    "--detailed-exitcode",
                    "--parallelism",
                    str(parallelism),
                )
                code, seconds, out = syncspec(root, env, *args)
                assert code == 0, out[-3000:]  # converged: every environment plans no changes
                best = min(best, seconds)
            times[parallelism] = best
    return times[1], times[8]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="1,10,50", help="environment counts, comma-separated")
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--repeat", type=int, default=1, help="runs per parallelism; the best is kept")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print(f"emulator latency {args.latency_ms:g} ms per request; one emulator per environment;")
    print("`syncspec plan --all-environments` as a process; whole-process seconds, best of", args.repeat)
    print(f"{'environments':>12} {'par. 1 s':>9} {'par. 8 s':>9} {'ratio':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {
            **os.environ,
            "DEMO_ERP_PASSWORD": PASSWORD,
            "BENCH_SO_TOKEN": TOKEN,
            "XDG_CONFIG_HOME": str(work / "xdg"),
            "NO_COLOR": "1",
        }
        env.pop("SYNCSPEC_ENV", None)
        for size in sizes:
            t1, t8 = measure(size, args.latency_ms, args.repeat, work, env)
            print(f"{size:>12} {t1:>9.2f} {t8:>9.2f} {t1 / t8:>5.1f}x", flush=True)


if __name__ == "__main__":
    main()
