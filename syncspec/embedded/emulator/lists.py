"""The emulator's GET routes: `/api/v1/archive/ErpField` and `/api/v1/MDOList/{name}`.

Shapes as SuperOffice documents them: the archive answers an OData slim response
`{"odata.metadata", "odata.nextLink", "value": [rows]}`; an MDO list answers a JSON array of
`MDOListItem`. Auth, latency and arrival order are the agent endpoint's (`AgentEndpoint`).
Where the docs are silent the emulator refuses rather than guesses (docs/rest.md).
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from syncspec.embedded.tenant import archive, mdo_lists
from syncspec.embedded.tenant.faults import FaultKind
from syncspec.model.errors import AgentError
from syncspec.targets.carriers import MDOListItem
from syncspec.targets.rest import wire

if TYPE_CHECKING:
    from syncspec.embedded.emulator.server import AgentEndpoint

log = logging.getLogger("syncspec.emulator")

ARCHIVE_PATH = "/api/v1/archive/"
MDO_LIST_PATH = "/api/v1/MDOList/"
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")
_FLAT = {"true", "false"}


def list_routes(endpoint: AgentEndpoint) -> list[Route]:
    """The GET routes, sharing the agent endpoint's settings, lock and log."""
    return [
        Route(ARCHIVE_PATH + "{provider}", endpoint=_ArchiveEndpoint(endpoint), methods=["GET"]),
        Route(MDO_LIST_PATH + "{name}", endpoint=_MdoListEndpoint(endpoint), methods=["GET"]),
    ]


class _GetEndpoint:
    """One GET route. It borrows the agent endpoint's token check and its arrival-order lock
    (private to server.py, which another change is editing; kept out of its public surface)."""

    label = "?"
    call_prefix = "?"

    def __init__(self, agent_endpoint: AgentEndpoint) -> None:
        self.agent_endpoint = agent_endpoint

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        started = time.perf_counter()
        request = Request(scope, receive)
        response, shown = await self._respond(request)
        await response(scope, receive, send)
        ms = (time.perf_counter() - started) * 1000
        log.info("%s %s %.1fms", shown, response.status_code, ms)

    async def _respond(self, request: Request) -> tuple[Response, str]:
        settings = self.agent_endpoint.settings
        if settings.latency_ms > 0:
            await asyncio.sleep(settings.latency_ms / 1000)
        name = str(next(iter(request.path_params.values()), ""))
        shown = f"{self.label}/{name}" if _NAME.fullmatch(name) else f"{self.label}/?"
        if not self.agent_endpoint._authorised(request):
            return _error(401, "Authorization has been denied for this request."), shown
        params = dict(request.query_params)
        if len(params) != len(request.query_params.multi_items()):
            return _error(400, wire.INVALID_REQUEST, "A query parameter is given twice"), shown
        # injected faults, drawn under the same names the tenant's calls carry (e.g. MDOList.usergroup)
        fault = settings.faults.draw(f"{self.call_prefix}.{name}")
        if fault is FaultKind.ERROR_BEFORE:
            return _error(503, "Service temporarily unavailable (injected)"), shown
        try:
            async with self.agent_endpoint._arrival_order:
                response = await run_in_threadpool(self._serve, name, params)
        except AgentError as exc:
            # a bad query is an invalid request (400), not a refusal by the tenant's rules
            return JSONResponse(wire.agent_error_body(exc), status_code=400), shown
        except (archive.QueryError, ValueError) as exc:
            return _error(400, wire.INVALID_REQUEST, str(exc)), shown
        except mdo_lists.UnknownList:
            return _error(404, f"No MDO list named '{name[:64]}'"), shown
        if fault is FaultKind.STALL_AFTER:
            await asyncio.sleep(settings.faults.stall_seconds)
        elif fault is not None:  # after the read: a GET changes nothing, so every kind answers 500
            return _error(500, "Internal server error (injected)"), shown
        return response, shown

    def _serve(self, name: str, params: dict[str, str]) -> Response:
        raise NotImplementedError


class _ArchiveEndpoint(_GetEndpoint):
    label = "archive"
    call_prefix = "Archive"

    def _serve(self, name: str, params: dict[str, str]) -> Response:
        if name != "ErpField":  # case as documented; the emulator serves this one provider
            raise mdo_lists.UnknownList(name)
        query = archive.parse_query(params)
        tenant = self.agent_endpoint.agent.tenant
        with tenant.call("Archive.ErpField", write=False) as s:
            rows = archive.erp_field_rows(s, query)
        return JSONResponse({"odata.metadata": "", "odata.nextLink": "", "value": rows})


class _MdoListEndpoint(_GetEndpoint):
    label = "MDOList"
    call_prefix = "MDOList"

    def _serve(self, name: str, params: dict[str, str]) -> Response:
        unknown = sorted(set(params) - {"flat", "additional"})
        if unknown:
            # `query` (a search) is documented but not served: syncspec never searches
            raise ValueError(f"the emulator does not serve the parameter {unknown[0]!r}")
        flat = params.get("flat", "false").lower()
        if flat not in _FLAT:
            raise ValueError(f"flat must be true or false, not {params['flat'][:20]!r}")
        tenant = self.agent_endpoint.agent.tenant
        with tenant.call(f"MDOList.{name}", write=False, licensed=False) as s:
            items = mdo_lists.mdo_list(s, name, params.get("additional", ""))
        return JSONResponse([_item(i) for i in items])


def _item(item: MDOListItem) -> dict[str, Any]:
    dumped: dict[str, Any] = item.model_dump(mode="json", by_alias=True)
    return dumped


def _error(status: int, message: str, detail: str = "") -> JSONResponse:
    return JSONResponse(wire.error_body(message, detail), status_code=status)
