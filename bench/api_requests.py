"""Requests per connection of `plan` and `apply` over the emulator, against the documented API's floor.

    python bench/api_requests.py [--sizes 1,10,50,100] [--latency-ms 0] [--parallelism 8]

For each size N: a project of N copies of the `syncspec init` connection demo-norway (its
one-way fields shown on the ERP tab instead, since SuperOffice lets only one connection feed a
CRM field one way), a fresh emulator tenant on 127.0.0.1, and four whole-process runs in turn:

1. `apply` from an empty tenant (connector and N connections created, mapped, list-mapped,
   defaulted, ranked, activated);
2. a no-op `plan`;
3. `apply` of one changed field (one direction in conn-000);
4. `apply` of a ranking change (conn-000's Customer order reversed).

Requests are counted from the emulator's own log (one line per request, agent calls, archive
pages and MDO lists alike), per method. Each figure is printed with its floor, derived here
from the documented methods (`floor_*` below, docs/rest.md lists them) for the same
configuration, and the ratio. Not part of the test suite; loopback only.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from syncspec.embedded.connectors.demo.catalogue import load_catalogue
from syncspec.embedded.emulator.server import serve_in_thread
from syncspec.embedded.tenant import Tenant

TOKEN = "bench-requests-token"
PASSWORD = "demo-password"
TIMEOUT = 1800.0  # seconds per run: a stuck run fails the bench instead of hanging it
TEMPLATE = "demo-norway"


class RequestLog(logging.Handler):
    """Counts the emulator's log lines (`<method> <status> <ms>`) per method."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.counts: Counter[str] = Counter()
        self._guard = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        method = record.getMessage().split(" ", 1)[0]
        with self._guard:
            self.counts[method] += 1

    def take(self) -> Counter[str]:
        with self._guard:
            taken, self.counts = self.counts, Counter()
        return taken


@contextmanager
def counting() -> Iterator[RequestLog]:
    logger = logging.getLogger("syncspec.emulator")
    handler = RequestLog()
    logger.addHandler(handler)
    old = logger.level
    logger.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old)


# --- the configuration -----------------------------------------------------------------
@dataclass(frozen=True)
class Shape:
    """What one connection of the template configures (read from its files, not assumed)."""

    actors: int  # actor types the connector discovers for it (the demo connector: 4)
    synced_actors: int  # actors with field mappings files (each one SaveActorTypeMapping)
    list_files: int  # ListMappings documents
    defaults: int  # fields with a Defaults entry (each one Get + Save DefaultValueInfo)
    crm_lists: int  # distinct CRM lists the mapped list fields name
    creation_moves: int  # one-step moves from the discovered order to the configured one


def project_yaml(url: str) -> str:
    return (
        "kind: Project\nconfig_dir: connections\ndefault_environment: bench\nstate: {backend: local}\n"
        "environments:\n  bench:\n"
        f"    target: {{type: superoffice, url: '{url}', token: '${{env:BENCH_SO_TOKEN}}'}}\n"
        "    vars: {erp_server: 'https://erp.example.com'}\n"
    )


def one_of_many(text: str) -> str:
    """The template's text fit for many copies: SuperOffice lets only one connection feed a CRM
    field one way, so its one-way fields are shown on the ERP tab instead, and the list mapping
    of such a field (CATEGORY) goes."""
    text = re.sub(r"\{crm: [^,]+, direction: to-crm(, show_in_search: true)?\}", "{show_in_tab: true}", text)
    documents = text.split("\n---\n")
    return "\n---\n".join(d for d in documents if "\nfield: CATEGORY\n" not in d)


def write_project(root: Path, size: int, url: str, env: dict[str, str]) -> None:
    code, out = run(Path(root.parent), env, "init", root.name)
    assert code == 0, out
    config = root / "connections"
    template = config / TEMPLATE
    names = [f"conn-{n:03}" for n in range(size)]
    for name in names:
        target = config / name
        shutil.copytree(template, target)
        for path in target.glob("*.yaml"):
            path.write_text(
                one_of_many(path.read_text(encoding="utf-8").replace(TEMPLATE, name)), encoding="utf-8"
            )
    for old in ("demo-norway", "demo-sweden"):
        shutil.rmtree(config / old)
    (config / "sync-priority.yaml").write_text(
        "kind: SyncPriority\norder: [" + ", ".join(names) + "]\n", encoding="utf-8"
    )
    (root / "syncspec.yaml").write_text(project_yaml(url), encoding="utf-8")


