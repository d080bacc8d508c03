"""Wiring for `syncspec metadata diff` and the metadata note of `plan`/`drift` (no click here).

Reads the two sides (a snapshot and the live tenant, or two snapshots), the project's
desired state when it is valid, and hands them to the pure `syncspec.metadata.impact`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from syncspec.model.errors import ConfigError, UsageError

if TYPE_CHECKING:
    from syncspec.metadata.impact import MetadataDiff
    from syncspec.model.desired import DesiredState
    from syncspec.model.live import LiveState
    from syncspec.model.metadata import Metadata
    from syncspec.spec.validate import ValidationRun
    from syncspec.workspace.session import Session


@dataclass(frozen=True)
class DiffOptions:
    environment: str | None
    against: Path | None
    snapshots: tuple[Path, ...]
    cwd: Path
    with_config: bool = True


@dataclass(frozen=True)
class DiffResult:
    diff: MetadataDiff
    notes: tuple[str, ...]


def run_diff(options: DiffOptions, env: Mapping[str, str]) -> DiffResult:
    from syncspec.embedded.connectors.encoding import parse_value
    from syncspec.metadata.impact import compare
    from syncspec.model.paths import display_path
    from syncspec.spec.validate import validate
    from syncspec.workspace.metadata_source import snapshot_path, target_may_answer
    from syncspec.workspace.project import open_environment
    from syncspec.workspace.tenant_open import open_environment_target

    if len(options.snapshots) not in (0, 2):
        raise UsageError(
            "give two snapshots to compare, or none to compare the tenant with the saved snapshot",
            hint="syncspec metadata diff [--against SNAPSHOT] | syncspec metadata diff A.json B.json",
        )
    if options.snapshots and options.against is not None:
        raise UsageError("--against compares with the live tenant; it does not go with two snapshots")
    notes: list[str] = []
    live: LiveState | None = None
    run: ValidationRun | None = None
    if options.with_config:
        try:  # the metadata can be compared without a configuration to check
            run = validate([], cwd=options.cwd, environment=options.environment, env=env)
        except (UsageError, ConfigError) as exc:  # no config directory, no YAML files in it
            notes.append(f"no configuration checked: {exc.message}")
    if options.snapshots:
        first, second = (_absolute(p, options.cwd) for p in options.snapshots)
        before, after = _snapshot(first, options.cwd), _snapshot(second, options.cwd)
        sources = display_path(first, options.cwd), display_path(second, options.cwd)
    else:
        project, environment = open_environment(options.cwd, options.environment, env)
        root = Path(project.root)
        path = (
            _absolute(options.against, options.cwd)
            if options.against is not None
            else snapshot_path(root, environment.name)
        )
        before = _snapshot(path, options.cwd, pull_hint=options.against is None)
        if not target_may_answer(environment, root):
            # a diff must not create a tenant as a side effect (validate's rule)
            raise UsageError(
                f"the local tenant of environment {environment.name!r} does not exist, "
                "so there is no live metadata to compare",
                hint="compare two snapshots instead: syncspec metadata diff A.json B.json",
            )
        target = open_environment_target(environment, root=root, env=env)
        try:
            after, live = target.read_metadata(), target.read_live()
        finally:
            target.close()
        sources = display_path(path, options.cwd), "live"
    desired = None
    if run is not None:
        desired = _desired(run.desired if run.complete and not run.report.errors else None, options, notes)
    diff = compare(
        before,
        after,
        desired=desired,
        before_source=sources[0],
        after_source=sources[1],
        live=live,
        parse_value=parse_value,
    )
    return DiffResult(diff, tuple(notes))


def _desired(desired: DesiredState | None, options: DiffOptions, notes: list[str]) -> DesiredState | None:
    if not options.with_config:
        return None
    if desired is None:
        notes.append("the configuration has errors, so its impact was not checked (run 'syncspec validate')")
    return desired


def _absolute(path: Path, cwd: Path) -> Path:
    return path if path.is_absolute() else cwd / path


def _snapshot(path: Path, cwd: Path, *, pull_hint: bool = False) -> Metadata:
    from syncspec.model.paths import display_path
    from syncspec.targets.snapshot import read_snapshot

    if not path.is_file():
        raise UsageError(
            f"no metadata snapshot at {display_path(path, cwd)}",
            hint="run 'syncspec metadata pull' to save one" if pull_hint else "check the path",
        )
    return read_snapshot(path)


def changes_note(session: Session) -> str | None:
    """The one-line note for `plan`/`drift`: metadata changes since the snapshot that touch the plan."""
    from syncspec.embedded.connectors.encoding import parse_value
    from syncspec.metadata.impact import compare, note_line
    from syncspec.model.errors import TargetError
    from syncspec.model.paths import display_path
    from syncspec.targets.snapshot import read_snapshot
    from syncspec.workspace.metadata_source import snapshot_path

    path = snapshot_path(Path(session.project.root), session.environment.name)
    if not path.is_file():
        return None
    try:
        before = read_snapshot(path)
    except TargetError:
        return None  # a broken snapshot is validate's to report, not a plan's
    diff = compare(
        before,
        session.metadata(),
        desired=session.desired(),
        before_source=display_path(path, session.cwd),
        after_source="live",
        live=session.live(),
        parse_value=parse_value,
    )
    return note_line(diff)


def write_changes_note(session: Session, stream: TextIO) -> None:
    """Write `changes_note` as a `note:` line, when there is one."""
    note = changes_note(session)
    if note is not None:
        stream.write(f"note: {note}\n")
