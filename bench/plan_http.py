"""What `plan` reads (live snapshot + metadata) over the emulator, concurrency 8 versus 1.

Run: python bench/plan_http.py [--sizes 1,10,50] [--latency-ms 20]. For each size, a tenant
with that many demo connections is served by the emulator with the injected latency; an
AgentTarget over a RestAgent reads everything twice, once with 8 requests in flight and
once with 1. Prints HTTP requests (counted at the transport, so archive pages count one
each), requests per connection, seconds and the ratio sequential / concurrent, all measured
in this run. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from pathlib import Path

import httpx

from syncspec.embedded.emulator.server import serve_in_thread
from syncspec.embedded.tenant import InProcessAgent, Tenant
from syncspec.targets.agent_target import AgentTarget
from syncspec.targets.carriers import ErpConnection, ErpSyncConnectorEntity
from syncspec.targets.rest.agent import RestAgent

TOKEN = "bench-token"
CLIENTS = ("1001", "1002", "2001")


def build(path: Path, connections: int) -> Tenant:
    tenant = Tenant.create(path)
    agent = InProcessAgent(tenant)
    connector = agent.save_erp_sync_connector_entity(
        ErpSyncConnectorEntity(display_name="demo-erp", URL="plugin://demo")
    )
    for n in range(connections):
        config = {
            "server": "https://erp.example.com",
            "client": CLIENTS[n % len(CLIENTS)],
            "user": "sync",
            "password": "demo-password",
        }
        agent.save_connection(
            ErpConnection(
                erp_connector_id=connector.erp_connector_id, display_name=f"conn-{n:03}", config_fields=config
            )
        )
    return tenant


class CountingTransport(httpx.HTTPTransport):
    """Counts the HTTP requests that go out (every archive page, every MDO list, every agent call)."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.count += 1
        return super().handle_request(request)


def read_all(url: str, concurrency: int) -> tuple[int, float]:
    transport = CountingTransport()
    with (
        RestAgent(url, token=TOKEN, concurrency=concurrency, transport=transport) as agent,
        AgentTarget(agent, url, parallelism=concurrency) as target,
    ):
        started = time.perf_counter()
        target.read_live()
        target.read_metadata()
        elapsed = time.perf_counter() - started
        return transport.count, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,50", help="connection counts, comma-separated")
    parser.add_argument("--latency-ms", type=float, default=20.0)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print(f"latency {args.latency_ms:g} ms per request; read_live + read_metadata through AgentTarget")
    header = ("connections", "requests", "per conn.", "conc. 8 s", "conc. 1 s", "ratio")
    print(" ".join(f"{h:>{w}}" for h, w in zip(header, (11, 9, 9, 10, 10, 6), strict=True)))
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            tenant = build(Path(tmp) / f"bench-{size}.db", size)
            try:
                with serve_in_thread(tenant, token=TOKEN, latency_ms=args.latency_ms) as url:
                    requests8, t8 = read_all(url, 8)
                    requests1, t1 = read_all(url, 1)
            finally:
                tenant.close()
            assert requests8 == requests1, "both runs must make the same calls"
            per = requests8 / size if size else 0.0
            print(f"{size:>11} {requests8:>9} {per:>9.1f} {t8:>10.2f} {t1:>10.2f} {t1 / t8:>5.1f}x")


if __name__ == "__main__":
    main()
