"""Randomized writes over a faulty emulator end exactly where the same writes end without faults.

A twin tenant runs every call in-process and fault-free; after each run the served
tenant's tables must equal the twin's. A toggle flipped twice, a rank moved twice or a
connection created twice would show up as a difference.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from syncspec.embedded.tenant import InProcessAgent, Tenant
from syncspec.embedded.tenant.faults import FaultKind, FaultPlan
from syncspec.model.enums import ErpActorType
from syncspec.targets.agent import TenantApi
from syncspec.targets.carriers import ErpConnection, ErpSyncDefaultValue
from tests.differential.helpers import comparable_dump, demo_config, fast_policy, outcome, rest_agent, served
from tests.differential.scenarios import seed_script
from tests.support.reads import field_ranks

CUSTOMER = ErpActorType.CUSTOMER
RUNS = 120
OPS_PER_RUN = 6

Op = Callable[[TenantApi], Any]


def choose_op(rng: random.Random, twin: InProcessAgent, run: int, step: int) -> tuple[str, Op]:
    """A random write, its arguments taken from the twin's current state (identical on both sides)."""
    conns = twin.get_all_connections(False)
    conn = rng.choice(conns)
    cid = conn.erp_connection_id
    kind = rng.choice(
        ["toggle", "toggle", "move", "move", "mapping", "default", "create", "priority", "delete"]
    )
    if kind == "toggle":
        # mostly the connection whose mapping allows activation, so most toggles really flip
        if rng.random() < 0.7:
            cid = next(c.erp_connection_id for c in conns if c.display_name == "visma-norway")
        return kind, lambda a: a.toggle_erp_connection_active(cid)
    if kind == "move":
        ranks = field_ranks(twin, cid, CUSTOMER)
        field = rng.choice(ranks).id
        direction = rng.choice([-1, 1])
        return kind, lambda a: a.move_erp_field_item(field, direction, cid, CUSTOMER)
    if kind == "mapping":
        mapping = twin.get_actor_type_mapping(cid, CUSTOMER)
        row = rng.choice(mapping.field_mappings)
        row.show_in_search = not row.show_in_search
        return kind, lambda a: a.save_actor_type_mapping(mapping)
    if kind == "default":
        fields = twin.get_actor_type_mapping(cid, CUSTOMER).field_mappings
        value = ErpSyncDefaultValue(
            erp_field_id=rng.choice(fields).erp_field_id, prompt_user=rng.random() < 0.5
        )
        return kind, lambda a: a.save_default_value_info(value)
    if kind == "create":
        new = ErpConnection(
            erp_connector_id=conn.erp_connector_id,
            display_name=f"extra-{run}-{step}",
            config_fields=demo_config("2001"),
        )
        return kind, lambda a: a.save_connection(new)
    if kind == "priority":
        order = [c.erp_connection_id for c in conns]
        rng.shuffle(order)
        return kind, lambda a: a.save_erp_connection_sync_priorities(order)
    victim = rng.choice([c for c in conns if c.display_name.startswith("extra-")] or [conn])
    if not victim.display_name.startswith("extra-"):
        return "toggle", lambda a: a.toggle_erp_connection_active(cid)
    return kind, lambda a: a.delete_connection(victim.erp_connection_id)


@pytest.mark.slow
def test_random_writes_through_faults_end_exactly_as_intended(tmp_path: Path) -> None:
    faults = FaultPlan(fail_rate=0.2, seed=20261122, stall_seconds=0.3, enabled=False)
    with (
        Tenant.create(tmp_path / "twin.db") as twin_tenant,
        served(tmp_path, "served.db", faults=faults) as (served_tenant, url),
        rest_agent(url, timeout=(2.0, 0.1), retries=fast_policy(attempts=12)) as remote,
    ):
        twin = InProcessAgent(twin_tenant)
        seed_script(twin)
        seed_script(InProcessAgent(served_tenant))
        assert comparable_dump(served_tenant) == comparable_dump(twin_tenant)
        faults.enabled = True
        rng = random.Random(7)
        kinds_run: set[str] = set()
        for run in range(RUNS):  # bounded: RUNS x OPS_PER_RUN calls
            for step in range(OPS_PER_RUN):
                kind, op = choose_op(rng, twin, run, step)
                kinds_run.add(kind)
                remote_answer = outcome(op, remote)
                twin_answer = outcome(op, twin)
                assert remote_answer == twin_answer, (run, step, kind)
            assert comparable_dump(served_tenant) == comparable_dump(twin_tenant), f"run {run}"
    assert kinds_run == {"toggle", "move", "mapping", "default", "create", "priority", "delete"}
    assert set(faults.counts) == set(FaultKind)
    assert sum(faults.counts.values()) > 200
