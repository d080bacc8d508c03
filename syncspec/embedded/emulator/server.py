"""The emulator: the embedded tenant served as SuperOffice's REST ErpSync agent.

`POST /api/v1/Agents/ErpSync/<Method>` with the parameters where SuperOffice's method
pages put them and the answers they show (the shared table in
`syncspec.targets.rest.wire`), and the ErpField archive and MDO lists (`server_lists`). It reads requests as
strictly as the pages allow: a parameter in the wrong place is missing, and is answered
the way SuperOffice documents, `200` with `{"Message", "MessageDetail"}`; a malformed
request (not JSON, too deep, a number outside int32, a wrong type) gets `400` with the
same object. Refusals by the tenant's rules are `200` with the error object too.

A token, when configured, is required (`Authorization: Bearer` or `SOTicket`). Latency
and faults can be injected (`FaultPlan`). A peer cannot hold a connection: request
headers must arrive within `HEADER_TIMEOUT`, the body within `BODY_TIMEOUT` and be at
most `MAX_BODY_BYTES`. One log line per request on the `syncspec.emulator` logger:
method, status, milliseconds; never a body or a header.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import re
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from syncspec.embedded.emulator.lists import list_routes
from syncspec.embedded.tenant.agent import InProcessAgent
from syncspec.embedded.tenant.engine import Tenant
from syncspec.embedded.tenant.faults import FaultKind, FaultPlan
from syncspec.model.errors import AgentError, TargetError
from syncspec.targets.rest import wire

log = logging.getLogger("syncspec.emulator")

LOOPBACK = "127.0.0.1"
_METHOD_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]{0,63}")

HEADER_TIMEOUT = 10.0  # seconds for a request's headers, from its first byte
BODY_TIMEOUT = 30.0  # seconds for its body
MAX_BODY_BYTES = 8 * 1024 * 1024  # far above any ErpSync request


class _BodyTooLarge(Exception):
    pass


@dataclass
class EmulatorSettings:
    """How the emulator behaves. `token`/`app_token` None: not checked."""

    token: str | None = None
    app_token: str | None = None
    latency_ms: float = 0.0
    faults: FaultPlan = field(default_factory=FaultPlan)


class AgentEndpoint:
    """The ASGI endpoint for every agent method: auth, latency, faults, dispatch, one log line."""

    def __init__(self, agent: InProcessAgent, settings: EmulatorSettings) -> None:
        self.agent = agent
        self.settings = settings
        # Calls run one at a time in the order their requests arrived. The tenant's own lock
        # serialises them too, but threads race for it: a read sent after a write timed out
        # on the client could run before that write, and a client that reads back to see
        # whether its write happened would then repeat it (asyncio.Lock wakes waiters FIFO).
        self._arrival_order = asyncio.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        request = Request(scope, receive)
        name = str(request.path_params.get("method", ""))
        shown = name if _METHOD_NAME.fullmatch(name) else "?"  # nothing odd reaches the log
        response, fault = await self._handle(request, name)
        status = response.status_code
        try:
            if fault is FaultKind.STALL_AFTER:
                await asyncio.sleep(self.settings.faults.stall_seconds)
            if fault is FaultKind.DROP_AFTER:
                # Start an answer and stop half-way: the server closes the connection.
                await send(
                    {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"64")]}
                )
                await send({"type": "http.response.body", "body": b'{"Mes', "more_body": True})
                status = 0
            else:
                await response(scope, receive, send)
        except OSError:  # the client went away (it timed out first); nothing to answer
            status = 0
        finally:
            ms = (time.perf_counter() - started) * 1000
            suffix = f" fault={fault}" if fault else ""
            log.info("%s %s %.1fms%s", shown, status or "dropped", ms, suffix)

    async def _handle(self, request: Request, name: str) -> tuple[Response, FaultKind | None]:
        settings = self.settings
        if settings.latency_ms > 0:
            await asyncio.sleep(settings.latency_ms / 1000)
        if not self._authorised(request):
            return _error(401, "Authorization has been denied for this request."), None
        method = wire.BY_NAME.get(name)
        if method is None:
            return _error(404, f"The ErpSync agent has no method '{name[:64]}'"), None
        fault = settings.faults.draw(name)
        if fault is FaultKind.ERROR_BEFORE:
            return _error(503, "Service temporarily unavailable (injected)"), fault
        try:
            raw = await asyncio.wait_for(_read_body(request), BODY_TIMEOUT)
        except _BodyTooLarge:
            return _error(413, f"The request body is larger than {MAX_BODY_BYTES // (1024 * 1024)} MiB"), None
        except TimeoutError:
            return _error(408, "The request body did not arrive in time"), None
        try:
            args = wire.decode_request(method, dict(request.query_params), raw)
        except wire.BadRequest as exc:
            return _error(200 if exc.missing else 400, wire.INVALID_REQUEST, exc.detail), None
        except wire.BadJson as exc:
            return _error(400, wire.INVALID_REQUEST, str(exc)), None
        response = await self._dispatch(method, args)
        if fault is FaultKind.ERROR_AFTER:
            return _error(500, "Internal server error (injected)"), fault
        return response, fault

    async def _dispatch(self, method: wire.WireMethod, args: dict[str, Any]) -> Response:
        call: Callable[..., Any] = getattr(self.agent, method.attribute)
        try:
            async with self._arrival_order:
                value = await run_in_threadpool(call, **args)
        except AgentError as exc:
            # SuperOffice answers a call it could not carry out with 200 and the error object.
            return JSONResponse(wire.agent_error_body(exc), status_code=200)
        except TargetError as exc:
            return _error(500, exc.message)
        except Exception as exc:  # a bug must answer 500, not hang up; its text could hold values
            log.error("%s failed: %s", method.name, type(exc).__name__)
            return _error(500, f"Internal server error ({type(exc).__name__})")
        if method.result is None:
            return Response(status_code=204)
        return JSONResponse(wire.encode_result(method, value))

    def _authorised(self, request: Request) -> bool:
        settings = self.settings
        if settings.token is not None:
            given = request.headers.get("authorization", "")
            scheme, _, credential = given.partition(" ")
            if scheme.lower() not in ("bearer", "soticket") or not _same(credential.strip(), settings.token):
                return False
        if settings.app_token is not None:
            return _same(request.headers.get("so-apptoken", ""), settings.app_token)
        return True


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


async def _read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _error(status: int, message: str, detail: str = "") -> JSONResponse:
    return JSONResponse(wire.error_body(message, detail), status_code=status)


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    path = request.url.path[:200]
    if status == 404:
        message = f"No such resource: {path}; the ErpSync agent is at {wire.AGENT_PATH}<Method>"
    elif status == 405:
        message = "The ErpSync agent only answers POST"
    else:
        message = "The request could not be served"
    log.info("? %d (no agent method at this path)", status)
    return _error(status, message)


def create_app(
    tenant: Tenant, settings: EmulatorSettings | None = None, *, agent: InProcessAgent | None = None
) -> Starlette:
    """The starlette app serving `tenant`'s ErpSync agent (`agent`: another one over the same tenant)."""
    endpoint = AgentEndpoint(agent or InProcessAgent(tenant), settings or EmulatorSettings())
    route = Route(wire.AGENT_PATH + "{method}", endpoint=endpoint, methods=["POST"])
    routes = [route, *list_routes(endpoint)]  # archive and MDO lists: server_lists.py
    return Starlette(routes=routes, exception_handlers={404: _http_error, 405: _http_error})


