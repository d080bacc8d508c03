"""Open an environment's state backend the way every command must: locked per tenant.

The postgres backend's apply lock belongs to the tenant the environment's target names,
so two checkouts of one repository (whatever their folders are called) and two
environments aimed at one tenant queue on the same lock. The identity is computed only
for that backend: a local-state project never needs its target's settings resolved here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from syncspec.spec.project import Environment, ProjectConfig
from syncspec.state.base import StateBackend


def open_environment_state(
    project: ProjectConfig,
    environment: Environment,
    environ: Mapping[str, str],
    *,
    settings: Mapping[str, Any] | None = None,
) -> StateBackend:
    """The state backend of `environment` (`settings` replaces the project's `state`)."""
    from syncspec.state.local import open_state
    from syncspec.targets.factory import tenant_identity

    chosen = project.state if settings is None else settings
    tenant = None
    if chosen.get("backend", "local") == "postgres":
        tenant = tenant_identity(environment, root=project.root, env=environ)
    return open_state(project.root, environment.name, chosen, environ=environ, tenant=tenant)


@contextmanager
def environment_state(
    cwd: Path, name: str | None, environ: Mapping[str, str]
) -> Iterator[tuple[ProjectConfig, Environment, StateBackend]]:
    """The project, its environment `name` and that environment's state backend, closed after
    (a postgres backend holds a connection)."""
    from syncspec.workspace.project import open_environment

    project, environment = open_environment(cwd, name, environ)
    state = open_environment_state(project, environment, environ)
    try:
        yield project, environment, state
    finally:
        state.close()
