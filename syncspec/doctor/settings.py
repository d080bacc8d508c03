"""`ProbeSettings` from an environment's `target`, read the way `syncspec plan` reads it.

The settings and their `${env:...}`/`${var:...}` references are those of
`syncspec.targets.rest_settings` (the same names, resolved by its `resolve_setting`), so a
project that plans against a tenant can be doctored without changes. Only `superoffice`
targets are doctored: the embedded tenant is syncspec's own and has nothing to find out.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from syncspec.doctor.probe import ProbeSettings
from syncspec.model.errors import TargetError, UsageError
from syncspec.targets.rest_settings import SETTINGS, resolve_setting


class NotARestTarget(UsageError):
    """doctor was pointed at an environment whose target is not a SuperOffice REST tenant."""


def probe_settings(
    target: Mapping[str, Any],
    *,
    environment: str,
    env: Mapping[str, str],
    vars: Mapping[str, object],
    root: Path,
    read_timeout: float = 20.0,
) -> ProbeSettings:
    kind = target.get("type", "local")
    if kind != "superoffice":
        raise NotARestTarget(
            f"environment {environment!r} has a {kind!r} target; doctor checks a SuperOffice REST tenant "
            "(a target of type superoffice)",
            hint="run doctor with -e naming an environment whose target is {type: superoffice, url: ...}",
        )
    unknown = sorted(set(target) - set(SETTINGS))
    if unknown:
        raise TargetError(
            f"environment {environment!r}: unknown superoffice target settings: {', '.join(unknown)}",
            hint=f"known settings: {', '.join(SETTINGS[1:])}",
        )
    if "url" not in target:
        raise TargetError(
            f"environment {environment!r}: a superoffice target needs a url",
            hint="e.g. url: https://online.superoffice.com/Cust12345 (see docs/rest.md)",
        )
    values = {
        key: resolve_setting(key, target[key], environment=environment, env=env, vars=vars)
        for key in SETTINGS[1:]
        if target.get(key) is not None
    }
    verify: bool | Path = True
    if values.get("ca_bundle"):
        path = Path(values["ca_bundle"]).expanduser()
        verify = path if path.is_absolute() else root / path
    return ProbeSettings(
        values["url"],
        token=values.get("token") or None,
        app_token=values.get("app_token") or None,
        verify=verify,
        read_timeout=read_timeout,
    )
