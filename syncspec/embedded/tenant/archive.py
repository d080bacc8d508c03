"""The `ErpField` archive provider of the embedded tenant, with the OData-style query the REST API takes.

SuperOffice documents the provider's columns (archive-providers/reference/erpfield.md) and
the generic query parameters of `GET /api/v1/archive/{provider}` ($select, $filter,
$orderBy, $top, $skip). Where the documentation is silent the emulator reads a request in
the least forgiving way (docs/rest.md, "Archive and MDO endpoints"): only the columns it
serves, only `<column> eq <value>` joined by `and`, a page of at most `MAX_TOP` rows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from syncspec.embedded.tenant.engine import TenantCall

MAX_TOP = 1000  # the largest page the emulator serves (the docs' own example asks $top=1000)

# column -> (SQL expression, JSON kind). Kinds follow the provider page's Restriction column:
# "int" columns travel as numbers, "bool" as true/false, strings as strings.
_COLUMNS: Mapping[str, tuple[str, str]] = {
    "Id": ("f.erpfield_id", "int"),
    "ErpConnectionActorTypeId": ("f.ErpConnectionActorTypeId", "int"),
    "ErpFieldKey": ("f.ErpFieldKey", "str"),
    "DisplayName": ("f.DisplayName", "str"),
    "DisplayDescription": ("f.DisplayDescription", "str"),
    "ListName": ("f.ListName", "str"),
    "DefaultValue": ("f.DefaultValue", "str"),
    "MaxLength": ("f.MaxLength", "int"),
    "HasFirstSyncDefaultValue": ("f.HasFirstSyncDefaultValue", "int"),
    "FirstSyncDefaultValue": ("f.FirstSyncDefaultValue", "str"),
    "PromptUser": ("f.PromptUser", "bool"),
    "Mandatory": ("f.Mandatory", "bool"),
    "CrmFieldKey": ("f.CrmFieldKey", "str"),
    "SyncToCrm": ("f.SyncToCrm", "int"),
    "SyncToErp": ("f.SyncToErp", "int"),
    "ShowInGui": ("f.ShowInGui", "int"),
    "ShowInSearch": ("f.ShowInSearch", "int"),
    "Rank": ("f.Rank", "int"),
    "ListReference": ("f.ListReference", "str"),
    "MissingInERP": ("f.MissingInERP", "int"),
    "ConnectionId": ("a.ErpConnectionId", "int"),
    "ActorTypeErp": ("a.ActorTypeErp", "str"),
    "PromptOrHasDefault": ("(f.PromptUser OR f.HasFirstSyncDefaultValue)", "bool"),
}
# Documented, but not served: FieldType and Access are "int" on the page and the mapping of
# their numbers is not published; updated*/registered* are not kept by the embedded tenant.

_FROM = (
    "FROM ErpField f JOIN ErpConnectionActorType a "
    "ON a.erpconnectionactortype_id = f.ErpConnectionActorTypeId "
    "JOIN ErpConnection c ON c.erpconnection_id = a.ErpConnectionId WHERE c.Deleted = 0"
)
_TERM = re.compile(r"\s*([A-Za-z]+)\s+eq\s+(-?\d+|'(?:[^']|'')*')\s*")
_ORDER = re.compile(r"\s*([A-Za-z]+)(?:\s+(asc|desc))?\s*", re.IGNORECASE)


class QueryError(ValueError):
    """A request the emulator does not serve; the server answers 400 with this message."""


@dataclass(frozen=True)
class ArchiveQuery:
    select: tuple[str, ...]
    where: tuple[tuple[str, int | str], ...] = ()
    order_by: tuple[tuple[str, bool], ...] = ()  # (column, descending)
    top: int = MAX_TOP
    skip: int = 0


def parse_query(params: Mapping[str, str]) -> ArchiveQuery:
    """Read $select/$filter/$orderBy/$top/$skip; anything else, or anything odd, is a QueryError."""
    known = {"$select", "$filter", "$orderBy", "$top", "$skip"}
    unknown = sorted(set(params) - known)
    if unknown:
        raise QueryError(
            f"the emulator does not serve the parameter {unknown[0]!r} (served: {sorted(known)})"
        )
    select = tuple(c.strip() for c in params.get("$select", "").split(",") if c.strip())
    if not select:
        raise QueryError("$select is required: name the columns to return")
    for column in select:
        _column(column)
    return ArchiveQuery(
        select=select,
        where=_filter(params.get("$filter", "")),
        order_by=_order(params.get("$orderBy", "")),
        top=_count(params, "$top", MAX_TOP, low=1, high=MAX_TOP),
        skip=_count(params, "$skip", 0, low=0, high=10**9),
    )


def erp_field_rows(s: TenantCall, query: ArchiveQuery) -> list[dict[str, Any]]:
    """One page of rows, each `{PrimaryKey, EntityName, <selected columns>}` as the REST API shapes them."""
    sql_columns = ", ".join(f"{_column(c)[0]} AS c{i}" for i, c in enumerate(query.select))
    where = "".join(f" AND {_column(c)[0]} = ?" for c, _ in query.where)
    order = [f"{_column(c)[0]} {'DESC' if desc else 'ASC'}" for c, desc in query.order_by]
    order.append("f.erpfield_id ASC")  # a total order, so pages never overlap or skip a row
    sql = (
        f"SELECT f.erpfield_id AS pk, {sql_columns} {_FROM}{where} "
        f"ORDER BY {', '.join(order)} LIMIT ? OFFSET ?"
    )
    values = [v for _, v in query.where]
    rows = s.db.execute(sql, (*values, query.top, query.skip)).fetchall()
    return [_row(query.select, r) for r in rows]


def _row(select: Sequence[str], r: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"PrimaryKey": int(r["pk"]), "EntityName": "erpfield"}
    for i, column in enumerate(select):
        kind = _column(column)[1]
        value = r[f"c{i}"]
        row[column] = bool(value) if kind == "bool" else int(value) if kind == "int" else str(value)
    return row


def _column(name: str) -> tuple[str, str]:
    found = _COLUMNS.get(name)
    if found is None:
        raise QueryError(f"the ErpField archive has no column {name!r} the emulator serves")
    return found


def _filter(text: str) -> tuple[tuple[str, int | str], ...]:
    if not text.strip():
        return ()
    terms: list[tuple[str, int | str]] = []
    for part in re.split(r"\s+and\s+", text.strip()):
        match = _TERM.fullmatch(part)
        if match is None:
            raise QueryError(
                f"$filter: the emulator serves only `<column> eq <value>` joined by `and`: {part!r}"
            )
        column, raw = match.groups()
        _column(column)
        value: int | str = raw[1:-1].replace("''", "'") if raw.startswith("'") else int(raw)
        terms.append((column, value))
    return tuple(terms)


def _order(text: str) -> tuple[tuple[str, bool], ...]:
    if not text.strip():
        return ()
    found: list[tuple[str, bool]] = []
    for part in text.split(","):
        match = _ORDER.fullmatch(part)
        if match is None:
            raise QueryError(f"$orderBy: cannot read {part!r}")
        _column(match.group(1))
        found.append((match.group(1), (match.group(2) or "").lower() == "desc"))
    return tuple(found)


def _count(params: Mapping[str, str], name: str, default: int, *, low: int, high: int) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise QueryError(f"{name} must be a whole number from {low} to {high}, not {raw[:20]!r}")
    return int(raw)
