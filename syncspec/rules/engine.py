"""`check_rules`: every semantic rule over a desired state, against one tenant's metadata.

Pure and deterministic: no I/O, and the output is sorted the way renderers print it.
A connection whose metadata is missing is reported (SS321), never silently passed.
"""

from __future__ import annotations

from syncspec.model import culture
from syncspec.model.address import Address
from syncspec.model.desired import ConnectionDesired, DesiredState, PerActorDoc
from syncspec.model.diagnostics import Diagnostic, Location, sorted_diagnostics
from syncspec.model.enums import ErpActorType
from syncspec.model.live import LiveState
from syncspec.model.metadata import ConnectionMeta, Metadata
from syncspec.rules.activation import check_already_mapped, check_mandatory_directions
from syncspec.rules.connection import check_access, check_actors, check_config, check_connector_unchanged
from syncspec.rules.context import ActorContext, ValueParser, locate, make
from syncspec.rules.defaults import check_defaults
from syncspec.rules.lists import check_lists
from syncspec.rules.mappings import check_mappings
from syncspec.rules.ranking import check_ranking

_ACTOR_RULES = (check_mappings, check_mandatory_directions, check_lists, check_defaults, check_ranking)


def check_rules(
    desired: DesiredState,
    metadata: Metadata,
    *,
    live: LiveState | None = None,
    parse_value: ValueParser | None = culture.parse_value,
) -> list[Diagnostic]:
    """Diagnostics for everything the tenant would refuse (or warn about) in `desired`.

    `live` supplies the mappings of actors without a FieldMappings document and the
    connections the configuration does not manage (for SS307). `parse_value` checks typed
    values (Integer, Double, Checkbox, Datetime defaults and config values): SuperOffice's
    value codec, `syncspec.model.culture.parse_value`, unless told otherwise; with None those
    checks do not run (list keys, lengths and everything else still do).
    """
    found: list[Diagnostic] = []
    contexts: list[ActorContext] = []
    for name in sorted(desired.connections):
        found.extend(_connection_rules(desired.connections[name], metadata, live, parse_value, contexts))
    for ctx in contexts:
        for rule in _ACTOR_RULES:
            found.extend(rule(ctx))
    found.extend(check_already_mapped(contexts, live, set(desired.connections)))
    return sorted_diagnostics(found)


def _connection_rules(
    desired: ConnectionDesired,
    metadata: Metadata,
    live: LiveState | None,
    parse_value: ValueParser | None,
    contexts: list[ActorContext],
) -> list[Diagnostic]:
    doc = desired.connection
    address = str(Address.connection(doc.name))
    found = check_access(doc, metadata)
    # The metadata (live or snapshot) knows each existing connection's connector.
    existing = metadata.connections.get(doc.name)
    found.extend(check_connector_unchanged(doc, existing.connector if existing is not None else None))
    connector = metadata.connectors.get(doc.connector)
    if connector is not None:
        found.extend(check_config(doc, connector, parse_value))
    else:
        found.append(
            make(
                "SS321",
                f"config rules skipped for connection {doc.name!r}: "
                f"no metadata for connector {doc.connector!r}",
                _root(desired),
                address,
            )
        )
    conn_meta = metadata.for_connection(doc.name, doc.connector)
    if conn_meta is None:
        found.append(
            make(
                "SS321",
                f"field rules skipped for connection {doc.name!r}: no metadata",
                _root(desired),
                address,
            )
        )
        return found
    if conn_meta.borrowed_from:
        found.append(
            make(
                "SS320",
                f"field rules for new connection {doc.name!r} used the metadata of connection "
                f"{conn_meta.borrowed_from!r} on the same connector {doc.connector!r}",
                _root(desired),
                address,
            )
        )
    found.extend(check_actors(doc, conn_meta))
    live_connection = live.connections.get(doc.name) if live is not None else None
    for actor in sorted(set(desired.actors) | set(doc.actors)):
        actor_meta = conn_meta.actors.get(actor)
        if actor_meta is None:
            found.extend(_unoffered_documents(desired, conn_meta, actor))
            continue
        contexts.append(
            ActorContext(
                connection=desired,
                actor=actor,
                meta=actor_meta,
                conn_meta=conn_meta,
                metadata=metadata,
                live_actor=live_connection.actors.get(actor) if live_connection is not None else None,
                parse_value=parse_value,
            )
        )
    return found


def _unoffered_documents(
    desired: ConnectionDesired, conn_meta: ConnectionMeta, actor_type: ErpActorType
) -> list[Diagnostic]:
    """SS301 at the `actor` key of each per-actor document for an actor type the connector lacks."""
    docs = desired.actors.get(actor_type)
    if docs is None:
        return []
    per_actor: list[PerActorDoc] = [
        d for d in (docs.mappings, docs.defaults, docs.ranking) if d is not None
    ] + [docs.lists[k] for k in sorted(docs.lists)]
    offered = ", ".join(a.value for a in ErpActorType if a in conn_meta.actors) or "none"
    return [
        make(
            "SS301",
            f"{d.kind} for actor type {d.actor.value}, which connector {desired.connection.connector!r} "
            f"does not offer for connection {desired.name!r}",
            locate(d, "actor"),
            str(Address.connection(desired.name).of_actor(d.actor.value)),
            hint=f"actor types it offers: {offered}",
        )
        for d in per_actor
    ]


def _root(desired: ConnectionDesired) -> Location | None:
    # Located only when reported: asking for a position re-reads the file with positions.
    origin = desired.connection.origin
    return origin.locate(()) if origin is not None else None
