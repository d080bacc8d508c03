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
    # pre-commit: `paths` only choose the projects they belong to, each validated whole
    whole_project: bool = False


def run_validate(request: ValidateRequest, *, cwd: Path, env: Mapping[str, str]) -> Report:
    """Every diagnostic of the files (and, unless asked not to, of the semantic rules)."""
    if request.whole_project:
        return _whole_projects(request, cwd=cwd, env=env)
    return _validate_one(request, list(request.paths), None, cwd=cwd, env=env)


def _whole_projects(request: ValidateRequest, *, cwd: Path, env: Mapping[str, str]) -> Report:
    """Each project the paths belong to, validated whole: a change's effect on unchanged files
    is reported wherever it lands (what a pre-commit hook needs), other YAML ignored."""
    from syncspec.spec.project import find_project
    from syncspec.spec.projects import owning_projects

    # No files (a commit that only deletes, or touches no YAML): the project here, if any.
    here = find_project(cwd)
    projects = list(owning_projects(request.paths)) if request.paths else [here] if here else []
    reports = [_validate_one(request, [], project, cwd=cwd, env=env) for project in projects]
    if not reports:
        return Report((), 0, ("no syncspec project among the files",))
    return Report(
        tuple(sorted_diagnostics([d for r in reports for d in r.diagnostics])),
        sum(r.files_checked for r in reports),
        tuple(note for r in reports for note in r.notes),
    )


def _validate_one(
    request: ValidateRequest,
    paths: list[Path],
    project_file: Path | None,
    *,
    cwd: Path,
    env: Mapping[str, str],
) -> Report:
    from syncspec.spec.validate import validate

    run = validate(paths, cwd=cwd, environment=request.environment, env=env, project_file=project_file)
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
