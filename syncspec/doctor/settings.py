"""`ProbeSettings` from an environment's `target`, read the way `syncspec plan` reads it.

The settings and their `${env:...}`/`${var:...}` references are those of
`syncspec.targets.rest.settings` (the same names, checked and resolved by its `resolved_settings`), so a
project that plans against a tenant can be doctored without changes. Only `superoffice`
targets are doctored: the embedded tenant is syncspec's own and has nothing to find out.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from syncspec.doctor.probe import ProbeSettings
from syncspec.model.errors import UsageError
from syncspec.targets.rest.settings import resolved_settings


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
    values, verify = resolved_settings(target, environment=environment, env=env, root=root, vars=vars)
    return ProbeSettings(
        values["url"],
        token=values.get("token") or None,
        app_token=values.get("app_token") or None,
        verify=verify,
        read_timeout=read_timeout,
    )
