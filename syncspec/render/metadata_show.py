"""What `syncspec metadata show` prints: the names a configuration must spell exactly (CRM list
items for ListMappings, ERP field keys, ERP list items, CRM field keys), read from tenant
metadata. Pure: a `Metadata` in, rows and a JSON-ready document out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from syncspec.model.errors import UsageError
from syncspec.model.metadata import ConnectionMeta, Metadata

WHAT = ("crm-lists", "crm-fields", "erp-fields", "erp-lists")


def _unknown(what: str, name: str, known: Iterable[str], owner: str = "the metadata") -> UsageError:
    from syncspec.spec.suggest import did_you_mean

    names = sorted(set(known))
    listed = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
    hint = did_you_mean(name, names) or (f"known: {listed}" if names else "the metadata names none")
    return UsageError(f"{owner} has no {what} {name!r}", hint=hint)


def _connection(metadata: Metadata, name: str) -> ConnectionMeta:
    meta = metadata.connections.get(name)
    if meta is None:
        raise _unknown("connection", name, metadata.connections)
    return meta


def show(metadata: Metadata, what: str, names: tuple[str, ...]) -> dict[str, Any]:
    """The document for `what` (one of WHAT), narrowed by `names`; UsageError for unknown names."""
    if what == "crm-lists":
        return _crm_lists(metadata, names)
    if what == "crm-fields":
        fields = metadata.crm_fields.values()
        return {"crm_fields": [{"key": f.key, "name": f.display_name, "list": f.list_name} for f in fields]}
    if not names:
        raise UsageError(
            f"'metadata show {what}' needs a CONNECTION", hint=f"syncspec metadata show {what} NAME"
        )
    connection = _connection(metadata, names[0])
    if what == "erp-fields":
        return _erp_fields(connection, names[1:])
    return _erp_lists(connection, names[1:])


def _crm_lists(metadata: Metadata, names: tuple[str, ...]) -> dict[str, Any]:
    for name in names:
        if name not in metadata.crm_lists:
            raise _unknown("CRM list", name, metadata.crm_lists)
    chosen = [metadata.crm_lists[n] for n in names] if names else list(metadata.crm_lists.values())
    return {
        "crm_lists": [
            {"name": c.name, "items": [{"id": i, "name": n} for i, n in sorted(c.items.items())]}
            for c in sorted(chosen, key=lambda c: c.name)
        ]
    }


def _erp_fields(connection: ConnectionMeta, actors: tuple[str, ...]) -> dict[str, Any]:
    by_name = {a.value: meta for a, meta in connection.actors.items()}
    for actor in actors:
        if actor not in by_name:
            raise _unknown("actor type", actor, by_name, f"connection {connection.name!r}")
    chosen = [by_name[a] for a in actors] if actors else list(by_name.values())
    return {
        "connection": connection.name,
        "borrowed_from": connection.borrowed_from,
        "actors": [
            {
                "actor": meta.actor.value,
                "fields": [
                    {
                        "key": f.key,
                        "name": f.display_name,
                        "type": f.field_type.value,
                        "access": f.access.value,
                        "list": f.list_name,
                    }
                    for f in meta.fields.values()
                ],
            }
            for meta in chosen
        ],
    }


def _erp_lists(connection: ConnectionMeta, names: tuple[str, ...]) -> dict[str, Any]:
    for name in names:
        if name not in connection.erp_lists:
            raise _unknown("ERP list", name, connection.erp_lists, f"connection {connection.name!r}")
    chosen = names or tuple(sorted(connection.erp_lists))
    return {
        "connection": connection.name,
        "erp_lists": [
            {"name": n, "items": [{"key": k, "name": v} for k, v in connection.erp_lists[n].items()]}
            for n in chosen
        ],
    }


def text_lines(document: dict[str, Any]) -> list[str]:
    """The document as aligned text: one block per list or actor, one row per item or field."""
    out: list[str] = []
    if "crm_lists" in document:
        for crm_list in document["crm_lists"]:
            out.append(f"CRM list {crm_list['name']} ({len(crm_list['items'])} items)")
            out.extend(_rows([(str(i["id"]), i["name"]) for i in crm_list["items"]]))
            out.append("")
    elif "crm_fields" in document:
        out.extend(_rows([(f["key"], f["name"], f["list"]) for f in document["crm_fields"]]))
    elif "actors" in document:
        borrowed = f" (borrowed from {document['borrowed_from']})" if document["borrowed_from"] else ""
        for actor in document["actors"]:
            out.append(f"connection {document['connection']}{borrowed}, actor {actor['actor']}")
            rows = [(f["key"], f["type"], f["access"], f["list"], f["name"]) for f in actor["fields"]]
            out.extend(_rows(rows))
            out.append("")
    else:
        for erp_list in document["erp_lists"]:
            out.append(f"connection {document['connection']}, ERP list {erp_list['name']}")
            out.extend(_rows([(i["key"], i["name"]) for i in erp_list["items"]]))
            out.append("")
    return out[:-1] if out and out[-1] == "" else out


def _rows(rows: Sequence[tuple[str, ...]]) -> list[str]:
    if not rows:
        return ["  (none)"]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    return [
        "  " + "  ".join([*(c.ljust(w) for c, w in zip(r, widths, strict=False)), r[-1]]).rstrip()
        for r in rows
    ]
