"""HTTP for the REST agent: auth headers, TLS, timeouts, one attempt, and the retry loop.

Each attempt ends in a value, a final error, or a `Retryable` that says whether the
tenant may have acted on the request (`ambiguous`). The loop retries non-ambiguous
failures always; ambiguous ones only when the caller said the call is safe to repeat, or
when the caller's `resolve` re-read the tenant and found the call did not happen.

A misbehaving peer cannot hold a call: besides httpx's per-read timeout, every attempt
has an overall deadline (a server that drips one byte a second never trips a per-read
timeout), and an answer may not exceed `MAX_ANSWER_BYTES`.
"""

from __future__ import annotations

import logging
import os
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit, urlunsplit

import httpx

from syncspec.model.errors import AgentError, TargetError
from syncspec.model.redact import basic_credentials, scrub
from syncspec.targets.rest.deadline import DeadlineBackend, deadline_transport
from syncspec.targets.rest.retry import Budget, RetryPolicy, parse_retry_after
from syncspec.targets.rest.wire import (
    AGENT_PATH,
    BadJson,
    WireMethod,
    WireRequest,
    decode_result,
    error_object,
    load_json,
)

log = logging.getLogger("syncspec.rest")

T = TypeVar("T")

MAX_ANSWER_BYTES = 64 * 1024 * 1024  # far above any ErpSync answer; a bound on memory, not a quota

AUTH_HINT = (
    "check the token, and that the app was granted the ErpSync agent and the Integration server licence "
    "(docs/rest.md)"
)


class Retryable(Exception):
    """One failed attempt that may succeed if tried again."""

    def __init__(self, error: TargetError, *, ambiguous: bool, retry_after: float | None = None) -> None:
        super().__init__(error.message)
        self.error = error
        self.ambiguous = ambiguous  # the tenant may have done it
        self.retry_after = retry_after


@dataclass(frozen=True)
class Resolved(Generic[T]):
    """What a re-read after an ambiguous failure found: done (with the call's value) or not."""

    done: bool
    value: T | None = None