# --- running it ---------------------------------------------------------------------------
def bind_socket(host: str = LOOPBACK, port: int = 0) -> socket.socket:
    """A listening-ready socket on host:port (0: a free port the system picks)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on sockets that say they are TCP,
    # and without it Nagle plus delayed ACKs add ~40 ms to every answer.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def socket_url(sock: socket.socket, *, tls: bool = False) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"{'https' if tls else 'http'}://{shown}:{port}"


class _GuardedH11(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with a deadline for request headers.

    uvicorn bounds idle keep-alive connections but not a request whose headers trickle
    in; this closes a connection whose pending request has not got its headers in
    `HEADER_TIMEOUT` seconds from its first byte.
    """

    header_timeout = HEADER_TIMEOUT

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._header_timer: asyncio.TimerHandle | None = None
        self._arm_header_timer()

    def data_received(self, data: bytes) -> None:
        if self._waiting_for_headers():
            self._arm_header_timer()
        super().data_received(data)
        if not self._waiting_for_headers() and self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def connection_lost(self, exc: Exception | None) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None
        super().connection_lost(exc)

    def _waiting_for_headers(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _arm_header_timer(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self._waiting_for_headers() and not self.transport.is_closing():
            log.info("? dropped (request headers too slow)")
            self.transport.close()


class EmulatorServer(uvicorn.Server):
    """uvicorn, stopping cleanly on SIGINT/SIGTERM (uvicorn re-raises the signal after shutdown).

    `on_listening` runs once the socket listens, so a URL announced there can be used.
    """

    on_listening: Callable[[], None] | None = None

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started and self.on_listening is not None:
            self.on_listening()

    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        handled = (signal.SIGINT, signal.SIGTERM)
        previous = {sig: signal.signal(sig, self._on_signal) for sig in handled}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _on_signal(self, sig: int, frame: FrameType | None) -> None:
        if self.should_exit:  # a second signal: stop waiting for open requests
            self.force_exit = True
        self.should_exit = True


def _config(app: Starlette, *, ssl_certfile: Path | None, ssl_keyfile: Path | None) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        log_config=None,  # leave the host program's logging alone
        access_log=False,  # our own line per request, without query strings
        lifespan="off",
        ws="none",
        http=_GuardedH11,
        loop="asyncio",
        timeout_graceful_shutdown=2,
        ssl_certfile=str(ssl_certfile) if ssl_certfile else None,
        ssl_keyfile=str(ssl_keyfile) if ssl_keyfile else None,
    )


def run_emulator(
    tenant: Tenant,
    sock: socket.socket,
    settings: EmulatorSettings,
    *,
    ssl_certfile: Path | None = None,
    ssl_keyfile: Path | None = None,
    on_listening: Callable[[], None] | None = None,
) -> None:
    """Serve on an already bound socket until SIGINT/SIGTERM (blocking).

    `on_listening` runs once the socket accepts connections: announce the URL there.
    """
    server = EmulatorServer(
        _config(create_app(tenant, settings), ssl_certfile=ssl_certfile, ssl_keyfile=ssl_keyfile)
    )
    server.on_listening = on_listening
    server.run(sockets=[sock])


@contextmanager
def serve_in_thread(
    tenant: Tenant,
    *,
    token: str | None = None,
    app_token: str | None = None,
    latency_ms: float = 0.0,
    faults: FaultPlan | None = None,
    host: str = LOOPBACK,
    ssl_certfile: Path | None = None,
    ssl_keyfile: Path | None = None,
    start_timeout: float = 10.0,
    agent: InProcessAgent | None = None,
) -> Iterator[str]:
    """Serve `tenant` on a random free port in a background thread; yields the base URL.

    The server always stops when the block ends. `faults` may be changed while it runs.
    `agent` serves the tenant through another in-process agent (e.g. a slow one in tests).
    """
    settings = EmulatorSettings(token, app_token, latency_ms, faults or FaultPlan())
    sock = bind_socket(host, 0)
    app = create_app(tenant, settings, agent=agent)
    server = EmulatorServer(_config(app, ssl_certfile=ssl_certfile, ssl_keyfile=ssl_keyfile))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="emulator", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + start_timeout
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise TargetError("the emulator did not start")
            time.sleep(0.01)
        yield socket_url(sock, tls=ssl_certfile is not None)
    finally:
        server.should_exit = True
        thread.join(timeout=start_timeout)
        sock.close()
