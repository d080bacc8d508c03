"""An overall deadline for each HTTP attempt, below httpx.

httpx's timeouts bound each socket operation, not a request: a server that sends one
byte every few seconds never trips a read timeout and can hold a call forever. httpx has
no overall timeout, so the network backend under its connection pool does it: every
read and write on the socket gets at most the time left until the calling thread's
deadline, and none once it has passed (a timeout, which httpx reports as ReadTimeout,
WriteTimeout or ConnectTimeout).

Deadlines are per thread: `RestClient` runs each attempt on the caller's thread, and
httpx's sync pool does its socket work on that same thread.
"""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import httpcore
import httpx


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's sync backend with each socket operation bounded by the thread's deadline."""

    def __init__(self, inner: httpcore.NetworkBackend | None = None) -> None:
        self._inner = inner or httpcore.SyncBackend()
        self._local = threading.local()

    @contextmanager
    def deadline(self, seconds: float) -> Iterator[None]:
        """Bound every socket operation of this thread for the block to `seconds` in all."""
        self._local.until = time.monotonic() + seconds
        try:
            yield
        finally:
            self._local.until = None

    def bound(self, timeout: float | None, expired: type[Exception]) -> float | None:
        until: float | None = getattr(self._local, "until", None)
        if until is None:
            return timeout
        left = until - time.monotonic()
        if left <= 0:
            raise expired("the attempt's overall deadline passed")
        return left if timeout is None else min(timeout, left)

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._inner.connect_tcp(
            host, port, self.bound(timeout, httpcore.ConnectTimeout), local_address, socket_options
        )
        return _DeadlineStream(stream, self)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        stream = self._inner.connect_unix_socket(
            path, self.bound(timeout, httpcore.ConnectTimeout), socket_options
        )
        return _DeadlineStream(stream, self)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream, backend: DeadlineBackend) -> None:
        self._inner = inner
        self._backend = backend

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._backend.bound(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._backend.bound(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        bounded = self._backend.bound(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, bounded), self._backend)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


def deadline_transport(
    backend: DeadlineBackend, *, verify: ssl.SSLContext | bool, limits: httpx.Limits
) -> httpx.HTTPTransport:
    """httpx's own transport, its connection pool running on `backend`.

    httpx offers no way to pass a network backend, so the pool it built is replaced by
    an identical one that uses `backend` (tests/targets/rest/test_deadline.py proves it
    is in use: a dripping server is cut off).
    """
    transport = httpx.HTTPTransport(verify=verify, limits=limits)
    transport._pool = httpcore.ConnectionPool(  # private: see the docstring
        ssl_context=httpx.create_ssl_context(verify=verify),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=backend,
    )
    return transport
