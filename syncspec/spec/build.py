"""Build the desired state (pydantic models, grouped per connection) from schema-valid documents.

The cross-document checks live in `syncspec.spec.crossdoc` and run on plain data;
models are built only when something needs them (rules, the planner), because
importing and building them is most of a small `validate` run's cost.
"""

from __future__ import annotations

from collections.abc import Sequence

from syncspec.model.desired import (
    ConnectionDesired,
    ConnectionDoc,
    ConnectorDoc,
    DefaultsDoc,
    DesiredState,
    FieldMappingsDoc,
    ListMappingsDoc,
    RankingDoc,
    SyncEngineDoc,
    SyncPriorityDoc,
    build_document,
)
from syncspec.model.diagnostics import Diagnostic
from syncspec.spec.crossdoc import Variables, check_cross_documents
from syncspec.spec.loading.documents import LoadedDocument

__all__ = ["Variables", "build_desired", "build_state"]


def build_state(documents: Sequence[LoadedDocument]) -> DesiredState:
    """Models for schema-valid documents, grouped per connection; the first of duplicates wins."""
    connectors: dict[str, ConnectorDoc] = {}
    connections: dict[str, ConnectionDoc] = {}
    priority: SyncPriorityDoc | None = None
    engine: SyncEngineDoc | None = None
    per_actor: list[FieldMappingsDoc | DefaultsDoc | RankingDoc | ListMappingsDoc] = []
    for loaded in documents:
        doc = build_document(loaded.data, loaded.origin)
        if isinstance(doc, ConnectorDoc):
            connectors.setdefault(doc.name, doc)
        elif isinstance(doc, ConnectionDoc):
            connections.setdefault(doc.name, doc)
        elif isinstance(doc, SyncPriorityDoc):
            priority = priority or doc
        elif isinstance(doc, SyncEngineDoc):
            engine = engine or doc
        elif isinstance(doc, FieldMappingsDoc | DefaultsDoc | RankingDoc | ListMappingsDoc):
            per_actor.append(doc)

    aggregates = {name: ConnectionDesired(connection=doc) for name, doc in connections.items()}
    seen: set[tuple[str, ...]] = set()
    for doc in per_actor:
        key = (doc.kind, doc.connection, doc.actor, doc.field if isinstance(doc, ListMappingsDoc) else "")
        target = aggregates.get(doc.connection)
        if target is None or key in seen:
            continue
        seen.add(key)
        aggregates[doc.connection] = target.with_document(doc)
    return DesiredState(
        connectors=connectors, connections=aggregates, sync_priority=priority, sync_engine=engine
    )


def build_desired(
    documents: Sequence[LoadedDocument],
    variables: Variables | None = None,
    *,
    unbuilt: Sequence[LoadedDocument] = (),
) -> tuple[DesiredState, list[Diagnostic]]:
    """The desired state and the cross-document diagnostics, in one call."""
    diagnostics = check_cross_documents(documents, variables, unbuilt=unbuilt)
    return build_state(documents), diagnostics
