"""`diff_metadata`: a typed, keyed comparison of two `Metadata` values (pure, deterministic).

Each part of the model is compared by its own key (connector name, connection name, actor
type, field key, list item key), so a change is named the way a configuration names the
thing, and what a snapshot leaves unknown stays unknown: an ERP list the tenant does not
publish is not "emptied", and a CRM field attribute the tenant does not tell (None) is
never reported as changed. docs/metadata.md says why this is not a general nested diff.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TypeVar

from syncspec.metadata.changes import ChangeKind as K
from syncspec.metadata.changes import MetadataChange
from syncspec.model.enums import ErpActorType, FieldAccess
from syncspec.model.metadata import (
    ActorMeta,
    ConfigFieldMeta,
    ConnectionMeta,
    ConnectorMeta,
    CrmFieldMeta,
    ErpFieldMeta,
    Metadata,
)

KT = TypeVar("KT", bound=str)
V = TypeVar("V")


def diff_metadata(before: Metadata, after: Metadata) -> tuple[MetadataChange, ...]:
    """Every change from `before` to `after`, in a stable order (kind groups, then names)."""
    changes: list[MetadataChange] = []
    changes.extend(_connectors(before.connectors, after.connectors))
    changes.extend(_connections(before.connections, after.connections))
    changes.extend(_crm_fields(before.crm_fields, after.crm_fields))
    changes.extend(_crm_lists(before, after))
    changes.extend(_names(before.users, after.users, K.USER_ADDED, K.USER_REMOVED))
    changes.extend(_names(before.groups, after.groups, K.GROUP_ADDED, K.GROUP_REMOVED))
    return tuple(changes)


def _keys(before: Mapping[KT, V], after: Mapping[KT, V]) -> Iterator[tuple[KT, V | None, V | None]]:
    """Each key of either side once, sorted, with its value on each side (None when absent)."""
    for key in sorted(set(before) | set(after)):
        yield key, before.get(key), after.get(key)


def _connectors(
    before: Mapping[str, ConnectorMeta], after: Mapping[str, ConnectorMeta]
) -> Iterator[MetadataChange]:
    for name, old, new in _keys(before, after):
        if new is None:
            yield MetadataChange(K.CONNECTOR_REMOVED, subject=name)
            continue
        if old is None:
            yield MetadataChange(K.CONNECTOR_ADDED, subject=name)
            continue
        if old.url != new.url:
            # the URL may carry credentials of a remote connector: say that it changed, not what to
            yield MetadataChange(K.CONNECTOR_URL_CHANGED, subject=name)
        yield from _config_fields(name, old.config_fields, new.config_fields)
        yield from _list_items(
            old.config_lists, new.config_lists, K.CONFIG_LIST_ITEM_ADDED, K.CONFIG_LIST_ITEM_REMOVED, None
        )


def _config_fields(
    connector: str, before: Mapping[str, ConfigFieldMeta], after: Mapping[str, ConfigFieldMeta]
) -> Iterator[MetadataChange]:
    for key, old, new in _keys(before, after):
        if new is None:
            yield MetadataChange(K.CONFIG_FIELD_REMOVED, owner=connector, subject=key)
        elif old is None:
            yield MetadataChange(K.CONFIG_FIELD_ADDED, owner=connector, subject=key, after=_config_text(new))
        elif _config_text(old) != _config_text(new):
            yield MetadataChange(
                K.CONFIG_FIELD_CHANGED,
                owner=connector,
                subject=key,
                before=_config_text(old),
                after=_config_text(new),
            )


def _config_text(f: ConfigFieldMeta) -> str:
    parts = [f.field_type.value, f.access.value]
    if f.list_name:
        parts.append(f"list {f.list_name}")
    if f.max_length:
        parts.append(f"max {f.max_length}")
    if f.default_value and not f.sensitive:
        parts.append(f"default {f.default_value!r}")
    return ", ".join(parts)


def _connections(
    before: Mapping[str, ConnectionMeta], after: Mapping[str, ConnectionMeta]
) -> Iterator[MetadataChange]:
    for name, old, new in _keys(before, after):
        if new is None:
            yield MetadataChange(K.CONNECTION_REMOVED, connection=name, subject=name)
            continue
        if old is None:
            yield MetadataChange(K.CONNECTION_ADDED, connection=name, subject=name, after=new.connector)
            continue
        if old.connector != new.connector:
            yield MetadataChange(
                K.CONNECTION_CONNECTOR_CHANGED,
                connection=name,
                subject=name,
                before=old.connector,
                after=new.connector,
            )
        yield from _actors(name, old.actors, new.actors)
        yield from _list_items(
            old.erp_lists, new.erp_lists, K.ERP_LIST_ITEM_ADDED, K.ERP_LIST_ITEM_REMOVED, name
        )


def _actors(
    connection: str, before: Mapping[ErpActorType, ActorMeta], after: Mapping[ErpActorType, ActorMeta]
) -> Iterator[MetadataChange]:
    for actor_type, old, new in _keys(before, after):
        actor = actor_type.value
        if new is None:
            yield MetadataChange(K.ACTOR_WITHDRAWN, connection=connection, actor=actor, subject=actor)
        elif old is None:
            yield MetadataChange(K.ACTOR_OFFERED, connection=connection, actor=actor, subject=actor)
        else:
            yield from _erp_fields(connection, actor, old.fields, new.fields)


def _present(f: ErpFieldMeta | None) -> ErpFieldMeta | None:
    # SuperOffice keeps a field the connector stopped reporting, flagged MissingInERP
    return None if f is None or f.missing_in_erp else f


def _erp_fields(
    connection: str, actor: str, before: Mapping[str, ErpFieldMeta], after: Mapping[str, ErpFieldMeta]
) -> Iterator[MetadataChange]:
    for key, raw_old, raw_new in _keys(before, after):
        old, new = _present(raw_old), _present(raw_new)
        at = {"connection": connection, "actor": actor, "subject": key}
        if old is None and new is None:
            continue
        if new is None:
            flagged = "MissingInERP" if raw_new is not None else ""
            yield MetadataChange(K.ERP_FIELD_REMOVED, **at, before=_field_text(raw_old), after=flagged)
            continue
        if old is None:
            yield MetadataChange(K.ERP_FIELD_ADDED, **at, after=_field_text(new))
            continue
        if old.field_type is not new.field_type:
            yield MetadataChange(
                K.ERP_FIELD_RETYPED, **at, before=old.field_type.value, after=new.field_type.value
            )
        if old.access is not new.access:
            kind = {
                FieldAccess.MANDATORY: K.ERP_FIELD_MADE_MANDATORY,
                FieldAccess.READ_ONLY: K.ERP_FIELD_MADE_READ_ONLY,
            }
            yield MetadataChange(
                kind.get(new.access, K.ERP_FIELD_ACCESS_CHANGED),
                **at,
                before=old.access.value,
                after=new.access.value,
            )
        if old.list_name != new.list_name:
            yield MetadataChange(K.ERP_FIELD_LIST_CHANGED, **at, before=old.list_name, after=new.list_name)
        if (old.display_name, old.max_length) != (new.display_name, new.max_length):
            yield MetadataChange(K.ERP_FIELD_CHANGED, **at, before=_shape(old), after=_shape(new))


def _field_text(f: ErpFieldMeta | None) -> str:
    if f is None:
        return ""
    parts = [f.field_type.value, f.access.value]
    if f.list_name:
        parts.append(f"list {f.list_name}")
    return ", ".join(parts)


def _shape(f: ErpFieldMeta) -> str:
    return f"{f.display_name!r}" + (f", max {f.max_length}" if f.max_length else "")


def _list_items(
    before: Mapping[str, Mapping[str, str]],
    after: Mapping[str, Mapping[str, str]],
    added: K,
    removed: K,
    connection: str | None,
) -> Iterator[MetadataChange]:
    """Items of the lists both sides know; a list only one side knows is unknown on the other."""
    erp = connection is not None
    for name, old, new in _keys(before, after):
        if old is None or new is None:
            if erp:
                kind = K.ERP_LIST_ADDED if old is None else K.ERP_LIST_REMOVED
                yield MetadataChange(kind, connection=connection or "", owner=name)
            continue
        for key, old_text, new_text in _keys(old, new):
            at = {"connection": connection or "", "owner": name, "subject": key}
            if new_text is None:
                yield MetadataChange(removed, **at, before=old_text or "")
            elif old_text is None:
                yield MetadataChange(added, **at, after=new_text)
            elif erp and old_text != new_text:
                yield MetadataChange(K.ERP_LIST_ITEM_RENAMED, **at, before=old_text, after=new_text)


def _crm_fields(
    before: Mapping[str, CrmFieldMeta], after: Mapping[str, CrmFieldMeta]
) -> Iterator[MetadataChange]:
    for key, old, new in _keys(before, after):
        if new is None:
            yield MetadataChange(K.CRM_FIELD_REMOVED, subject=key)
        elif old is None:
            yield MetadataChange(K.CRM_FIELD_ADDED, subject=key)
        else:
            for what, was, now in _crm_attributes(old, new):
                yield MetadataChange(
                    K.CRM_FIELD_CHANGED, subject=key, before=f"{what} {was}", after=f"{what} {now}"
                )


def _crm_attributes(old: CrmFieldMeta, new: CrmFieldMeta) -> Iterator[tuple[str, str, str]]:
    """(attribute, before, after) for each attribute both sides know and that differs."""
    pairs: list[tuple[str, object, object]] = [
        ("type", old.field_type, new.field_type),
        ("read-only", old.read_only, new.read_only),
        ("entity", old.crm_actor, new.crm_actor),
    ]
    for what, was, now in pairs:
        if was is not None and now is not None and was != now:
            yield what, _text(was), _text(now)
    if old.list_name and new.list_name and old.list_name != new.list_name:
        yield "list", old.list_name, new.list_name


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(getattr(value, "value", value))


def _crm_lists(before: Metadata, after: Metadata) -> Iterator[MetadataChange]:
    for name, old, new in _keys(before.crm_lists, after.crm_lists):
        if new is None:
            yield MetadataChange(K.CRM_LIST_REMOVED, owner=name)
            continue
        if old is None:
            yield MetadataChange(K.CRM_LIST_ADDED, owner=name)
            continue
        for item_id in sorted(set(old.items) | set(new.items)):
            was, now = old.items.get(item_id), new.items.get(item_id)
            at = {"owner": name, "subject": str(item_id)}
            if now is None:
                yield MetadataChange(K.CRM_LIST_ITEM_REMOVED, **at, before=was or "")
            elif was is None:
                yield MetadataChange(K.CRM_LIST_ITEM_ADDED, **at, after=now)
            elif was != now:
                yield MetadataChange(K.CRM_LIST_ITEM_RENAMED, **at, before=was, after=now)


def _names(before: Iterable[str], after: Iterable[str], added: K, removed: K) -> Iterator[MetadataChange]:
    old, new = set(before), set(after)
    for name in sorted(old | new):
        if name not in new:
            yield MetadataChange(removed, subject=name)
        elif name not in old:
            yield MetadataChange(added, subject=name)


def summary(changes: Iterable[MetadataChange]) -> str:
    """One line: how many changes of each kind, e.g. `2 ERP fields removed, 1 ERP field made mandatory`."""
    counts: dict[K, int] = {}
    for change in changes:
        counts[change.kind] = counts.get(change.kind, 0) + 1
    if not counts:
        return "no changes"
    order = list(K)
    return ", ".join(
        f"{counts[kind]} {label(kind, counts[kind])}" for kind in sorted(counts, key=order.index)
    )


# The noun each kind's value starts with (longest first), and how readers spell it.
_NOUNS = (
    ("erp-list-item", "ERP list item"),
    ("erp-field", "ERP field"),
    ("erp-list", "ERP list"),
    ("config-list-item", "config list item"),
    ("config-field", "config field"),
    ("crm-list-item", "CRM list item"),
    ("crm-field", "CRM field"),
    ("crm-list", "CRM list"),
    ("connector", "connector"),
    ("connection", "connection"),
    ("actor", "actor type"),
    ("user", "user"),
    ("group", "group"),
)


def label(kind: K, count: int = 1) -> str:
    """`erp-field-made-mandatory` -> `ERP field made mandatory` (`ERP fields ...` for a count above 1)."""
    for prefix, noun in _NOUNS:
        if kind.value.startswith(prefix + "-"):
            rest = kind.value[len(prefix) + 1 :].replace("-", " ").replace("read only", "read-only")
            return f"{noun}{'s' if count != 1 else ''} {rest.replace('url', 'URL')}"
    return kind.value.replace("-", " ")
