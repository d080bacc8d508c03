"""`syncspec validate` as a whole process against check-jsonschema and a parse-only floor, same files.

    python bench/validate.py [--sizes 10,100,1000] [--runs 3]

For each size N it writes N synthetic connections into a temporary project (one directory
per connection: a Connection, 4 actors x 50 field mappings, 3 lists x 50 items, defaults
and a ranking per actor; one document per file, since check-jsonschema reads only single
documents) and times, median of --runs whole processes each:

* syncspec: `python -m syncspec validate connections`
* check-jsonschema: `python -m check_jsonschema --schemafile schemas/syncspec.schema.json FILES...`
* floor: one process reading the same bytes and parsing them with `yaml_rs.loads`
* pre-commit: `syncspec validate` naming one small file, against `python -c pass`

Each command runs inside its own small wrapper process, which reports wall time and the
peak memory of its one child (ru_maxrss of RUSAGE_CHILDREN). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCHEMA = REPO / "schemas" / "syncspec.schema.json"

# Real DemoERP field keys first; synthetic ones fill each actor up to 50.
DEMO_FIELDS = {
    "Customer": "CUSTNO NAME NUMBER1 DEPARTMENT PHONE FAX EMAIL URL POSTALAD1 POSTALAD2 POSTALZIP "
    "POSTALCITY STREETAD1 STREETZIP STREETCITY COUNTRY VATNO CURRENCY PAYTERMS CATEGORY PRICELIST "
    "CREDITLIMIT DISCOUNT BLOCKED EINVOICE SALESREP BALANCE CREATED LASTINVOICE",
    "Supplier": "SUPPNO NAME PHONE FAX EMAIL URL POSTALAD1 POSTALAD2 POSTALZIP POSTALCITY STREETAD1 "
    "STREETZIP STREETCITY COUNTRY VATNO CURRENCY PAYTERMS BANKACCOUNT LEADTIME MINORDER BLOCKED",
    "Person": "PERSONNO CUSTNO FIRSTNAME MIDDLENAME LASTNAME TITLE POSITION PHONE_DIRECT PHONE_MOBILE "
    "PHONE_PRIVATE EMAIL BIRTHDATE POSTALAD1 POSTALZIP POSTALCITY POSTALCOUNTRY LANGUAGE",
    "Project": "PROJNO NAME NUMBER TEXT URL CUSTNO PROJECTSTATUS MANAGER STARTDATE ENDDATE CURRENCY "
    "PRICELIST BUDGET HOURSBUDGET BILLABLE FIXEDPRICE HOURSSPENT INVOICED",
}
CRM_ENTITY = {"Customer": "contact", "Supplier": "contact", "Person": "person", "Project": "project"}
LISTS = ("CURRENCY", "CATEGORY", "COUNTRY")
DIRECTIONS = ("to-crm", "both", "to-erp", "none")

# The wrapper: run argv, print wall seconds and the child's peak RSS (KiB on Linux).
WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_kib": peak, "rc": done.returncode,
                  "stderr": done.stderr.decode("utf-8", "replace")[-400:]}))
"""

FLOOR = """
import sys, time
from pathlib import Path
import yaml_rs
files = Path(sys.argv[1]).read_text().split()
start = time.perf_counter()
for name in files:
    yaml_rs.loads(Path(name).read_bytes().decode("utf-8"))
print(time.perf_counter() - start, file=sys.stderr)
"""


def fields_of(actor: str) -> list[str]:
    keys = DEMO_FIELDS[actor].split()
    return keys + [f"UDEF_{actor[:3].upper()}_{i:02}" for i in range(50 - len(keys))]


def connection_files(name: str) -> dict[str, str]:
    files = {
        "connection.yaml": (
            f"kind: Connection\nname: {name}\nconnector: demo-erp\ndescription: DemoERP client {name}\n"
            "active: true\naccess: everyone\nconfig:\n  server: https://erp.example.com\n"
            "  client: '1001'\n  user: sync\n  language: nb\n  timeout: 30\nactors:\n"
            + "".join(f"  {actor}: {{sync: true}}\n" for actor in DEMO_FIELDS)
        )
    }
    for actor in DEMO_FIELDS:
        keys = fields_of(actor)
        lines = [f"kind: FieldMappings\nconnection: {name}\nactor: {actor}\nfields:\n"]
        for i, key in enumerate(keys):
            direction = DIRECTIONS[i % len(DIRECTIONS)]
            crm = f"{CRM_ENTITY[actor]}.udef.{key.lower()}"
            search = "true" if i < 5 else "false"
            lines.append(f"  {key}: {{crm: {crm}, direction: {direction}, show_in_search: {search}}}\n")
        files[f"{actor.lower()}.mappings.yaml"] = "".join(lines)
        defaults = "".join(f"  {key}: {{value: D{i}, prompt: true}}\n" for i, key in enumerate(keys[-5:]))
        files[f"{actor.lower()}.defaults.yaml"] = (
            f"kind: Defaults\nconnection: {name}\nactor: {actor}\nfields:\n{defaults}"
        )
        order = "".join(f"  - {key}\n" for key in reversed(keys))
        files[f"{actor.lower()}.ranking.yaml"] = (
            f"kind: Ranking\nconnection: {name}\nactor: {actor}\norder:\n{order}"
        )
    for field in LISTS:
        items = (
            "".join(f"  {field[:2]}{i:03}: {field.title()} item {i}\n" for i in range(49)) + "  ZZ: null\n"
        )
        files[f"{field.lower()}.lists.yaml"] = (
            f"kind: ListMappings\nconnection: {name}\nactor: Customer\nfield: {field}\nitems:\n{items}"
        )
    return files