def safe_url(url: str) -> str:
    """The URL without user info, query or fragment: fit for messages and logs."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def auth_header(
    token: str | None, ticket: str | None, basic: tuple[str, str] | None
) -> tuple[str | None, str]:
    """(Authorization value or None, the kind for repr/logs). Exactly one scheme, or none."""
    given = [name for name, v in (("token", token), ("ticket", ticket), ("basic", basic)) if v]
    if len(given) > 1:
        raise TargetError(f"give only one of token, ticket or basic credentials (got {', '.join(given)})")
    if token:
        value, kind = f"Bearer {token}", "bearer"
    elif ticket:
        value, kind = f"SOTicket {ticket}", "soticket"
    elif basic:
        user, password = basic
        value = "Basic " + basic_credentials(user, password)
        kind = "basic"
    else:
        return None, "none"
    check_header_value(value, kind)
    return value, kind


def check_header_value(value: str, what: str) -> None:
    # httpx would refuse it later with the value in the message; say so without the value.
    if not value.isascii() or any(c in value for c in "\r\n\0"):
        raise TargetError(f"the {what} credentials contain characters an HTTP header cannot carry")


def ssl_context(verify: bool | str | os.PathLike[str]) -> ssl.SSLContext | bool:
    if verify is True or verify is False:
        return verify
    path = os.fspath(verify)
    try:
        return ssl.create_default_context(cafile=path)
    except (OSError, ssl.SSLError) as exc:
        raise TargetError(f"cannot use the CA bundle {path}: {exc}") from None


class RestClient:
    """The HTTP side of `RestAgent`: one `httpx.Client`, a bounded number of calls in flight."""

    def __init__(
        self,
        base_url: str,
        *,
        authorization: str | None,
        app_token: str | None,
        verify: bool | str | os.PathLike[str],
        timeout: tuple[float, float],
        deadline: float | None = None,
        policy: RetryPolicy,
        concurrency: int,
        transport: httpx.BaseTransport | None,
        secrets: tuple[str, ...],
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise TargetError(
                f"the tenant URL {safe_url(base_url)!r} must be an http(s) URL",
                hint="e.g. https://online.superoffice.com/Cust12345",
            )
        if concurrency < 1:
            raise TargetError("concurrency must be at least 1")
        self.base_url = base_url.rstrip("/")
        self.shown_url = safe_url(self.base_url)
        self.policy = policy
        # The Authorization credentials themselves (Basic's base64 `user:password`, a
        # bearer token, a ticket) are scrubbed too, whatever the caller listed.
        credentials = authorization.split(" ", 1)[1] if authorization and " " in authorization else ""
        self._secrets = tuple(s for s in (*secrets, credentials) if s)
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        if authorization:
            headers["Authorization"] = authorization
        if app_token:
            check_header_value(app_token, "app token")
            headers["SO-AppToken"] = app_token
        connect, read = timeout
        # One attempt's whole budget: connect, send, and an answer read in full.
        self.deadline = deadline if deadline is not None else connect + 2 * read
        self._backend = DeadlineBackend()
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        verified = ssl_context(verify)
        if transport is None:
            transport = deadline_transport(self._backend, verify=verified, limits=limits)
        self._client = httpx.Client(
            headers=headers,
            verify=verified,
            timeout=httpx.Timeout(read, connect=connect),
            limits=limits,
            transport=transport,
            follow_redirects=False,
        )
        self._slots = threading.BoundedSemaphore(concurrency)

    def close(self) -> None:
        self._client.close()

    def scrub(self, text: str) -> str:
        return scrub(text, self._secrets)

    # --- the retry loop -------------------------------------------------------------
    def call(
        self,
        method: WireMethod,
        request: WireRequest,
        *,
        repeatable: bool,
        resolve: Callable[[], Resolved[Any]] | None = None,
    ) -> Any:
        """Run one agent call with retries. `repeatable`: ambiguous failures may simply be retried."""
        budget = Budget(self.policy)
        while True:
            budget.start_attempt()
            try:
                return self._attempt(method, request)
            except Retryable as failure:
                if failure.ambiguous and not repeatable:
                    if resolve is None:
                        raise self._unknown_outcome(method, failure) from None
                    outcome = self._resolve(method, failure, resolve)
                    if outcome.done:
                        log.info("%s: the tenant had done it before the failure; not repeating", method.name)
                        return outcome.value
                if not budget.wait_before_next(failure.retry_after):
                    raise self._given_up(method, failure, budget.attempt) from None
                log.warning(
                    "%s; retrying (attempt %d of %d)",
                    failure.error.message,
                    budget.attempt + 1,
                    self.policy.attempts,
                )

    def _resolve(self, method: WireMethod, failure: Retryable, resolve: Callable[[], Resolved[Any]]) -> Any:
        try:
            return resolve()
        except TargetError as exc:
            raise TargetError(
                f"{method.name}: {failure.error.message}; the tenant may or may not have done it, "
                f"and reading it back failed too: {exc.message}",
                hint="check the tenant before running again",
            ) from None

    def _unknown_outcome(self, method: WireMethod, failure: Retryable) -> TargetError:
        return TargetError(
            f"{failure.error.message}; the tenant may or may not have done it, and {method.name} "
            "is not safe to repeat blindly",
            hint="check the tenant (syncspec plan shows where it stands) before running again",
        )

    def _given_up(self, method: WireMethod, failure: Retryable, attempts: int) -> TargetError:
        err = failure.error
        if failure.retry_after is not None and failure.retry_after > self.policy.max_retry_after:
            return TargetError(
                f"{err.message}; the tenant asked to wait {failure.retry_after:.0f}s, longer than allowed",
                hint=err.hint,
            )
        plural = "s" if attempts != 1 else ""
        return TargetError(f"{err.message} (gave up after {attempts} attempt{plural})", hint=err.hint)

    # --- one attempt ----------------------------------------------------------------
    def _attempt(self, method: WireMethod, request: WireRequest) -> Any:
        name = method.name
        url = f"{self.base_url}{AGENT_PATH}{name}"
        started = time.perf_counter()
        outgoing = self._client.build_request(
            "POST", url, params=request.query or None, json=request.body if request.body is not None else None
        )
        response, content = self._exchange(outgoing, name, changes_nothing=False)
        elapsed = (time.perf_counter() - started) * 1000
        log.debug("%s -> %d in %.0f ms", name, response.status_code, elapsed)
        return self._answer(method, request, response, content)

    def _exchange(
        self, outgoing: httpx.Request, name: str, *, changes_nothing: bool
    ) -> tuple[httpx.Response, bytes]:
        """Send one request and read its answer (bounded, under the attempt's deadline).

        A transport failure becomes `Retryable`; it is ambiguous (the tenant may have done it)
        unless the request never reached the tenant or `changes_nothing` (a GET).
        """
        with self._slots, self._backend.deadline(self.deadline):
            try:
                response = self._client.send(outgoing, stream=True)
                try:
                    return response, _read_bounded(response)
                finally:
                    response.close()
            except httpx.TimeoutException as exc:
                # No connection made: the request never reached the tenant.
                not_sent = isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout)
                what = "could not connect in time" if not_sent else "no answer in time"
                raise Retryable(
                    TargetError(f"{name}: {self.shown_url}: {what}", hint="check the URL and timeouts"),
                    ambiguous=not (not_sent or changes_nothing),
                ) from None
            except httpx.ConnectError as exc:
                if _is_certificate_error(exc):
                    raise TargetError(
                        f"{name}: {self.shown_url}: TLS certificate verification failed",
                        hint="pass the tenant's CA bundle (ca_bundle) rather than turning verification off",
                    ) from None
                raise Retryable(
                    TargetError(f"{name}: cannot connect to {self.shown_url}", hint="is the tenant up?"),
                    ambiguous=False,
                ) from None
            except httpx.TransportError as exc:
                raise Retryable(
                    TargetError(f"{name}: {self.shown_url}: the connection broke ({type(exc).__name__})"),
                    ambiguous=not changes_nothing,
                ) from None

    def _answer(
        self, method: WireMethod, request: WireRequest, response: httpx.Response, content: bytes
    ) -> Any:
        name, status = method.name, response.status_code
        called = f"{name}({request.subject})" if request.subject else name
        if status in (200, 204):
            if status == 204 or not content.strip():
                data: Any = None
            else:
                try:
                    data = load_json(content)
                except BadJson as exc:
                    raise TargetError(
                        f"{called}: the tenant answered {status} with a body syncspec cannot use ({exc})"
                    ) from None
            try:
                return decode_result(method, data, subject=request.subject)
            except AgentError as exc:
                raise self._scrubbed(exc) from None
        error = _error_of(content)
        message = self.scrub(error[0]) if error else f"HTTP {status} {response.reason_phrase}"
        if status in (401, 403):
            raise TargetError(
                f"{name}: token rejected or ErpSync agent not enabled for this app ({status}: {message})",
                hint=AUTH_HINT,
            )
        if status == 404:
            hint = "is the URL the tenant's base URL (e.g. https://online.superoffice.com/Cust12345)?"
            raise TargetError(f"{name}: ErpSync agent not found at {self.shown_url} (404)", hint=hint)
        if status == 429:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            raise Retryable(
                TargetError(f"{name}: the tenant is throttling requests (429)"),
                ambiguous=False,
                retry_after=retry_after,
            )
        if status == 400 and error is not None:
            # SuperOffice's answer to a request it cannot bind: documented, final, never retried.
            raise self._scrubbed(AgentError(name, error[0], detail=error[1], subject=request.subject))
        if status >= 500:
            raise Retryable(
                TargetError(f"{called}: the tenant failed ({status}): {message}"),
                ambiguous=True,
                retry_after=parse_retry_after(response.headers.get("Retry-After")),
            )
        raise TargetError(f"{called}: unexpected answer from {self.shown_url} ({status}: {message})")

    def _scrubbed(self, exc: AgentError) -> AgentError:
        return AgentError(
            exc.method,
            self.scrub(exc.reason_text),
            detail=self.scrub(exc.detail),
            subject=exc.subject,
            hint=exc.hint,
        )

    # --- GET endpoints outside the agent (archive, MDO lists; see rest_lists) ---------
    def get_json(self, path: str, params: dict[str, str], *, name: str) -> Any:
        """GET {base}{path}?params: the JSON of a 200, retried like any read (it changes nothing)."""
        budget = Budget(self.policy)
        while True:
            budget.start_attempt()
            try:
                return self._get_attempt(path, params, name)
            except Retryable as failure:
                if not budget.wait_before_next(failure.retry_after):
                    raise self._given_up(
                        WireMethod(name, name, (), None, False), failure, budget.attempt
                    ) from None
                log.warning(
                    "%s; retrying (attempt %d of %d)",
                    failure.error.message,
                    budget.attempt + 1,
                    self.policy.attempts,
                )

    def _get_attempt(self, path: str, params: dict[str, str], name: str) -> Any:
        outgoing = self._client.build_request("GET", f"{self.base_url}{path}", params=params)
        response, content = self._exchange(outgoing, name, changes_nothing=True)
        status = response.status_code
        log.debug("%s -> %d", name, status)
        if status == 200:
            try:
                data = load_json(content)
            except BadJson as exc:
                raise TargetError(
                    f"{name}: the tenant answered 200 with a body syncspec cannot use ({exc})"
                ) from None
            error = error_object(data)
            if error is not None:  # SuperOffice's error object can come with a 200
                raise self._scrubbed(AgentError(name, error[0], detail=error[1]))
            return data
        error = _error_of(content)
        message = self.scrub(error[0]) if error else f"HTTP {status} {response.reason_phrase}"
        if status in (401, 403):
            raise TargetError(f"{name}: token rejected or not allowed ({status}: {message})", hint=AUTH_HINT)
        if status == 429 or status >= 500:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            raise Retryable(
                TargetError(f"{name}: the tenant answered {status}: {message}"),
                ambiguous=False,
                retry_after=retry_after,
            )
        raise TargetError(f"{name}: the tenant refused the request ({status}: {message})")


def _read_bounded(response: httpx.Response) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():  # decoded: a compressed bomb is bounded too
        size += len(chunk)
        if size > MAX_ANSWER_BYTES:
            raise TargetError(f"the answer is larger than {MAX_ANSWER_BYTES // (1024 * 1024)} MiB")
        chunks.append(chunk)
    return b"".join(chunks)


def _error_of(content: bytes) -> tuple[str, str] | None:
    try:
        return error_object(load_json(content)) if content.strip() else None
    except BadJson:
        return None


def _is_certificate_error(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    for _ in range(8):  # bounded walk down the cause chain
        if seen is None:
            return False
        if isinstance(seen, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
