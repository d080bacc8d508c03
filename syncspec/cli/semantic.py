"""Semantic rules for `validate`: against live metadata when the target is reachable, else a snapshot.

A local target counts as reachable only when its tenant file exists: validating must
never create a tenant as a side effect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from syncspec.model.diagnostics import Diagnostic
from syncspec.model.errors import TargetError

if TYPE_CHECKING:
    from syncspec.model.live import LiveState
    from syncspec.model.metadata import Metadata
    from syncspec.spec.validate import ValidationRun


@dataclass(frozen=True)
class SemanticResult:
    diagnostics: tuple[Diagnostic, ...]
    notes: tuple[str, ...]
    source: str  # "live", "snapshot" or "" when the rules did not run


def snapshot_path(root: Path, environment: str) -> Path:
    return root / ".syncspec" / "metadata" / f"{environment}.json"


def semantic_check(
    run: ValidationRun,
    *,
    offline: bool,
    env: Mapping[str, str],
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
) -> SemanticResult:
    if run.desired is None:
        return SemanticResult((), ("semantic rules skipped: fix the errors above first",), "")
    notes: list[str] = []
    metadata: Metadata | None = None
    live: LiveState | None = None
    source = ""
    if not offline:
        try:
            metadata, live = _read_live(run, env)
            source = "live" if metadata is not None else ""
        except TargetError as exc:
            notes.append(f"target of environment {run.environment.name!r} unreachable ({exc.message})")
    if metadata is None:
        path = snapshot_path(Path(run.project.root), run.environment.name)
        if path.exists():
            from syncspec.targets.snapshot import read_snapshot

            metadata = read_snapshot(path)
            source = "snapshot"
            notes.append(f"semantic rules used the metadata snapshot {path.name} ({_age(metadata, now)})")
        else:
            hint = "run 'syncspec metadata pull' to save one" if offline else "apply once or pull metadata"
            notes.append(f"semantic rules skipped: no reachable tenant and no metadata snapshot ({hint})")
            return SemanticResult((), tuple(notes), "")

    from syncspec.connectors.encoding import parse_value
    from syncspec.rules.engine import check_rules

    found = check_rules(run.desired, metadata, live=live, parse_value=parse_value)
    shown = run.reported_files
    kept = tuple(d for d in found if d.location is None or d.location.file in shown)
    return SemanticResult(kept, tuple(notes), source)


def _read_live(run: ValidationRun, env: Mapping[str, str]) -> tuple[Metadata | None, LiveState | None]:
    from syncspec.cli.session import open_local_tenant
    from syncspec.targets.factory import local_tenant_path, open_target

    settings = run.environment.target
    root = Path(run.project.root)
    if settings.get("type", "local") == "local" and not local_tenant_path(settings, root=root).exists():
        return None, None
    target = open_target(run.environment, root=root, env=env, open_local=open_local_tenant)
    try:
        return target.read_metadata(), target.read_live()
    finally:
        target.close()


def _age(metadata: Metadata, now: Callable[[], dt.datetime]) -> str:
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