def shape_of(connection_dir: Path) -> Shape:
    text = {p.name: p.read_text(encoding="utf-8") for p in connection_dir.glob("*.yaml")}
    mappings = [t for n, t in text.items() if n.endswith(".mappings.yaml")]
    lists = sum(t.count("kind: ListMappings") for n, t in text.items() if n.endswith(".lists.yaml"))
    defaults = sum(
        len(re.findall(r"^  \S+: \{", t, re.M)) for n, t in text.items() if n.endswith(".defaults.yaml")
    )
    list_fields = {
        m.group(1)
        for n, t in text.items()
        if n.endswith(".lists.yaml")
        for m in re.finditer(r"^field: (\S+)", t, re.M)
    }
    moves = 0
    for name, body in text.items():
        if name.endswith(".ranking.yaml"):
            actor = re.search(r"^actor: (\S+)", body, re.M)
            order = re.search(r"^order: \[(.*)\]", body, re.M)
            assert actor and order, name
            moves += moves_from_discovery(actor.group(1), [k.strip() for k in order.group(1).split(",")])
    return Shape(
        actors=4,
        synced_actors=len(mappings),
        list_files=lists,
        defaults=defaults,
        crm_lists=len(list_fields),
        creation_moves=moves,
    )


def moves_from_discovery(actor: str, order: list[str]) -> int:
    """One-step moves from the demo connector's field order (a new connection's ranks) to `order`
    first and the other fields after it in their order."""
    discovered = [f.field_key for f in load_catalogue().actor_types[actor].fields]
    wanted = order + [key for key in discovered if key not in order]
    return ranking_moves(discovered, wanted)


# --- the floors -------------------------------------------------------------------------
# Reads of one existing connection, each a documented method (docs/rest.md):
# GetConnection (GetAllConnections carries no config), the actor types (GetErpSyncConnectionSummary,
# or probing every ErpActorType: 1 + actors either way for the demo's 4 of 5), GetActorTypeMapping
# per actor type, GetConnectionListMappings, and the ErpField archive rows (95 for the demo; at
# 500 rows a page, one query across all connections would need 95/500 of a page per connection).
ERP_FIELDS = 95
ARCHIVE_PAGE = 500


def floor_read_connection(shape: Shape) -> float:
    return 1 + (1 + shape.actors) + 1 + ERP_FIELDS / ARCHIVE_PAGE


def floor_read_tenant(shape: Shape) -> int:
    # GetAllConnectors, GetErpSyncConnectorEntity + GetConfigurationFields of the one connector,
    # GetAllConnections, the erpconnections MDO list (priority), GetEngineStatus, the crmfields
    # MDO list (the rules check CRM keys), one MDO list per CRM list a mapped list field names.
    return 3 + 1 + 1 + 1 + 1 + shape.crm_lists


def floor_plan(n: int, shape: Shape) -> float:
    return floor_read_tenant(shape) + n * floor_read_connection(shape)


def floor_create_connection(shape: Shape) -> float:
    """Writes of one new connection, and the reads the documented writes cannot do without.

    SaveConnection; the discovered field ids (GetErpSyncConnectionSummary + GetActorTypeMapping
    per actor, which SaveActorTypeMapping's read-modify-write needs anyway); SaveActorTypeMapping
    per mapped actor; SaveConnectionListMappings once (it takes every list); per default
    GetDefaultValueInfo + SaveDefaultValueInfo; the ranks to move from (one archive page) and the
    fewest one-step moves (MoveErpFieldItem moves one step per call) from the connector's
    discovered order to the configured one; ToggleConnectionActive once. The check that a write
    landed is not counted.
    """
    writes = 1 + shape.synced_actors + 1 + 2 * shape.defaults + shape.creation_moves + 1
    return writes + (1 + shape.actors) + 1


def floor_apply_empty(n: int, shape: Shape) -> float:
    # the plan's reads of an empty tenant (connectors, connections, lists, engine, CRM fields),
    # CreateDefaultErpSyncConnectorEntity + TestConnectorUrl + SaveErpSyncConnectorEntity,
    # each connection's writes, one SaveSyncPriority
    return floor_read_tenant(shape) - 2 + 3 + n * floor_create_connection(shape) + 1


def floor_apply_one_field(n: int, shape: Shape) -> float:
    # the plan reads the whole tenant; GetActorTypeMapping (read-modify-write) + SaveActorTypeMapping
    return floor_plan(n, shape) + 2


def floor_apply_ranking(n: int, shape: Shape, moves: int) -> float:
    # the plan reads the whole tenant; one MoveErpField request per one-step move
    return floor_plan(n, shape) + moves


