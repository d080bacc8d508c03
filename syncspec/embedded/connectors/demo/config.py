"""Checking a DemoERP connection config: the "Test ERP connection" button's logic, pure.

Messages may name the client number and the user name (an administrator needs them to fix
the config) but never any other value: the password is secret, and any value may have come
from `${env:...}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from syncspec.embedded.connectors.base import FieldMetadataInfo
from syncspec.embedded.connectors.demo.catalogue import Catalogue
from syncspec.embedded.connectors.encoding import InvalidValue, Value, parse_value
from syncspec.model.enums import FieldAccess, FieldMetadataType

DEMO_PASSWORD = "demo-password"
MAX_TIMEOUT_SECONDS = 600

# error_code values of a failed test; the first problem's code is the response's code.
MISSING_VALUE = "MISSING_VALUE"
INVALID_VALUE = "INVALID_VALUE"
UNKNOWN_CLIENT = "UNKNOWN_CLIENT"
LOGIN_FAILED = "LOGIN_FAILED"


@dataclass(frozen=True)
class Problem:
    code: str
    message: str


@dataclass(frozen=True)
class DemoSettings:
    """A usable config, without the password (so it can never be printed by accident)."""

    server: str
    client: int
    client_name: str
    user: str
    language: str
    timeout: int


@dataclass(frozen=True)
class ConfigCheck:
    """The outcome of checking one config: problems, or the settings it describes."""

    problems: tuple[Problem, ...]
    ignored_keys: tuple[str, ...]
    settings: DemoSettings | None

    @property
    def ok(self) -> bool:
        return not self.problems


def _label(field: FieldMetadataInfo) -> str:
    return f"{field.display_name} ({field.field_key})"


def _read_values(catalogue: Catalogue, info: Mapping[str, str], problems: list[Problem]) -> dict[str, Value]:
    values: dict[str, Value] = {}
    for field in catalogue.config_fields:
        if field.field_type is FieldMetadataType.LABEL:
            continue
        raw = info.get(field.field_key, "")
        text = raw if raw.strip() else field.default_value
        if not text.strip():
            if field.access is FieldAccess.MANDATORY:
                problems.append(Problem(MISSING_VALUE, f"{_label(field)} is mandatory"))
            continue
        try:
            values[field.field_key] = parse_value(field.field_type, text)
        except InvalidValue as exc:
            problems.append(Problem(INVALID_VALUE, f"{_label(field)}: {exc}"))
    return values


def _is_http_url(text: str) -> bool:
    if any(ch.isspace() for ch in text):
        return False
    try:
        parts = urlsplit(text)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname) and port_ok


def _value_problems(
    catalogue: Catalogue, fields: Mapping[str, FieldMetadataInfo], values: Mapping[str, object]
) -> list[Problem]:
    """Values of the right type that DemoERP still refuses: a bad URL, timeout or language."""
    problems: list[Problem] = []
    server = values.get("server")
    if isinstance(server, str) and not _is_http_url(server):
        problems.append(
            Problem(
                INVALID_VALUE,
                f"{_label(fields['server'])} must be an http:// or https:// URL with a host name, "
                "e.g. https://erp.example.com",
            )
        )
    timeout = values.get("timeout")
    if isinstance(timeout, int) and not 1 <= timeout <= MAX_TIMEOUT_SECONDS:
        problems.append(
            Problem(
                INVALID_VALUE,
                f"{_label(fields['timeout'])} must be a whole number from 1 to {MAX_TIMEOUT_SECONDS}",
            )
        )
    language = values.get("language")
    if "language" in fields and isinstance(language, str):
        choices = catalogue.lists.get(fields["language"].list_name, {})
        if language not in choices:
            problems.append(
                Problem(INVALID_VALUE, f"{_label(fields['language'])} must be one of {', '.join(choices)}")
            )
    return problems


def _login_problems(catalogue: Catalogue, values: Mapping[str, object]) -> list[Problem]:
    """Why DemoERP would refuse the login: an unknown client or user, a wrong password."""
    problems: list[Problem] = []
    client = values.get("client")
    if isinstance(client, int) and client not in catalogue.clients:
        known = ", ".join(str(number) for number in sorted(catalogue.clients))
        problems.append(Problem(UNKNOWN_CLIENT, f"Unknown client {client}: the ERP has clients {known}"))
    user = values.get("user")
    if not isinstance(user, str):
        return problems
    if user not in catalogue.users:
        # Someone may have typed the password into the user box: then do not repeat it.
        shown = "(hidden)" if user == values.get("password") else repr(user)
        problems.append(
            Problem(
                LOGIN_FAILED,
                f"Login failed: unknown user {shown} (the ERP's users are {', '.join(catalogue.users)})",
            )
        )
    elif "password" in values and values["password"] != DEMO_PASSWORD:
        problems.append(Problem(LOGIN_FAILED, f"Login failed for user {user!r}: wrong password"))
    return problems


def check_config(catalogue: Catalogue, info: Mapping[str, str]) -> ConfigCheck:
    """Check a config dictionary as DemoERP would when it tries to log in."""
    problems: list[Problem] = []
    values = _read_values(catalogue, info, problems)
    fields = {f.field_key: f for f in catalogue.config_fields}

    problems += _value_problems(catalogue, fields, values)
    problems += _login_problems(catalogue, values)
    server, client, user, timeout = (values.get(k) for k in ("server", "client", "user", "timeout"))

    ignored = tuple(sorted(key for key in info if key not in fields))
    settings = None
    if not problems and isinstance(client, int) and isinstance(user, str):
        settings = DemoSettings(
            server=str(server),
            client=client,
            client_name=catalogue.clients[client],
            user=user,
            language=str(values.get("language", "")),
            timeout=int(timeout) if isinstance(timeout, int) else 0,
        )
    return ConfigCheck(problems=tuple(problems), ignored_keys=ignored, settings=settings)