def write_project(root: Path, connections: int) -> list[str]:
    """The project's files, relative to `root` (which becomes every command's cwd)."""
    config = root / "connections"
    config.mkdir(parents=True)
    (config / "connectors.yaml").write_text("kind: Connector\nname: demo-erp\nurl: plugin://demo\n")
    names = [f"conn-{n:04}" for n in range(connections)]
    (config / "sync-priority.yaml").write_text(
        "kind: SyncPriority\norder:\n" + "".join(f"  - {n}\n" for n in names)
    )
    written = ["connections/connectors.yaml", "connections/sync-priority.yaml"]
    for name in names:
        directory = config / name
        directory.mkdir()
        for filename, text in connection_files(name).items():
            (directory / filename).write_text(text, encoding="utf-8")
            written.append(f"connections/{name}/{filename}")
    (root / "files.txt").write_text("\n".join(written))
    return written


@dataclass(frozen=True)
class Sample:
    seconds: float
    peak_mib: float
    rc: int


def measure(argv: list[str], cwd: Path, runs: int, expect_rc: int = 0) -> Sample:
    samples = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", WRAPPER, *argv], cwd=cwd, capture_output=True, text=True, check=True
        )
        result = json.loads(out.stdout)
        if result["rc"] != expect_rc:
            raise SystemExit(f"{argv[:4]}... exited {result['rc']}: {result['stderr']}")
        samples.append(result)
    return Sample(
        seconds=statistics.median(s["seconds"] for s in samples),
        peak_mib=max(s["peak_kib"] for s in samples) / 1024,
        rc=samples[0]["rc"],
    )


def in_process_floor(cwd: Path) -> float:
    out = subprocess.run(
        [sys.executable, "-c", FLOOR, "files.txt"], cwd=cwd, capture_output=True, text=True, check=True
    )
    return float(out.stderr.strip())


def run_size(connections: int, runs: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="syncspec-bench-") as tmp:
        root = Path(tmp)
        files = write_project(root, connections)
        size_mb = sum((root / f).stat().st_size for f in files) / 1e6
        syncspec = measure([sys.executable, "-m", "syncspec", "validate", "connections"], root, runs)
        baseline = measure(
            [sys.executable, "-m", "check_jsonschema", "--schemafile", str(SCHEMA), *files], root, runs
        )
        floor = measure([sys.executable, "-c", FLOOR, "files.txt"], root, runs)
        parse_only = statistics.median(in_process_floor(root) for _ in range(runs))
        return {
            "connections": connections,
            "files": len(files),
            "mb": size_mb,
            "syncspec": syncspec,
            "check_jsonschema": baseline,
            "floor": floor,
            "parse_only": parse_only,
        }


def run_precommit(runs: int) -> dict[str, Sample]:
    with tempfile.TemporaryDirectory(prefix="syncspec-bench-") as tmp:
        root = Path(tmp)
        write_project(root, 1)
        one = "connections/conn-0000/customer.ranking.yaml"
        return {
            "syncspec": measure([sys.executable, "-m", "syncspec", "validate", one], root, runs),
            "python": measure([sys.executable, "-c", "pass"], root, runs),
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="10,100,1000", help="numbers of connections, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="runs per command (median; 1 for one quick run)")
    args = parser.parse_args(argv)
    runs = max(1, args.runs)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    os.environ.pop("SYNCSPEC_ENV", None)

    header = (
        f"{'conns':>6} {'files':>6} {'MB':>6} | {'syncspec':>9} {'check-js':>9} {'floor':>7} {'parse':>7} | "
        f"{'ss/cjs':>7} {'ss/floor':>8} | {'RSS ss':>7} {'RSS cjs':>8} {'RSS flr':>8}"
    )
    print(f"median of {runs} whole-process runs; times in seconds, peak RSS in MiB")
    print(header)
    print("-" * len(header))
    for size in sizes:
        row = run_size(size, runs)
        ss, cjs, fl = row["syncspec"], row["check_jsonschema"], row["floor"]
        assert isinstance(ss, Sample) and isinstance(cjs, Sample) and isinstance(fl, Sample)
        print(
            f"{row['connections']:>6} {row['files']:>6} {row['mb']:>6.1f} | {ss.seconds:>9.2f} "
            f"{cjs.seconds:>9.2f} {fl.seconds:>7.2f} {row['parse_only']:>7.2f} | "
            f"{ss.seconds / cjs.seconds:>6.3f}x {ss.seconds / fl.seconds:>7.2f}x | "
            f"{ss.peak_mib:>7.0f} {cjs.peak_mib:>8.0f} {fl.peak_mib:>8.0f}",
            flush=True,
        )
    pre = run_precommit(runs)
    ratio = pre["syncspec"].seconds / pre["python"].seconds
    print(
        f"\npre-commit, one small file: syncspec {pre['syncspec'].seconds:.3f} s "
        f"({pre['syncspec'].peak_mib:.0f} MiB), python -c pass {pre['python'].seconds:.3f} s: {ratio:.2f}x"
    )
    print("targets: ss/cjs <= 0.05 at 1000 connections; ss/floor <= 3; one file <= 2x python -c pass")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
