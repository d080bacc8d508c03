"""Reads SuperOffice documents outside the ErpSync agent: the `ErpField` archive and MDO lists.

The ErpSync agent has no read for field ranks, the sync priority, CRM fields, CRM lists,
users or groups. SuperOffice publishes them elsewhere:

- archive provider `ErpField` (`GET /api/v1/archive/ErpField`): one row per ERP field with
  its rank, its sync defaults and its ERP list name;
- MDO lists (`GET /api/v1/MDOList/{name}`): `erpconnections` (with `useRank=true`: the
  sync priority), `crmfields`, `associate`, `usergroup`, and one list per CRM list (its
  name comes from `ErpSyncFieldMapping.ListReference`, `table=<name>[&...]`).

`TenantLists` is what a target needs of those two endpoints; `RestAgent` serves it over
HTTP (`rest_lists`) and the embedded tenant's `InProcessAgent` from its tables.

`EmbeddedFacts` is what only the embedded tenant can add: the types and read-only flags of
its CRM fields and the items of every ERP list. SuperOffice documents no source for these
facts, so the REST path never has them and the metadata marks them unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable
from urllib.parse import parse_qsl

from syncspec.model.enums import ErpActorType
from syncspec.model.metadata import CrmFieldMeta
from syncspec.targets.carriers import Carrier, MDOListItem

ERP_FIELD_PROVIDER = "ErpField"

# The archive columns syncspec reads, with the names of the provider's reference page.
ERP_FIELD_COLUMNS: tuple[str, ...] = (
    "Id",
    "ConnectionId",
    "ActorTypeErp",
    "ErpFieldKey",
    "Rank",
    "ListName",
    "HasFirstSyncDefaultValue",
    "FirstSyncDefaultValue",
    "PromptUser",
    "Mandatory",
)

# MDO lists syncspec reads (docs/en/api/mdo-providers/reference/<name>.md)
ERP_CONNECTIONS_LIST = "erpconnections"
BY_RANK = "useRank=true"  # the additional attribute "Sort by rank" of `erpconnections`
CRM_FIELDS_LIST = "crmfields"
ASSOCIATE_LIST = "associate"
USER_GROUP_LIST = "usergroup"


class ErpFieldRow(Carrier):
    """One row of the `ErpField` archive, with the columns of `ERP_FIELD_COLUMNS`."""

    id: int
    connection_id: int
    actor_type_erp: ErpActorType
    erp_field_key: str
    rank: int = 0
    list_name: str = ""
    has_first_sync_default_value: bool = False
    first_sync_default_value: str = ""
    prompt_user: bool = False
    mandatory: bool = False


class TenantLists(Protocol):
    """The archive and MDO-list reads a target needs (documented REST endpoints, not the agent)."""

    def get_erp_field_rows(self, erp_connection_id: int) -> list[ErpFieldRow]:
        """`ErpField` archive rows of one connection (`$filter=ConnectionId eq <id>`), every page."""
        ...

    def get_mdo_list(self, list_name: str, additional: str = "") -> list[MDOListItem]:
        """`GET /api/v1/MDOList/{list_name}?flat=true[&additional=...]`."""
        ...


@runtime_checkable
class EmbeddedFacts(Protocol):
    """Facts only the embedded tenant knows (no SuperOffice endpoint documents them)."""

    def crm_field_catalogue(self) -> list[CrmFieldMeta]:
        """Every CRM field with its entity, type, read-only flag and list."""
        ...

    def connector_list(self, erp_connection_id: int, list_name: str) -> Mapping[str, str] | None:
        """An ERP list as the connection's connector reports it; None when it cannot."""
        ...


def list_name_of_reference(list_reference: str) -> str:
    """The CRM list an `ErpSyncFieldMapping.ListReference` names, as syncspec keys CRM lists.

    `table=category` is the list "category"; extra ids stay attached, so
    `table=udlist&udlistdefinition_id=1` is "udlist&udlistdefinition_id=1" (see `mdo_request`).
    "" when the reference names no table.
    """
    pairs = parse_qsl(list_reference, keep_blank_values=True)
    table = next((value.strip() for key, value in pairs if key == "table"), "")
    if not table:
        return ""
    extra = "&".join(f"{key}={value}" for key, value in pairs if key != "table")
    return f"{table}&{extra}" if extra else table


def mdo_request(list_name: str) -> tuple[str, str]:
    """(MDO list name, `additional`) for a CRM list name of `list_name_of_reference`.

    The table is the MDO list's name and the extra ids travel as its additional attributes:
    the docs say a list's items come from MDOList/{name} and that ListReference is
    `table=<name>[&<extra id>=<value>]`; that the two line up this way is inferred (docs/rest.md).
    """
    table, _, extra = list_name.partition("&")
    return table, extra
