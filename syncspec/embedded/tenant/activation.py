"""ToggleErpConnectionActive: deactivation always succeeds; activation only when the mappings can sync.

SuperOffice returns the reasons instead of raising, and does not flip while any remain. Only
documented reasons refuse (docs/rules.md, tenant rules): a mandatory ERP field without a
direction, a direction without a SuperOffice field, a failing connection test. What syncspec
merely advises (no actor type synchronised, a direction left on a field the ERP no longer
has) is reported by `validate` (SS219, SS302), not refused here.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from syncspec.embedded.tenant.calls import ask, explain
from syncspec.embedded.tenant.records import connection_row
from syncspec.model.errors import AgentError

if TYPE_CHECKING:
    from syncspec.embedded.tenant.engine import TenantCall


def activation_problems(db: sqlite3.Connection, erp_connection_id: int) -> list[str]:
    """Why the connection's mappings cannot be activated (empty when they can). Pure reads."""
    reasons: list[str] = []
    actors = db.execute(
        "SELECT * FROM ErpConnectionActorType WHERE ErpConnectionId = ? ORDER BY erpconnectionactortype_id",
        (erp_connection_id,),
    ).fetchall()
    for actor in actors:
        name = actor["ActorTypeErp"]
        fields = db.execute(
            "SELECT * FROM ErpField WHERE ErpConnectionActorTypeId = ? ORDER BY Rank",
            (actor["erpconnectionactortype_id"],),
        ).fetchall()
        for f in fields:
            label = f"{name}: the ERP field '{f['DisplayName'] or f['ErpFieldKey']}' ({f['ErpFieldKey']})"
            has_direction = bool(f["SyncToCrm"] or f["SyncToErp"])
            if (
                actor["IsActive"]
                and f["Access"] == "Mandatory"
                and not f["MissingInERP"]
                and not has_direction
            ):
                reasons.append(
                    f"{label} is mandatory. If the field is mandatory, you MUST choose a direction."
                )
            if has_direction and not f["CrmFieldKey"]:
                reasons.append(f"{label} has a sync direction but no SuperOffice field")
    return reasons


def toggle(s: TenantCall, erp_connection_id: int) -> list[str]:
    row = connection_row(s, erp_connection_id)
    if row["Active"]:
        s.db.execute("UPDATE ErpConnection SET Active = 0 WHERE erpconnection_id = ?", (erp_connection_id,))
        return []
    reasons = activation_problems(s.db, erp_connection_id)
    try:
        tested = ask(s, row, lambda c, g: c.test_connection(g))
    except AgentError as exc:  # e.g. the connector cannot be found: a reason, as SuperOffice returns it
        reasons.append(f"Test ERP connection failed: {exc.reason_text}")
    else:
        if not tested.is_ok:
            reasons.append(f"Test ERP connection failed: {explain(s, tested)}")
    if not reasons:
        s.db.execute("UPDATE ErpConnection SET Active = 1 WHERE erpconnection_id = ?", (erp_connection_id,))
    return reasons
