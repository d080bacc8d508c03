"""The one table of known divergences from SuperOffice's documented contract.

Key: (side, case id). side is "client" (syncspec.targets.rest_agent.RestAgent), "emulator"
(syncspec.tenant.server) or "wire" (a method in syncspec.targets.rest_wire that SuperOffice
does not have). Each entry turns its test into `xfail(strict=True)`: when a fix makes the test
pass, it XPASS-fails, and whoever merges the fix deletes the entry. Never add an entry to make
a new failure go away without saying in its reason what the code does differently.
"""

from __future__ import annotations

import pytest

NOT_IN_CLIENT = "not implemented by RestAgent"
NOT_SERVED = "not served by the emulator (404)"
NO_MDO_ROUTE = "the emulator serves no MDOList endpoint (404)"

KNOWN_DIVERGENCES: dict[tuple[str, str], str] = {
    # --- the client (RestAgent) ------------------------------------------------------------
    ("client", "CreateDefaultErpSyncConnectorEntity"): NOT_IN_CLIENT,
    ("client", "TestConnectorUrl"): NOT_IN_CLIENT,
    ("client", "GetErpSyncConnectionSummary"): NOT_IN_CLIENT,
    ("client", "GetCrmActorType"): NOT_IN_CLIENT,
    ("client", "MoveErpFieldItem"): (
        "reads the ranks first with the invented GetErpFieldRanks (a 404 on a real tenant)"
    ),
    ("client", "Archive.ErpField"): (
        "RestAgent has no read of the ErpField archive (get_erp_field_rows is the proposed name)"
    ),
    ("client", "MDOList.GetList"): (
        "RestAgent has no MDO list read (get_mdo_list proposed); CRM lists come from GetCrmLists"
    ),
    ("client", "MDOList.crmfields"): (
        "RestAgent has no MDO list read (get_mdo_list proposed); CRM fields come from GetCrmFields"
    ),
    ("client", "MDOList.associate"): "get_associates posts the invented Agents/ErpSync/GetAssociates",
    ("client", "MDOList.usergroup"): "get_user_groups posts the invented Agents/ErpSync/GetUserGroups",
    ("client", "MDOList.erpconnections"): (
        "get_erp_connection_sync_priorities posts the invented GetErpConnectionSyncPriorities"
    ),
    # --- the emulator (syncspec.tenant.server) ---------------------------------------------
    ("emulator", "CreateDefaultErpSyncConnectorEntity"): NOT_SERVED,
    ("emulator", "TestConnectorUrl"): NOT_SERVED,
    ("emulator", "GetErpSyncConnectionSummary"): NOT_SERVED,
    ("emulator", "GetCrmActorType"): NOT_SERVED,
    ("emulator", "Archive.ErpField"): "the emulator serves no archive endpoint (404)",
    ("emulator", "MDOList.GetList"): NO_MDO_ROUTE,
    ("emulator", "MDOList.associate"): NO_MDO_ROUTE,
    ("emulator", "MDOList.usergroup"): NO_MDO_ROUTE,
    ("emulator", "MDOList.crmfields"): NO_MDO_ROUTE,
    ("emulator", "MDOList.erpconnections"): NO_MDO_ROUTE,
    # --- invented wire methods (rest_wire.METHODS entries with extension=True) --------------
    ("wire", "GetErpConnectionSyncPriorities"): (
        "invented; the documented read is the MDO list erpconnections (useRank)"
    ),
    ("wire", "GetErpFieldRanks"): "invented; ranks are in the ErpField archive (Rank column)",
    ("wire", "GetErpListItems"): (
        "invented; ERP items of mapped list fields come with GetConnectionListMappings"
    ),
    ("wire", "GetCrmFields"): "invented; the documented list is the MDO list crmfields",
    ("wire", "GetCrmLists"): "invented; each CRM list is its own MDO list (GET MDOList/{name})",
    ("wire", "GetAssociates"): "invented; the documented list is the MDO list associate",
    ("wire", "GetUserGroups"): "invented; the documented list is the MDO list usergroup",
}

# rest_wire methods that SuperOffice's ErpSync agent does not have (49 documented methods):
# being removed, so they need no case. Each is also a ("wire", name) divergence above.
INVENTED_WIRE_METHODS: dict[str, str] = {
    name: reason for (side, name), reason in KNOWN_DIVERGENCES.items() if side == "wire"
}


def marks(side: str, case_id: str) -> list[pytest.MarkDecorator]:
    reason = KNOWN_DIVERGENCES.get((side, case_id))
    return [] if reason is None else [pytest.mark.xfail(strict=True, reason=reason)]
