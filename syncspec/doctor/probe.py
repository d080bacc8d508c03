"""The HTTP side of doctor: send one documented read, bounded, and hand back what came.

One attempt per request, no retries and no redirects followed: doctor reports what the
tenant does, it does not work around it. Each request has connect and read timeouts and
an overall deadline, and at most `max_bytes` of an answer are read. Secrets never leave
this module: they are not in its repr, and any echo of them in an answer is blanked
before the answer is parsed.
"""

from __future__ import annotations

import json
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from syncspec.doctor.wire import Answer, NotReadOnly, ProbeRequest, require_read_only
from syncspec.model.errors import TargetError
from syncspec.model.redact import scrub


@dataclass(frozen=True)
class ProbeSettings:
    """Where and how to connect. `token` is sent as `Authorization: Bearer`, `app_token` as
    `SO-AppToken`; `verify` is True (the system's CAs), a CA bundle, or False."""

    base_url: str
    token: str | None = None
    app_token: str | None = None
    verify: bool | Path = True
    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    max_bytes: int = 8 * 1024 * 1024

    def __repr__(self) -> str:
        return f"ProbeSettings({shown_url(self.base_url)!r}, token={'set' if self.token else 'none'})"


def shown_url(url: str) -> str:
    """The URL without user info, query or fragment: fit for reports."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path.rstrip("/"), "", ""))


class Probe:
    """Sends `ProbeRequest`s to one tenant. Every outgoing request is checked against the
    allow-list again by an httpx event hook, whatever built it."""

    def __init__(self, settings: ProbeSettings, *, transport: httpx.BaseTransport | None = None) -> None:
        parts = urlsplit(settings.base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise TargetError(
                f"the tenant URL {shown_url(settings.base_url)!r} must be an http(s) URL",
                hint="e.g. https://online.superoffice.com/Cust12345",
            )
        self.settings = settings
        self.target = shown_url(settings.base_url)
        self.sent = 0
        self._base = settings.base_url.rstrip("/")
        self._base_path = parts.path.rstrip("/")
        self._secrets = tuple(s for s in (settings.token, settings.app_token) if s)
        headers = {"Accept": "application/json"}
        if settings.token:
            headers["Authorization"] = _header_value(f"Bearer {settings.token}", "token")
        if settings.app_token:
            headers["SO-AppToken"] = _header_value(settings.app_token, "app token")
        self._deadline = settings.connect_timeout + 2 * settings.read_timeout
        self._client = httpx.Client(
            headers=headers,
            verify=_ssl_context(settings.verify),
            timeout=httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout),
            follow_redirects=False,
            transport=transport,
            event_hooks={"request": [read_only_hook(self._base_path)]},
        )

    def __repr__(self) -> str:
        return f"Probe({self.target!r})"

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Probe:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send(self, request: ProbeRequest) -> Answer:
        require_read_only(request.method, request.path)
        content = None if request.body is None else json.dumps(dict(request.body)).encode("utf-8")
        headers = {} if content is None else {"Content-Type": "application/json"}
        self.sent += 1
        try:
            return self._exchange(request, content, headers)
        except httpx.ConnectTimeout:
            return Answer(
                request, None, failure=f"could not connect within {self.settings.connect_timeout:g} s"
            )
        except httpx.TimeoutException:
            return Answer(request, None, failure=f"no answer within {self.settings.read_timeout:g} s")
        except httpx.ConnectError as exc:
            return Answer(request, None, failure=self._connect_failure(exc))
        except httpx.TransportError as exc:
            return Answer(request, None, failure=f"the connection failed ({type(exc).__name__})")

    def _exchange(self, request: ProbeRequest, content: bytes | None, headers: dict[str, str]) -> Answer:
        started = time.monotonic()
        url = self._base + request.path
        with self._client.stream(
            request.method, url, params=list(request.query), content=content, headers=headers
        ) as response:
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > self.settings.max_bytes:
                    return Answer(
                        request,
                        response.status_code,
                        failure=f"the answer is larger than {_size(self.settings.max_bytes)}, "
                        "more than doctor reads",
                        truncated=True,
                    )
                if time.monotonic() - started > self._deadline:
                    return Answer(
                        request, response.status_code, failure=f"the answer took over {self._deadline:g} s"
                    )
                chunks.append(chunk)
            return self._answer(request, response.status_code, b"".join(chunks))

    def _answer(self, request: ProbeRequest, status: int, raw: bytes) -> Answer:
        if not raw.strip():
            return Answer(request, status)
        text = raw.decode("utf-8", errors="replace")
        text = scrub(text, self._secrets)
        try:
            body: Any = json.loads(text)
        except ValueError:
            return Answer(request, status, has_body=True, failure="the answer is not JSON")
        return Answer(request, status, body=body, has_body=True)

    def _connect_failure(self, exc: httpx.ConnectError) -> str:
        seen: BaseException | None = exc
        while seen is not None:
            if isinstance(seen, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(seen):
                return "the tenant's TLS certificate is not trusted (set ca_bundle for a private CA)"
            seen = seen.__cause__ or seen.__context__
        reason = str(exc) or type(exc).__name__
        reason = scrub(reason, self._secrets)
        return f"could not connect: {reason}"


def read_only_hook(base_path: str) -> Callable[[httpx.Request], None]:
    """An httpx request hook that refuses any request but the allow-listed reads below
    `base_path`: the last check, on the request as it is about to go out."""

    def guard(request: httpx.Request) -> None:
        path = request.url.path
        if not path.startswith(base_path):
            raise NotReadOnly(f"doctor refused to send {request.method} outside the tenant URL")
        require_read_only(request.method, path[len(base_path) :])

    return guard


def _size(n: int) -> str:
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{n} bytes"


def _header_value(value: str, what: str) -> str:
    # httpx would refuse it later with the value in its message; say so without the value.
    if not value.isascii() or any(c in value for c in "\r\n\0"):
        raise TargetError(f"the {what} contains characters an HTTP header cannot carry")
    return value


def _ssl_context(verify: bool | Path) -> ssl.SSLContext | bool:
    if isinstance(verify, bool):
        return verify
    try:
        return ssl.create_default_context(cafile=str(verify))
    except (OSError, ssl.SSLError) as exc:
        raise TargetError(f"cannot use the CA bundle {verify}: {exc}") from None
