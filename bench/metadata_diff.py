"""`diff_metadata` (typed, keyed) against DeepDiff of the same snapshots, on N connections.

    python bench/metadata_diff.py [--sizes 10,100,1000] [--repeat 5] [--deep-repeat 1]

Builds a tenant's metadata with N connections, each with the demo connector's Customer,
Supplier, Person and Project actor types and their lists, then a second one where every
tenth connection changed (a field removed, a field made mandatory, a list item removed).
Times, best of --repeat:

* syncspec: `diff_metadata(before, after)` on the two `Metadata` values
* deepdiff: `DeepDiff(content(before), content(after))` on the snapshot JSON content of the
  same two values (what a general nested diff would be given; turning both values into that
  content is timed apart, "content ms", and not charged to DeepDiff)

and prints a markdown table with the ratio DeepDiff / diff_metadata. Not part of the test
suite; deepdiff is a dev dependency only.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import replace

from deepdiff import DeepDiff

from syncspec.embedded.connectors.demo.catalogue import load_catalogue
from syncspec.metadata.diff import diff_metadata
from syncspec.model.enums import CRM_ACTOR_FOR_ERP, ErpActorType, FieldAccess
from syncspec.model.metadata import ActorMeta, ConnectionMeta, ConnectorMeta, ErpFieldMeta, Metadata
from syncspec.targets.snapshot import metadata_content


def _actors() -> dict[ErpActorType, ActorMeta]:
    catalogue = load_catalogue()
    actors: dict[ErpActorType, ActorMeta] = {}
    for name, actor in catalogue.actor_types.items():
        erp = ErpActorType(name)
        fields = {
            f.field_key: ErpFieldMeta(
                f.field_key,
                f.display_name,
                f.field_type,
                f.access,
                f.list_name,
                f.max_length,
            )
            for f in actor.fields
        }
        actors[erp] = ActorMeta(erp, CRM_ACTOR_FOR_ERP[erp], fields)
    return actors


def build(connections: int) -> tuple[Metadata, Metadata]:
    catalogue = load_catalogue()
    actors = _actors()
    lists = {name: dict(items) for name, items in catalogue.lists.items()}
    before: dict[str, ConnectionMeta] = {}
    after: dict[str, ConnectionMeta] = {}
    for n in range(connections):
        name = f"conn-{n:04d}"
        conn = ConnectionMeta(name, "demo-erp", actors, lists)
        before[name] = conn
        if n % 10:
            after[name] = conn
            continue
        customer = actors[ErpActorType.CUSTOMER]
        fields = {k: f for k, f in customer.fields.items() if k != "FAX"}
        fields["PRICELIST"] = replace(fields["PRICELIST"], access=FieldAccess.MANDATORY)
        changed_lists = {
            **lists,
            "payment_terms": {k: v for k, v in lists["payment_terms"].items() if k != "60D"},
        }
        after[name] = replace(
            conn,
            actors={**actors, ErpActorType.CUSTOMER: replace(customer, fields=fields)},
            erp_lists=changed_lists,
        )
    connector = {"demo-erp": ConnectorMeta("demo-erp", "plugin://demo", {})}
    return Metadata(connector, before, {}, {}), Metadata(connector, after, {}, {})


def best(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(connections: int, repeat: int, deep_repeat: int) -> None:
    before, after = build(connections)
    fields = sum(len(a.fields) for c in before.connections.values() for a in c.actors.values())
    changes = diff_metadata(before, after)
    ours = best(repeat, lambda: diff_metadata(before, after))
    content_before, content_after = metadata_content(before), metadata_content(after)
    to_content = best(repeat, lambda: (metadata_content(before), metadata_content(after)))
    found: dict[str, object] = {}

    def deep() -> None:
        found.update(DeepDiff(content_before, content_after))

    deep_time = best(deep_repeat, deep)
    reported = sum(len(v) for v in found.values() if isinstance(v, (dict, list, set)))
    print(
        f"| {connections:,} | {fields:,} | {len(changes)} | {reported} | {ours * 1000:.1f} | "
        f"{to_content * 1000:.1f} | {deep_time * 1000:.1f} | {deep_time / ours:.0f}x |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000", help="connection counts, comma-separated")
    parser.add_argument("--repeat", type=int, default=5, help="runs of diff_metadata (best is kept)")
    parser.add_argument("--deep-repeat", type=int, default=1, help="runs of DeepDiff (slow)")
    args = parser.parse_args()
    columns = "connections | ERP fields | changes | deepdiff entries | diff_metadata ms | content ms"
    print(f"| {columns} | DeepDiff ms | ratio |")
    print("|---|---|---|---|---|---|---|---|", flush=True)
    for size in (int(s) for s in args.sizes.split(",")):
        measure(size, args.repeat, args.deep_repeat)


if __name__ == "__main__":
    main()
