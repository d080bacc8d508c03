"""`syncspec import`: write the live tenant's configuration as YAML in the recommended layout."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from syncspec.model.exitcodes import ExitCode
from syncspec.model.paths import display_path

if TYPE_CHECKING:
    from syncspec.spec.project import ProjectConfig
    from syncspec.spec.writing.layout import Layout, LayoutFile
    from syncspec.targets.base import Target


@dataclass(frozen=True)
class ImportOptions:
    cwd: Path
    environment: str | None = None
    connections: tuple[str, ...] = ()
    out: Path | None = None
    force: bool = False


def run_import(options: ImportOptions, *, env: Mapping[str, str], out: TextIO, err: TextIO) -> int:
    from syncspec.model.errors import SyncspecError, UsageError
    from syncspec.spec.writing.layout import WriterOptions, build_layout

    # Not Session: it validates the config directory first, which import may be creating.
    project, target = _open(options, env, err)
    try:
        directory = _absolute(options.out, options.cwd) if options.out else project.config_dir
        writer_options = WriterOptions(
            connections=options.connections or None,
            schema_base=_schema_base(project.root, directory),
        )
        live = target.read_live()
        layout = build_layout(live, target.read_metadata(), writer_options)
    finally:
        target.close()
    if layout.missing:
        known = ", ".join(sorted(live.connections)) or "(none)"
        raise UsageError(
            f"the tenant has no connection named {', '.join(map(repr, layout.missing))}",
            hint=f"connections in the tenant: {known}",
        )
    existing = [f.path for f in layout.files if (directory / f.path).exists()]
    if existing and not options.force:
        raise SyncspecError(
            f"{len(existing)} file(s) already exist in {display_path(directory, options.cwd)}: "
            + ", ".join(existing[:5])
            + (", ..." if len(existing) > 5 else ""),
            hint="pass --force to overwrite them, or --out DIR to write elsewhere",
        )
    _write(directory, layout.files)
    _report(layout, directory, options.cwd, out, err)
    return ExitCode.OK


def _open(options: ImportOptions, env: Mapping[str, str], err: TextIO) -> tuple[ProjectConfig, Target]:
    from syncspec.workspace.project import open_environment
    from syncspec.workspace.tenant_open import open_environment_target

    project, environment = open_environment(options.cwd, options.environment, env)

    def note(text: str) -> None:
        err.write(f"note: {text}\n")

    return project, open_environment_target(environment, root=project.root, env=env, note=note)


def _write(directory: Path, files: Sequence[LayoutFile]) -> None:
    from syncspec.spec.formatting.files import write_atomic

    for file in files:
        path = directory / file.path
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, file.text)


def _report(layout: Layout, directory: Path, cwd: Path, out: TextIO, err: TextIO) -> None:
    shown = display_path(directory, cwd)
    out.write(f"Wrote {len(layout.files)} file(s) to {shown}:\n")
    for file in layout.files:
        out.write(f"  {file.path}\n")
    if layout.env_vars:
        out.write("Secrets are not read back from the tenant; set these before plan or apply:\n")
        for variable in layout.env_vars:
            out.write(f"  export {variable}=...\n")
    for note in layout.notes:
        err.write(f"note: {note}\n")


def _schema_base(root: Path, directory: Path) -> str | None:
    """The project's `schemas/` relative to the config directory, when it has one (init writes it)."""
    schemas = root / "schemas"
    if not schemas.is_dir():
        return None
    return Path(os.path.relpath(schemas.resolve(), directory.resolve())).as_posix()


def _absolute(path: Path, cwd: Path) -> Path:
    return path if path.is_absolute() else cwd / path
