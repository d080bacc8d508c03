"""Planner time for 1, 10 and 100 connections (4 actors x 50 fields) against DeepDiff of the same states.

Run: python bench/plan.py [--repeat N]. About 1% of fields differ. Prints milliseconds and
the ratio deepdiff / planner, both measured in this run. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import functools
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from syncspec.model.applied import LastApplied
from syncspec.model.desired import (
    ConnectionDesired,
    ConnectionDoc,
    ConnectorDoc,
    DesiredState,
    FieldMappingsDoc,
)
from syncspec.model.enums import CrmActorType, ErpActorType, FieldMetadataType
from syncspec.model.live import LiveActor, LiveConnection, LiveConnector, LiveField, LiveState
from syncspec.model.metadata import ActorMeta, ConnectionMeta, ConnectorMeta, ErpFieldMeta, Metadata
from syncspec.plan.planner import PlanOptions, plan

ACTORS = (ErpActorType.CUSTOMER, ErpActorType.SUPPLIER, ErpActorType.PERSON, ErpActorType.PROJECT)
FIELDS = [f"F{i:02}" for i in range(50)]


def build(connections: int) -> tuple[DesiredState, LiveState, Metadata]:
    live_conns, desired_conns, metas = {}, {}, {}
    for n in range(connections):
        name = f"conn-{n:03}"
        actors = {}
        docs = ConnectionDesired(
            connection=ConnectionDoc(
                name=name,
                connector="demo",
                config={"server": "s"},
                actors={a: {"sync": True} for a in ACTORS},
            )
        )
        for actor in ACTORS:
            fields = {
                k: LiveField(i + 1, k, "contact.name", to_crm=True, rank=i) for i, k in enumerate(FIELDS)
            }
            actors[actor] = LiveActor(actor, True, fields)
            wanted = {k: {"crm": "contact.name", "direction": "to-crm"} for k in FIELDS}
            if n % 2 == 0:  # ~1% of all fields differ
                wanted[FIELDS[(n // 2) % 50]] = {"crm": "contact.number2", "direction": "both"}
            docs = docs.with_document(
                FieldMappingsDoc.model_validate({"connection": name, "actor": actor, "fields": wanted})
            )
        live_conns[name] = LiveConnection(n + 1, f"g{n}", name, "demo", config={"server": "s"}, actors=actors)
        desired_conns[name] = docs
        meta_fields = {k: ErpFieldMeta(k, k, FieldMetadataType.TEXT) for k in FIELDS}
        metas[name] = ConnectionMeta(
            name, "demo", {a: ActorMeta(a, CrmActorType.CONTACT, meta_fields) for a in ACTORS}, {}
        )
    desired = DesiredState({"demo": ConnectorDoc(name="demo", url="plugin://demo")}, desired_conns)
    live = LiveState({"demo": LiveConnector(1, "demo", "plugin://demo")}, live_conns, tuple(live_conns))
    metadata = Metadata({"demo": ConnectorMeta("demo", "plugin://demo", {})}, metas, {}, {})
    return desired, live, metadata


def as_dict_from_desired(desired: DesiredState) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, conn in desired.connections.items():
        actors = {}
        for actor, docs in conn.actors.items():
            assert docs.mappings is not None
            actors[actor.value] = {k: v.model_dump(mode="json") for k, v in docs.mappings.fields.items()}
        out[name] = actors
    return out


def as_dict_from_live(live: LiveState) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, conn in live.connections.items():
        out[name] = {
            actor.value: {
                k: {"crm": f.crm, "direction": "both" if f.to_crm and f.to_erp else "to-crm"}
                for k, f in a.fields.items()
            }
            for actor, a in conn.actors.items()
        }
    return out


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from deepdiff import DeepDiff  # only here: it is a dev extra and slow to import

    now = datetime(2026, 1, 1, tzinfo=UTC)
    options = PlanOptions()
    header = ("connections", "fields", "changes", "planner ms", "deepdiff ms", "ratio")
    print("{:>11} {:>7} {:>7} {:>11} {:>12} {:>7}".format(*header))
    for count in (1, 10, 100):
        desired, live, metadata = build(count)

        run_plan = functools.partial(
            plan,
            desired,
            live,
            metadata,
            resolved_config={},
            last_applied=LastApplied(),
            now=now,
            options=options,
        )
        changes = len(run_plan().changes)
        run_deepdiff = functools.partial(DeepDiff, as_dict_from_live(live), as_dict_from_desired(desired))
        planner_ms = best_of(args.repeat, run_plan)
        deepdiff_ms = best_of(1 if count == 100 else args.repeat, run_deepdiff)
        fields = count * len(ACTORS) * len(FIELDS)
        ratio = deepdiff_ms / planner_ms
        print(f"{count:>11} {fields:>7} {changes:>7} {planner_ms:>11.1f} {deepdiff_ms:>12.1f} {ratio:>6.1f}x")


if __name__ == "__main__":
    main()
