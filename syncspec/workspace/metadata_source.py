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

# The factory's default, repeated so a validate run need not import the target stack to know it.
DEFAULT_LOCAL_PATH = ".syncspec/tenant.db"

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
    if not run.complete:
        return SemanticResult((), ("semantic rules skipped: fix the errors above first",), "")
    notes: list[str] = []
    metadata: Metadata | None = None
    live: LiveState | None = None
    source = ""
    root = Path(run.project.root)
    snapshot = snapshot_path(root, run.environment.name)
    # Decide where metadata comes from before importing anything heavy: a run with no
    # tenant and no snapshot (the usual pre-commit case) costs no model building at all.
    if not offline and _target_may_answer(run.environment.target, root):
        try:
            metadata, live = _read_live(run, env)
            source = "live"
        except TargetError as exc:
            notes.append(f"target of environment {run.environment.name!r} unreachable ({exc.message})")
    if metadata is None:
        if not snapshot.exists():
            hint = "run 'syncspec metadata pull' to save one" if offline else "apply once or pull metadata"
            notes.append(f"semantic rules skipped: no reachable tenant and no metadata snapshot ({hint})")
            return SemanticResult((), tuple(notes), "")
        from syncspec.targets.snapshot import read_snapshot

        metadata = read_snapshot(snapshot)
        source = "snapshot"
        notes.append(f"semantic rules used the metadata snapshot {snapshot.name} ({_age(metadata, now)})")

    from syncspec.connectors.encoding import parse_value
    from syncspec.rules.engine import check_rules

    desired = run.desired
    assert desired is not None, "a complete validation run always has a desired state"
    found = check_rules(desired, metadata, live=live, parse_value=parse_value)
    shown = run.reported_files
    kept = tuple(d for d in found if d.location is None or d.location.file in shown)
    return SemanticResult(kept, tuple(notes), source)


def _target_may_answer(settings: Mapping[str, object], root: Path) -> bool:
    """A local tenant answers only if its file exists (validate never creates one); remote ones may."""
    if settings.get("type", "local") != "local":
        return True
    raw = settings.get("path", DEFAULT_LOCAL_PATH)
    path = Path(raw) if isinstance(raw, str) and raw.strip() else Path(DEFAULT_LOCAL_PATH)
    return (path if path.is_absolute() else root / path).is_file()


def _read_live(run: ValidationRun, env: Mapping[str, str]) -> tuple[Metadata, LiveState]:
    from syncspec.targets.factory import open_target
    from syncspec.workspace.session import open_local_tenant

    root = Path(run.project.root)
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
