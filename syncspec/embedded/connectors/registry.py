"""Which connector a connector URL names, for the embedded tenant.

The embedded tenant plays NetServer's part and calls connectors itself, but only built-in
ones (`plugin://NAME`): remote connectors (`https://...ErpConnectorWS.svc`, `app://<id>`)
are web services only a real SuperOffice tenant calls.
"""

from __future__ import annotations

from collections.abc import Callable

from syncspec.embedded.connectors.base import ErpConnector
from syncspec.model.errors import TargetError

PLUGIN_SCHEME = "plugin"
_REMOTE_SCHEMES = ("http", "https", "app")


def _demo() -> ErpConnector:
    # Imported on use: resolving a URL should not load every connector's catalogue.
    from syncspec.embedded.connectors.demo import DemoConnector

    return DemoConnector()


# The explicit registry of built-in connectors: `plugin://NAME` -> a fresh instance.
BUILTIN_CONNECTORS: dict[str, Callable[[], ErpConnector]] = {"demo": _demo}


class ConnectorNotFound(TargetError):
    """A connector URL names no connector the embedded tenant can run."""


def _builtin_hint() -> str:
    names = ", ".join(f"plugin://{name}" for name in sorted(BUILTIN_CONNECTORS))
    return f"built-in connectors: {names}"


def resolve_connector(url: str) -> ErpConnector:
    """A new instance of the connector `url` names. Raises `ConnectorNotFound`.

    Only the scheme and, for plugin URLs, the name are ever repeated in messages: a
    remote URL may carry credentials.
    """
    scheme, sep, rest = url.strip().partition("://")
    scheme = scheme.lower()
    if not sep:
        raise ConnectorNotFound(
            "the connector URL is not a URL: expected plugin://NAME, https://... or app://...",
            hint=_builtin_hint(),
        )
    if scheme == PLUGIN_SCHEME:
        name = rest.strip("/")
        if not name:
            raise ConnectorNotFound("the plugin:// URL names no connector", hint=_builtin_hint())
        factory = BUILTIN_CONNECTORS.get(name.lower())
        if factory is None:
            raise ConnectorNotFound(f"the connector {name!r} was not found", hint=_builtin_hint())
        return factory()
    if scheme in _REMOTE_SCHEMES:
        raise ConnectorNotFound(
            f"the embedded tenant only runs built-in connectors (plugin://NAME); "
            f"use a superoffice target for connectors at {scheme}:// URLs",
            hint=_builtin_hint(),
        )
    raise ConnectorNotFound(
        f"unsupported connector URL scheme {scheme!r}: expected plugin://NAME, https://... or app://...",
        hint=_builtin_hint(),
    )
