"""`TenantLists` over REST: the `ErpField` archive and MDO lists, with `RestClient`'s auth, TLS and retries.

- `GET /api/v1/archive/ErpField?$select=<columns>&$filter=ConnectionId eq <id>&$orderBy=Id&$top=N&$skip=M`
  answers `{"odata.metadata", "odata.nextLink", "value": [row...]}`. Pages are read until one
  comes back shorter than `$top` (or empty), at most `max_pages` of them: a tenant that keeps
  answering full pages is an error, never an endless read.
- `GET /api/v1/MDOList/{name}?flat=true[&additional=...]` answers a JSON array of MDOListItem.

Why `$top`/`$skip` and not `odata.nextLink`: the GET archive page documents both parameters,
while nextLink's content is undocumented (its sample value is a placeholder word).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from pydantic import TypeAdapter, ValidationError

from syncspec.model.errors import TargetError
from syncspec.targets.carriers import MDOListItem
from syncspec.targets.lists import ERP_FIELD_COLUMNS, ERP_FIELD_PROVIDER, ErpFieldRow
from syncspec.targets.rest.http import RestClient

ARCHIVE_PATH = "/api/v1/archive/"
MDO_LIST_PATH = "/api/v1/MDOList/"
PAGE_SIZE = 500
MAX_PAGES = 200  # 100,000 fields per connection at the default page size

_ROWS: TypeAdapter[list[ErpFieldRow]] = TypeAdapter(list[ErpFieldRow])
_ITEMS: TypeAdapter[list[MDOListItem]] = TypeAdapter(list[MDOListItem])


class RestLists:
    """Implements `syncspec.targets.lists.TenantLists` on a `RestClient`."""

    def __init__(self, http: RestClient, *, page_size: int = PAGE_SIZE, max_pages: int = MAX_PAGES) -> None:
        if page_size < 1 or max_pages < 1:
            raise ValueError("page_size and max_pages must be at least 1")
        self._http = http
        self.page_size = page_size
        self.max_pages = max_pages

    def get_erp_field_rows(self, erp_connection_id: int) -> list[ErpFieldRow]:
        name = f"archive/{ERP_FIELD_PROVIDER}"
        rows: list[ErpFieldRow] = []
        for _ in range(self.max_pages):
            params = {
                "$select": ",".join(ERP_FIELD_COLUMNS),
                "$filter": f"ConnectionId eq {int(erp_connection_id)}",
                "$orderBy": "Id",  # a total order, so consecutive pages neither overlap nor skip
                "$top": str(self.page_size),
                "$skip": str(len(rows)),
            }
            body = self._http.get_json(ARCHIVE_PATH + ERP_FIELD_PROVIDER, params, name=name)
            page = _page(body, name)
            rows.extend(page)
            if len(page) < self.page_size:
                return rows
        raise TargetError(
            f"{name}: connection {erp_connection_id} still had rows after {self.max_pages} pages of "
            f"{self.page_size}; stopped reading",
            hint="the tenant may be ignoring $skip",
        )

    def get_mdo_list(self, list_name: str, additional: str = "") -> list[MDOListItem]:
        name = f"MDOList/{list_name}"
        params = {"flat": "true"}
        if additional:
            params["additional"] = additional
        body = self._http.get_json(MDO_LIST_PATH + quote(list_name, safe=""), params, name=name)
        if body is None:
            return []  # NULL is how SuperOffice's WebApi says "nothing to return"
        try:
            return _ITEMS.validate_python(body)
        except ValidationError as exc:
            raise TargetError(f"{name}: unexpected shape: {_first_problem(exc)}") from None


def _page(body: Any, name: str) -> list[ErpFieldRow]:
    if not isinstance(body, dict) or not isinstance(body.get("value"), list):
        raise TargetError(f"{name}: expected an OData answer with a 'value' list")
    try:
        return _ROWS.validate_python(body["value"])
    except ValidationError as exc:
        raise TargetError(f"{name}: unexpected row shape: {_first_problem(exc)}") from None


def _first_problem(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}"
