"""MDO lists of the embedded tenant: `GET /api/v1/MDOList/{name}` (mdo-providers reference pages).

Served lists: `erpconnections` (additional `useRank=true` sorts by sync priority), `crmfields`,
`associate`, `usergroup`, and one list per CRM list (the table a field mapping's
ListReference names, `table=<name>[&<extra>=<value>]`, the extras as `additional`).
attribute it does not serve, is refused: the docs say nothing of either, and a silent empty
answer would hide a wrong request (docs/rest.md, "Archive and MDO endpoints").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from syncspec.embedded.tenant.licence import require_erp_sync_licence
from syncspec.targets.carriers import MDOListItem

if TYPE_CHECKING:
    from syncspec.embedded.tenant.engine import TenantCall

# additional attributes erpconnections documents; the emulator serves these two only
_ERP_CONNECTION_ATTRIBUTES = {"useRank", "prefixwithconnector"}


class UnknownList(LookupError):
    """No MDO list by that name; the server answers 404."""


def mdo_list(s: TenantCall, name: str, additional: str = "") -> list[MDOListItem]:
    attributes = _attributes(s, name, additional)
    if name == "erpconnections":
        require_erp_sync_licence(s)  # ERP sync data, unlike the CRM lists
        return _erp_connections(s, attributes)
    if name not in ("crmfields", "associate", "usergroup"):
        return _crm_list(s, name, additional)
    if attributes:
        s.refuse(f"The MDO list '{name}' takes no additional attributes in the emulator")
    if name == "crmfields":
        rows = s.db.execute("SELECT crmfield_id, field_key FROM CrmField ORDER BY crmfield_id")
        return [MDOListItem(id=r[0], name=r[1]) for r in rows]
    if name == "associate":
        rows = s.db.execute("SELECT * FROM Associate WHERE deleted = 0 ORDER BY associate_id")
        return [
            MDOListItem(
                id=r["associate_id"],
                name=r["name"],
                full_name=r["full_name"],
                extra_info=f"person_id={r['associate_id']}&contact_id=0",
            )
            for r in rows
        ]
    if name == "usergroup":
        rows = s.db.execute("SELECT * FROM UserGroup WHERE deleted = 0 ORDER BY usergroup_id")
        return [MDOListItem(id=r["usergroup_id"], name=r["name"]) for r in rows]
    raise AssertionError("unreachable")  # every served name returned above


def _crm_list(s: TenantCall, name: str, additional: str) -> list[MDOListItem]:
    """A CRM list by the table its ListReference names, extra ids as `additional` (`a=b&c=d`)."""
    reference = f"table={name}" + (f"&{additional}" if additional else "")
    found = s.db.execute("SELECT crmlist_id FROM CrmList WHERE list_reference = ?", (reference,)).fetchone()
    if found is None:
        raise UnknownList(name)
    items = s.db.execute("SELECT * FROM CrmListItem WHERE crmlist_id = ? ORDER BY rank, item_id", (found[0],))
    return [
        MDOListItem(
            id=i["item_id"],
            name=i["name"],
            rank=i["rank"],
            extra_info=i["extra_info"],
            deleted=bool(i["deleted"]),
        )
        for i in items
    ]


def _attributes(s: TenantCall, name: str, additional: str) -> dict[str, str]:
    """`a=b&c=d` (the format is not documented; this is the one erpconnections' example suggests)."""
    found: dict[str, str] = {}
    for part in additional.split("&") if additional.strip() else ():
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            s.refuse(f"The additional attribute {part[:40]!r} of the MDO list '{name}' is not `name=value`")
        found[key.strip()] = value.strip()
    if name == "erpconnections":
        unknown = sorted(set(found) - _ERP_CONNECTION_ATTRIBUTES)
        if unknown:
            s.refuse(f"The MDO list 'erpconnections' has no additional attribute {unknown[0]!r}")
    return found


def _erp_connections(s: TenantCall, attributes: dict[str, str]) -> list[MDOListItem]:
    by_rank = attributes.get("useRank", "").lower() == "true"
    prefixed = attributes.get("prefixwithconnector", "").lower() == "true"
    order = "c.SyncPriority, c.erpconnection_id" if by_rank else "c.DisplayName, c.erpconnection_id"
    rows = s.db.execute(
        "SELECT c.*, k.DisplayName AS ConnectorName FROM ErpConnection c "
        f"JOIN ErpConnector k ON k.erpconnector_id = c.ErpConnectorId WHERE c.Deleted = 0 ORDER BY {order}"
    ).fetchall()
    return [
        MDOListItem(
            id=r["erpconnection_id"],
            name=f"{r['ConnectorName']} - {r['DisplayName']}" if prefixed else r["DisplayName"],
            rank=rank,
            extra_info=r["ConnectionId"],
        )
        for rank, r in enumerate(rows, start=1)
    ]
