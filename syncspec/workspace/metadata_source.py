"""Where tenant metadata comes from: the live tenant when it may answer, else the saved snapshot.

A local target counts as reachable only when its tenant file exists: validating, showing
metadata or specialising schemas must never create a tenant as a side effect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from syncspec.model.errors import TargetError
from syncspec.model.paths import display_path
from syncspec.workspace.project import open_environment

# The factory's default, repeated so a validate run need not import the target stack to know it.
DEFAULT_LOCAL_PATH = ".syncspec/tenant.db"

if TYPE_CHECKING:
    from syncspec.model.live import LiveState
    from syncspec.model.metadata import Metadata
    from syncspec.spec.project import Environment


def snapshot_path(root: Path, environment: str) -> Path:
    return root / ".syncspec" / "metadata" / f"{environment}.json"


def target_may_answer(environment: Environment, root: Path) -> bool:
    """A local tenant answers only if its file exists (validate never creates one); remote ones may."""
    if environment.target_type != "local":
        return True
    raw = environment.target.get("path", DEFAULT_LOCAL_PATH)
    path = Path(raw) if isinstance(raw, str) and raw.strip() else Path(DEFAULT_LOCAL_PATH)
    return (path if path.is_absolute() else root / path).is_file()


def read_live(
    environment: Environment, root: Path, env: Mapping[str, str], *, live_state: bool = True
) -> tuple[Metadata, LiveState | None]:
    """The tenant's metadata (and, with `live_state`, its live state), the target closed after."""
    from syncspec.workspace.tenant_open import open_environment_target

    target = open_environment_target(environment, root=root, env=env)
    try:
        return target.read_metadata(), (target.read_live() if live_state else None)
    finally:
        target.close()


def read_snapshot_file(path: Path) -> Metadata:
    from syncspec.targets.snapshot import read_snapshot

    return read_snapshot(path)


def read_metadata(
    cwd: Path, environment: str | None, env: Mapping[str, str], *, use_snapshot: bool
) -> tuple[Metadata, str]:
    """The environment's metadata and where it came from ("live" or the snapshot's path)."""
    from syncspec.model.errors import UsageError

    project, selected = open_environment(cwd, environment, env)
    root = Path(project.root)
    if not use_snapshot and target_may_answer(selected, root):
        return read_live(selected, root, env, live_state=False)[0], "live"
    snapshot = snapshot_path(root, selected.name)
    if not snapshot.is_file():
        raise UsageError(
            f"no metadata snapshot for environment {selected.name!r} ({display_path(snapshot, cwd)})"
            + ("" if use_snapshot else ", and its tenant cannot be reached"),
            hint="run 'syncspec metadata pull' to save one",
        )
    return read_snapshot_file(snapshot), display_path(snapshot, cwd)


def environment_metadata(cwd: Path, name: str, environ: Mapping[str, str]) -> tuple[Metadata, str]:
    """The environment's metadata and a phrase naming where it came from.

    Live when the target is reachable (a local tenant only when its file exists: asking
    for schemas must not create a tenant), else the snapshot; neither is a TargetError.
    """
    project, environment = open_environment(cwd, name, environ)
    root = Path(project.root)
    why = ""
    try:
        live = _schema_live(environment, root, environ)
        if live is not None:
            return live, f"the live metadata of environment {environment.name!r}"
        why = "its local tenant file does not exist"
    except TargetError as exc:
        why = f"its target is unreachable ({exc.message})"
    path = snapshot_path(root, environment.name)
    if path.exists():
        return read_snapshot_file(path), f"the metadata snapshot {display_path(path, root)} ({why})"
    raise TargetError(
        f"no metadata for environment {environment.name!r}: {why} and there is no snapshot at "
        f"{display_path(path, root)}",
        hint=f"run 'syncspec metadata pull -e {environment.name}' where the tenant is reachable",
    )


def _schema_live(environment: Environment, root: Path, environ: Mapping[str, str]) -> Metadata | None:
    from syncspec.targets.factory import local_tenant_path

    if environment.target_type == "local" and not local_tenant_path(environment.target, root=root).exists():
        return None
    return read_live(environment, root, environ, live_state=False)[0]


def snapshot_age(metadata: Metadata, now: Callable[[], dt.datetime]) -> str:
    if not metadata.taken_at:
        return "age unknown"
    try:
        taken = dt.datetime.fromisoformat(metadata.taken_at.replace("Z", "+00:00"))
    except ValueError:
        return f"taken {metadata.taken_at}"
    hours = (now() - taken).total_seconds() / 3600
    if hours < 1:
        return f"taken {int(hours * 60)} minutes ago"
    if hours < 48:
        return f"taken {hours:.0f} hours ago"
    return f"taken {hours / 24:.0f} days ago"
