"""Fault-injected applies over the emulator: how often does a failed connection end restored?

Run: python bench/restore.py [--trials 12] [--rates 0.1,0.3,0.5] [--seed 0]

A project made by `syncspec init` is applied once fault-free to learn the desired state; the
tenant from before that apply is the base. Each trial copies the base tenant, serves it with the
emulator on 127.0.0.1 with a seeded `FaultPlan` (503 before the call, 500 after it committed, the
connection cut after it committed; no stalls, which only cost the 30 s read timeout), and runs
`syncspec apply --auto-approve` against it in this process. With the faults switched off, every
connection of the desired state is then classified:

- converged: exactly as desired;
- restored: exactly as before the apply;
- mixed: anything else (half-changed, left deactivated, created and left behind).

`--trials` applies in all, taking the rates in turn (trial n: rate n mod 3, seed + n); `--trials
240` is the full sweep (~40 min on a loaded 2-core machine). Prints the counts per rate, and how
many of the mixed ones the apply reported as "NOT restored". Not part of the test suite
(tests/differential/test_apply_faults.py runs a small fixed-seed version that asserts 0 mixed).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

from syncspec.cli.main import main
from syncspec.embedded.emulator.server import serve_in_thread
from syncspec.embedded.tenant import InProcessAgent, Tenant
from syncspec.embedded.tenant.faults import FaultKind, FaultPlan
from syncspec.model.live import LiveState
from syncspec.targets.agent_target import AgentTarget

TOKEN = "bench-restore-token"
PASSWORD = "demo-password"
KINDS = (FaultKind.ERROR_BEFORE, FaultKind.ERROR_AFTER, FaultKind.DROP_AFTER)
OUTCOMES = ("converged", "restored", "mixed")


def live_of(tenant: Tenant) -> dict[str, Any]:
    """The tenant's connections as plain data, without the ids and GUIDs a create mints."""
    with AgentTarget(InProcessAgent(tenant), "bench") as target:
        state: LiveState = target.read_live()
    return {name: _without_ids(asdict(c)) for name, c in state.connections.items()}


def _without_ids(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k not in ("id", "guid", "field_id")}
    if isinstance(value, list | tuple):
        return [_without_ids(v) for v in value]
    return value


def copy_tenant(src: Path, dst: Path) -> None:
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)


def classify(name: str, after: dict[str, Any], before: dict[str, Any], desired: dict[str, Any]) -> str:
    got = after.get(name)
    if got == desired.get(name):
        return "converged"
    if got == before.get(name):
        return "restored"
    return "mixed"


def cli(*args: str) -> tuple[int, str]:
    """`syncspec ARGS` in this process; (exit code, output)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            code = main(list(args))
        except SystemExit as exc:  # click's standalone mode ends with SystemExit
            code = int(exc.code or 0)
    return code, out.getvalue()


def prepare(work: Path) -> tuple[Path, Path, dict[str, Any], dict[str, Any]]:
    """(project, base tenant, before, desired) for the example project made by `syncspec init`."""
    project = work / "proj"
    code, out = cli("init", str(project))
    if code != 0:
        raise SystemExit(f"syncspec init failed:\n{out}")
    os.chdir(project)
    base = work / "base.db"
    copy_tenant(project / ".syncspec" / "tenant.db", base)
    code, out = cli("apply", "-e", "local", "--auto-approve")
    if code != 0:
        raise SystemExit(f"the fault-free apply failed:\n{out}")
    with Tenant.open(base) as tenant:
        before = live_of(tenant)
    with Tenant.open(project / ".syncspec" / "tenant.db") as tenant:
        desired = live_of(tenant)
    target = "{type: superoffice, url: '${env:BENCH_URL}', token: '${env:BENCH_TOKEN}'}"
    with (project / "syncspec.yaml").open("a", encoding="utf-8") as f:
        f.write(f"  faulty:\n    target: {target}\n    vars:\n      erp_server: https://erp.example.com\n")
    return project, base, before, desired


def trial(
    work: Path,
    base: Path,
    before: dict[str, Any],
    desired: dict[str, Any],
    rate: float,
    seed: int,
    log: Path | None = None,
) -> tuple[Counter[str], int]:
    """One fault-injected apply; (outcome counts, mixed connections the apply reported)."""
    db = work / f"trial-{rate}-{seed}.db"
    copy_tenant(base, db)
    faults = FaultPlan(fail_rate=rate, seed=seed, kinds=KINDS)
    with Tenant.open(db) as tenant, serve_in_thread(tenant, token=TOKEN, faults=faults) as url:
        os.environ["BENCH_URL"] = url
        _, out = cli("apply", "-e", "faulty", "--auto-approve")
        faults.enabled = False
        after = live_of(tenant)
    db.unlink()
    counts: Counter[str] = Counter()
    reported = 0
    for name in desired:
        verdict = classify(name, after, before, desired)
        counts[verdict] += 1
        if verdict == "mixed":
            told = f"{name}: restore_failed" in out and "NOT restored" in out
            reported += told
            print(f"  mixed: {name} at fail rate {rate}, seed {seed} ({'reported' if told else 'SILENT'})")
            if log is not None:
                with log.open("a", encoding="utf-8") as f:
                    f.write(f"=== {name} rate {rate} seed {seed}\n{out}\n")
    return counts, reported


def main_bench(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=12, help="applies in all (240: the full sweep)")
    parser.add_argument("--rates", default="0.1,0.3,0.5", help="comma-separated fail rates")
    parser.add_argument("--seed", type=int, default=0, help="first seed; trial n uses seed + n")
    parser.add_argument("--log", type=Path, help="append the apply output of every mixed trial to this file")
    args = parser.parse_args(argv)
    rates = [float(r) for r in args.rates.split(",") if r.strip()]
    log = args.log.resolve() if args.log else None  # the trials run in a temporary directory
    os.environ["DEMO_ERP_PASSWORD"] = PASSWORD
    os.environ["BENCH_TOKEN"] = TOKEN
    home = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="bench-restore-") as tmp:
        work = Path(tmp)
        try:
            _, base, before, desired = prepare(work)
            print(f"{len(desired)} connections per apply, {args.trials} applies over {len(rates)} fail rates")
            totals = {rate: Counter[str]() for rate in rates}
            reported = Counter[float]()
            seconds = dict.fromkeys(rates, 0.0)
            for n in range(args.trials):  # bounded
                rate = rates[n % len(rates)]
                started = time.perf_counter()
                counts, told = trial(work, base, before, desired, rate, args.seed + n, log)
                seconds[rate] += time.perf_counter() - started
                totals[rate].update(counts)
                reported[rate] += told
            print(
                f"{'fail rate':>9} {'outcomes':>8} {'converged':>9} {'restored':>8} {'mixed':>5} "
                f"{'reported':>8} {'seconds':>7}"
            )
            for rate, total in totals.items():
                print(
                    f"{rate:>9.1f} {sum(total.values()):>8} {total['converged']:>9} {total['restored']:>8} "
                    f"{total['mixed']:>5} {reported[rate]:>8} {seconds[rate]:>7.1f}"
                )
        finally:
            os.chdir(home)
    return 0


if __name__ == "__main__":
    sys.exit(main_bench(sys.argv[1:]))