# --- running ---------------------------------------------------------------------------
def bench_env(work: Path) -> dict[str, str]:
    """The benches' process environment: the demo password, the emulator's token, a private
    config folder (the secret-digest key), no colour and no environment preselected."""
    env = {
        **os.environ,
        "DEMO_ERP_PASSWORD": PASSWORD,
        "BENCH_SO_TOKEN": TOKEN,
        "XDG_CONFIG_HOME": str(work / "xdg"),
        "NO_COLOR": "1",
    }
    env.pop("SYNCSPEC_ENV", None)
    return env


def run(cwd: Path, env: dict[str, str], *args: str) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-m", "syncspec", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} has no {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def ranking_moves(order_before: list[str], order_after: list[str]) -> int:
    """One-step moves (adjacent swaps) from one order of the named fields to the other: inversions."""
    position = {key: i for i, key in enumerate(order_before)}
    seq = [position[k] for k in order_after]
    return sum(1 for i in range(len(seq)) for j in range(i + 1, len(seq)) if seq[i] > seq[j])


@dataclass(frozen=True)
class Row:
    operation: str
    size: int
    requests: int
    floor: float
    top: str
    seconds: float


def measure_size(
    size: int, work: Path, env: dict[str, str], parallelism: int, latency_ms: float, all_methods: bool
) -> list[Row]:
    root = work / f"bench-{size}"
    tenant = Tenant.create(work / f"tenant-{size}.db")
    rows: list[Row] = []
    try:
        with serve_in_thread(tenant, token=TOKEN, latency_ms=latency_ms) as url, counting() as log:
            write_project(root, size, url, env)
            log.take()
            shape = shape_of(root / "connections" / "conn-000")
            par = ("--parallelism", str(parallelism))

            def step(operation: str, floor: float, *args: str, expect: tuple[int, ...] = (0,)) -> None:
                started = time.perf_counter()
                code, out = run(root, env, *args)
                seconds = time.perf_counter() - started
                assert code in expect, f"{operation} at {size}: exit {code}\n{out[-3000:]}"
                counts = log.take()
                top = ", ".join(f"{m} {c}" for m, c in counts.most_common(None if all_methods else 4))
                rows.append(Row(operation, size, sum(counts.values()), floor, top, seconds))

            step("apply from empty", floor_apply_empty(size, shape), "apply", "--auto-approve", *par)
            step("no-op plan", floor_plan(size, shape), "plan", "--detailed-exitcode", *par)
            mappings = root / "connections" / "conn-000" / "customer.mappings.yaml"
            edit(
                mappings,
                "PHONE: {crm: contact.phone, direction: both}",
                "PHONE: {crm: contact.phone, direction: to-erp}",
            )
            step("apply one field", floor_apply_one_field(size, shape), "apply", "--auto-approve", *par)
            ranking = root / "connections" / "conn-000" / "customer.ranking.yaml"
            before = ["BALANCE", "LASTINVOICE", "SALESREP", "CUSTNO", "NAME"]
            after = list(reversed(before))
            edit(ranking, "[" + ", ".join(before) + "]", "[" + ", ".join(after) + "]")
            moves = ranking_moves(before, after)
            step("apply ranking", floor_apply_ranking(size, shape, moves), "apply", "--auto-approve", *par)
    finally:
        tenant.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="1,10,50,100", help="connection counts, comma-separated")
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--parallelism", type=int, default=8)
    parser.add_argument("--methods", action="store_true", help="every method's count, not the top 4")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print(
        f"emulator on 127.0.0.1, {args.latency_ms:g} ms latency; requests from its log; "
        f"--parallelism {args.parallelism}"
    )
    print(
        f"{'operation':<17} {'N':>4} {'requests':>9} {'per conn.':>9} {'floor':>9} {'ratio':>6} "
        f"{'s':>7}  top methods"
    )
    with tempfile.TemporaryDirectory(prefix="syncspec-bench-") as tmp:
        work = Path(tmp)
        env = bench_env(work)
        for size in sizes:
            for row in measure_size(size, work, env, args.parallelism, args.latency_ms, args.methods):
                print(
                    f"{row.operation:<17} {row.size:>4} {row.requests:>9} {row.requests / row.size:>9.1f} "
                    f"{row.floor:>9.1f} {row.requests / row.floor:>5.2f}x {row.seconds:>7.2f}  {row.top}",
                    flush=True,
                )
    print("bound: requests / floor <= 1.2 at every N, and requests per connection constant in N")


if __name__ == "__main__":
    main()
