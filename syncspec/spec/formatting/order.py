"""Canonical key order per document kind, applied in place to ruamel round-trip maps.

Only maps whose keys are syncspec's own vocabulary are reordered. Maps whose keys are
user data (ERP field keys, list item keys, config keys, environment names) keep the
order the user chose. Known keys come first in the order below; keys this table does
not know keep their relative order after them, so a typo stays where the user put it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from typing import Any

# Path patterns inside a document ("*" = every value of a user-keyed map) -> key order.
KEY_ORDERS: Mapping[str, Mapping[tuple[str, ...], tuple[str, ...]]] = {
    "Connector": {(): ("kind", "name", "url")},
    "Connection": {
        (): ("kind", "name", "connector", "description", "active", "access", "config", "actors"),
        ("access",): ("groups", "users"),
    },
    "FieldMappings": {
        (): ("kind", "connection", "actor", "fields"),
        ("fields", "*"): ("crm", "direction", "show_in_search", "show_in_tab"),
    },
    "ListMappings": {(): ("kind", "connection", "actor", "field", "items")},
    "Defaults": {
        (): ("kind", "connection", "actor", "fields"),
        ("fields", "*"): ("value", "prompt", "mandatory"),
    },
    "Ranking": {(): ("kind", "connection", "actor", "order")},
    "SyncPriority": {(): ("kind", "order")},
    "SyncEngine": {(): ("kind", "automatic", "interval")},
    "Project": {
        (): ("kind", "config_dir", "default_environment", "state", "environments"),
        ("state",): ("backend", "dsn", "project"),
        ("environments", "*"): ("target", "vars"),
        ("environments", "*", "target"): ("type", "path", "url", "token"),
    },
}


def canonical_keys(keys: list[Any], order: tuple[str, ...]) -> list[Any]:
    """Known keys in `order`, then the others as they were."""
    rank = {name: index for index, name in enumerate(order)}
    known = sorted((k for k in keys if isinstance(k, str) and k in rank), key=lambda k: rank[k])
    return known + [k for k in keys if not (isinstance(k, str) and k in rank)]


def reorder_document(document: Any) -> None:
    """Put the maps of one round-trip document in canonical order (unknown kinds untouched)."""
    if not isinstance(document, dict):
        return
    kind = document.get("kind")
    patterns = KEY_ORDERS.get(kind) if isinstance(kind, str) else None
    if patterns is None:
        return
    for pattern, order in patterns.items():
        for target in _maps_at(document, pattern):
            _reorder(target, order)


def _maps_at(node: Any, pattern: tuple[str, ...]) -> Iterator[dict[Any, Any]]:
    if not isinstance(node, dict):
        return
    if not pattern:
        yield node
        return
    head, rest = pattern[0], pattern[1:]
    children = list(node.values()) if head == "*" else [node[head]] if head in node else []
    for child in children:
        yield from _maps_at(child, rest)


def _reorder(mapping: dict[Any, Any], order: tuple[str, ...]) -> None:
    wanted = canonical_keys(list(mapping), order)
    if wanted == list(mapping):
        return
    for key in wanted:
        if isinstance(mapping, OrderedDict):
            # CommentedMap is an OrderedDict: moving keeps values, comments and positions.
            mapping.move_to_end(key)
        else:
            mapping[key] = mapping.pop(key)
