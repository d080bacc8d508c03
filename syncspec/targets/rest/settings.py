"""A `RestAgent` from an environment's `{type: superoffice, url, token, app_token, ca_bundle}` settings.

References are resolved here, at connection time, so a token never sits in a parsed
project: `${env:NAME}` from the process environment, `${var:NAME}` from the
environment's variables. (`spec/interpolate.py` does the same for documents; `targets/`
may not import `spec/`, so this module repeats the small part it needs.) Messages name
a missing variable, never a value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from syncspec.model.errors import TargetError
from syncspec.targets.rest.agent import RestAgent

SETTINGS = ("type", "url", "token", "app_token", "ca_bundle")
_REFERENCE = re.compile(r"\$\$\{|\$\{(env|var):([A-Za-z_][A-Za-z0-9_.-]*)\}")


def resolve_setting(
    key: str, raw: object, *, environment: str, env: Mapping[str, str], vars: Mapping[str, object]
) -> str:
    """One setting with its references replaced; a missing reference is a TargetError."""
    if not isinstance(raw, str):
        raise TargetError(f"environment {environment!r}: target setting {key!r} must be a string")

    where = f"environment {environment!r}: target setting {key!r}"

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$${":
            return "${"
        source, name = match.group(1), match.group(2)
        if source == "env":
            if name not in env:
                raise TargetError(
                    f"{where} needs the environment variable {name}",
                    hint=f"export {name} before running syncspec",
                )
            return env[name]
        if name not in vars:
            raise TargetError(
                f"{where} uses ${{var:{name}}}, which is not defined",
                hint=f"add {name} under the environment's vars in syncspec.yaml",
            )
        return str(vars[name])

    return _REFERENCE.sub(replace, raw)


def open_rest_agent(
    settings: Mapping[str, Any],
    *,
    environment: str,
    env: Mapping[str, str],
    root: Path,
    vars: Mapping[str, object] | None = None,
    concurrency: int = 8,
) -> RestAgent:
    """The agent a superoffice target names. Nothing is sent until the first call."""
    values, verify = resolved_settings(settings, environment=environment, env=env, root=root, vars=vars)
    return RestAgent(
        values["url"],
        token=values.get("token") or None,
        app_token=values.get("app_token") or None,
        verify=verify,
        concurrency=concurrency,
    )


def resolved_settings(
    settings: Mapping[str, Any],
    *,
    environment: str,
    env: Mapping[str, str],
    root: Path,
    vars: Mapping[str, object] | None = None,
) -> tuple[dict[str, str], bool | Path]:
    """A superoffice target's settings checked and resolved, and what TLS verifies against.

    Unknown settings and a missing url are refused; `ca_bundle` is taken relative to `root`.
    """
    unknown = sorted(set(settings) - set(SETTINGS))
    if unknown:
        raise TargetError(
            f"environment {environment!r}: unknown superoffice target settings: {', '.join(unknown)}",
            hint=f"known settings: {', '.join(SETTINGS[1:])}",
        )
    if "url" not in settings:
        raise TargetError(
            f"environment {environment!r}: a superoffice target needs a url",
            hint="e.g. url: https://online.superoffice.com/Cust12345 (see docs/rest.md)",
        )
    values = {
        key: resolve_setting(key, settings[key], environment=environment, env=env, vars=vars or {})
        for key in SETTINGS[1:]
        if settings.get(key) is not None
    }
    ca_bundle = values.get("ca_bundle")
    verify: bool | Path = True
    if ca_bundle:
        path = Path(ca_bundle).expanduser()
        verify = path if path.is_absolute() else root / path
    return values, verify
