"""`syncspec validate`: the files' own checks, then the semantic rules against tenant metadata.

The rules read the live tenant when it may answer, else the metadata snapshot, else they
are skipped with a note (workspace/metadata_source.py decides which).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from syncspec.model.diagnostics import Diagnostic, Report, sorted_diagnostics
from syncspec.model.errors import TargetError
from syncspec.workspace.metadata_source import (
    read_live,
    read_snapshot_file,
    snapshot_age,
    snapshot_path,
    target_may_answer,
)

if TYPE_CHECKING:
    from syncspec.model.live import LiveState
    from syncspec.model.metadata import Metadata
    from syncspec.spec.validate import ValidationRun


@dataclass(frozen=True)
class ValidateRequest:
    paths: tuple[Path, ...] = ()  # empty: the project's config directory
    environment: str | None = None
    offline: bool = False  # rules against the snapshot, never the tenant
    rules: bool = True  # False: only schema and cross-document checks


def run_validate(request: ValidateRequest, *, cwd: Path, env: Mapping[str, str]) -> Report:
    """Every diagnostic of the files (and, unless asked not to, of the semantic rules)."""
    from syncspec.spec.validate import validate

    run = validate(list(request.paths), cwd=cwd, environment=request.environment, env=env)
    report = run.report
    if not request.rules:
        return report
    semantic = semantic_check(run, offline=request.offline, env=env)
    return replace(
        report,
        diagnostics=tuple(sorted_diagnostics([*report.diagnostics, *semantic.diagnostics])),
        notes=(*report.notes, *semantic.notes),
    )


@dataclass(frozen=True)
class SemanticResult:
    diagnostics: tuple[Diagnostic, ...]
    notes: tuple[str, ...]
    source: str  # "live", "snapshot" or "" when the rules did not run


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
    if not offline and target_may_answer(run.environment, root):
        try:
            metadata, live = read_live(run.environment, root, env)
            source = "live"
        except TargetError as exc:
            notes.append(f"target of environment {run.environment.name!r} unreachable ({exc.message})")
    if metadata is None:
        if not snapshot.exists():
            hint = "run 'syncspec metadata pull' to save one" if offline else "apply once or pull metadata"
            notes.append(f"semantic rules skipped: no reachable tenant and no metadata snapshot ({hint})")
            return SemanticResult((), tuple(notes), "")
        metadata = read_snapshot_file(snapshot)
        source = "snapshot"
        notes.append(
            f"semantic rules used the metadata snapshot {snapshot.name} ({snapshot_age(metadata, now)})"
        )

    from syncspec.embedded.connectors.encoding import parse_value
    from syncspec.rules.engine import check_rules

    desired = run.desired
    assert desired is not None, "a complete validation run always has a desired state"
    found = check_rules(desired, metadata, live=live, parse_value=parse_value)
    shown = run.reported_files
    kept = tuple(d for d in found if d.location is None or d.location.file in shown)
    return SemanticResult(kept, tuple(notes), source)
