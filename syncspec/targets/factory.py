"""Open the target an environment names: `{type: local, path}` or `{type: superoffice, ...}`.

`targets/` sits above `tenant/` in the layer order, so the embedded tenant is passed in
as a `LocalTenantOpener` by the caller (the CLI wires `Tenant.open_or_create` +
`InProcessAgent`); this module only decides what to open and names it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from syncspec.model.errors import TargetError
from syncspec.targets.agent import TenantApi
from syncspec.targets.agent_target import AgentTarget
from syncspec.targets.base import Target

DEFAULT_LOCAL_PATH = ".syncspec/tenant.db"
TARGET_TYPES = ("local", "superoffice")


class EnvironmentLike(Protocol):
    """What the factory needs of an environment: its name and its `target` settings."""

    @property
    def name(self) -> str: ...

    @property
    def target(self) -> Mapping[str, Any]: ...


# path -> (agent, close); creates and seeds the tenant file when it does not exist
LocalTenantOpener = Callable[[Path], tuple[TenantApi, Callable[[], None]]]


def open_target(
    environment: EnvironmentLike,
    *,
    root: Path,
    env: Mapping[str, str],
    open_local: LocalTenantOpener,
    note: Callable[[str], None] = lambda _: None,
    parallelism: int = 8,
) -> Target:
    """The environment's target. `note` receives one-line notices (e.g. a new tenant file)."""
    settings = environment.target
    kind = settings.get("type", "local")
    if kind == "local":
        path = local_tenant_path(settings, root=root)
        created = not path.exists()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            agent, close = open_local(path)
        except OSError as exc:
            raise TargetError(
                f"cannot open the local tenant {path} of environment {environment.name!r}: {exc.strerror}",
                hint="check the path and its permissions in syncspec.yaml",
            ) from None
        if created:
            note(f"created a new local tenant at {path} (seeded with the standard CRM catalogue)")
        documented = settings.get("reads", "embedded") == "documented"
        return AgentTarget(
            agent,
            f"local:{path}",
            # the embedded tenant runs one call at a time under its own lock: threads reading or
            # applying side by side would only queue for it (and pay the GIL's switching)
            parallelism=1,
            on_close=close,
            embedded_facts=not documented,  # documented: read it as a real tenant is read
        )
    if kind == "superoffice":
        # imported here: httpx is only paid for by runs that talk HTTP
        from syncspec.targets.rest.settings import open_rest_agent

        agent = open_rest_agent(
            settings,
            environment=environment.name,
            env=env,
            root=root,
            vars=getattr(environment, "vars", None),  # syncspec.spec.project.Environment has them
            concurrency=parallelism,
        )
        return AgentTarget(
            agent, f"superoffice:{agent.base_url}", parallelism=parallelism, on_close=agent.close
        )
    raise TargetError(
        f"environment {environment.name!r} has an unknown target type {kind!r}",
        hint=f"known target types: {', '.join(TARGET_TYPES)}",
    )


def tenant_identity(environment: EnvironmentLike, *, root: Path, env: Mapping[str, str]) -> str:
    """The tenant an environment's target names, without opening it: what a lock belongs to.

    `local:<resolved tenant file>` for the embedded tenant; `superoffice:<normalised base URL>`
    for a REST target. Normalising folds spellings of one tenant together (scheme, host and
    path case, a default port, trailing slashes; user info, query and fragment dropped):
    two spellings sharing a lock only makes runs wait, two locks for one tenant lets them
    interleave.
    """
    settings = environment.target
    kind = settings.get("type", "local")
    if kind == "local":
        return f"local:{local_tenant_path(settings, root=root)}"
    if kind == "superoffice":
        from syncspec.targets.rest.settings import resolve_setting

        raw = settings.get("url")
        if raw is None:
            raise TargetError(
                f"environment {environment.name!r}: a superoffice target needs a url",
                hint="e.g. url: https://online.superoffice.com/Cust12345 (see docs/rest.md)",
            )
        url = resolve_setting(
            "url", raw, environment=environment.name, env=env, vars=getattr(environment, "vars", None) or {}
        )
        return f"superoffice:{normalised_url(url)}"
    raise TargetError(
        f"environment {environment.name!r} has an unknown target type {kind!r}",
        hint=f"known target types: {', '.join(TARGET_TYPES)}",
    )


def normalised_url(url: str) -> str:
    """One spelling of a tenant's base URL (see `tenant_identity`)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    try:
        port = parts.port
    except ValueError:
        port = None  # a malformed port: opening the target reports it
    if port is not None and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/").lower()
    return urlunsplit((scheme, host, path, "", ""))


def local_tenant_path(settings: Mapping[str, Any], *, root: Path) -> Path:
    """The tenant file, relative to the project root unless absolute; a directory is refused."""
    raw = settings.get("path", DEFAULT_LOCAL_PATH)
    if not isinstance(raw, str) or not raw.strip():
        raise TargetError(
            "a local target's path must be a non-empty string", hint=f"e.g. {DEFAULT_LOCAL_PATH}"
        )
    path = Path(raw).expanduser()
    if not path.is_absolute():
        path = root / path
    path = path.resolve()
    if path.is_dir():
        raise TargetError(f"the local tenant path {path} is a directory", hint="name a file, e.g. tenant.db")
    return path
