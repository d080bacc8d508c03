"""An environment's tenant opened as a Target: the embedded tenant for `local`, REST otherwise."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from syncspec.spec.project import Environment
    from syncspec.targets.agent import TenantApi
    from syncspec.targets.base import Target

Note = Callable[[str], None]


def open_local_tenant(path: Path) -> tuple[TenantApi, Callable[[], None]]:
    """The embedded tenant in `path` (created and seeded when missing) and how to close it."""
    from syncspec.embedded.tenant.agent import InProcessAgent
    from syncspec.embedded.tenant.engine import Tenant

    tenant = Tenant.open_or_create(path)
    return InProcessAgent(tenant), tenant.close


def open_environment_target(
    environment: Environment, *, root: Path, env: Mapping[str, str], note: Note | None = None
) -> Target:
    """The environment's target; the caller closes it."""
    from syncspec.targets.factory import open_target

    if note is None:
        return open_target(environment, root=root, env=env, open_local=open_local_tenant)
    return open_target(environment, root=root, env=env, open_local=open_local_tenant, note=note)
