"""Shared by the HTTP tests: demo config, a served tenant, a RestAgent with fast retries, scenarios."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from syncspec.embedded.emulator.server import serve_in_thread
from syncspec.embedded.tenant import Tenant, dump
from syncspec.embedded.tenant.faults import FaultPlan
from syncspec.model.errors import AgentError
from syncspec.targets.agent import TenantApi
from syncspec.targets.rest.agent import RestAgent
from syncspec.targets.rest.retry import RetryPolicy

DEMO_PASSWORD = "demo-password"
TOKEN = "emulator-token-7f3c9a"


def demo_config(client: str = "1001") -> dict[str, str]:
    return {
        "server": "https://erp.example.com",
        "client": client,
        "user": "sync",
        "password": DEMO_PASSWORD,
        "language": "en",
    }


def fast_policy(attempts: int = 4, **kw: Any) -> RetryPolicy:
    """Real backoff arithmetic, tiny delays: the tests wait milliseconds, not seconds."""
    return RetryPolicy(attempts=attempts, base_delay=0.005, max_delay=0.02, **kw)


def rest_agent(url: str, *, token: str | None = TOKEN, **kw: Any) -> RestAgent:
    kw.setdefault("retries", fast_policy())
    kw.setdefault("timeout", (2.0, 10.0))
    return RestAgent(url, token=token, **kw)


@contextmanager
def served(
    tmp_path: Path, name: str = "served.db", *, faults: FaultPlan | None = None, **kw: Any
) -> Iterator[tuple[Tenant, str]]:
    """A fresh tenant file served by the emulator (token required); yields (tenant, base URL)."""
    tenant = Tenant.create(tmp_path / name)
    try:
        with serve_in_thread(tenant, token=TOKEN, faults=faults, **kw) as url:
            yield tenant, url
    finally:
        tenant.close()


def comparable_dump(tenant: Tenant) -> dict[str, list[dict[str, Any]]]:
    """`dump(tenant)` with the randomly minted connection GUIDs replaced by their order of minting."""
    tables = dump(tenant)
    guids = {row["ConnectionId"]: f"guid-{i}" for i, row in enumerate(tables.get("ErpConnection", []))}
    for rows in tables.values():
        for row in rows:
            for key, value in row.items():
                if isinstance(value, str) and value in guids:
                    row[key] = guids[value]
    return tables


def outcome(call: Callable[..., Any], *args: Any) -> Any:
    """A call's result as plain JSON-like data, or the refusal it raised."""
    try:
        value = call(*args)
    except AgentError as exc:
        # What travels: SuperOffice's error object has a message and a detail (the emulator's
        # reasons, one a line); the embedded tenant's error codes stay in-process.
        return {
            "refused": exc.method,
            "message": exc.reason_text,
            "detail": exc.detail or "\n".join(exc.reasons),
        }
    return plain(value)


def plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        data = value.model_dump(by_alias=True, mode="json")
        if "ConnectionId" in data:  # minted at random by each tenant
            data["ConnectionId"] = bool(data["ConnectionId"])
        return data
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


Script = Callable[[TenantApi], list[Any]]
