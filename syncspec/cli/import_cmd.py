"""`syncspec import`: write the live tenant's configuration as YAML in the recommended layout."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click

from syncspec.model.exitcodes import ExitCode

if TYPE_CHECKING:
    from syncspec.spec.project import ProjectConfig
    from syncspec.spec.writer import Layout, LayoutFile
    from syncspec.targets.base import Target


@dataclass(frozen=True)
class ImportOptions:
    cwd: Path
    environment: str | None = None
    connections: tuple[str, ...] = ()
    out: Path | None = None
    force: bool = False


@click.command("import")
@click.option("-e", "--env", "environment", metavar="ENV", help="Environment whose tenant is read.")
@click.option(
    "--connection",
    "connections",
    multiple=True,
    metavar="NAME",
    help="Import only this connection (repeatable); the sync priority is then not written.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write under this directory instead of the project's config directory.",
)
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
def import_(environment: str | None, connections: tuple[str, ...], out: Path | None, force: bool) -> int:
    """Write the live tenant's ERP sync configuration as YAML files.

    A plan right after shows no changes. Secrets are written as ${env:NAME} references;
    the command lists the variables to set.
    """
    options = ImportOptions(Path.cwd(), environment, connections, out, force)
    return run_import(options, env=dict(os.environ), out=sys.stdout, err=sys.stderr)


def run_import(options: ImportOptions, *, env: Mapping[str, str], out: TextIO, err: TextIO) -> int:
    from syncspec.model.errors import SyncspecError, UsageError
    from syncspec.spec.writer import WriterOptions, build_layout

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
            f"{len(existing)} file(s) already exist in {_shown(directory, options.cwd)}: "
            + ", ".join(existing[:5])
            + (", ..." if len(existing) > 5 else ""),
            hint="pass --force to overwrite them, or --out DIR to write elsewhere",
        )
    _write(directory, layout.files)
    _report(layout, directory, options.cwd, out, err)
    return ExitCode.OK


def _open(options: ImportOptions, env: Mapping[str, str], err: TextIO) -> tuple[ProjectConfig, Target]:
    from syncspec.spec.project import find_project, load_project, select_environment
    from syncspec.targets.factory import open_target
    from syncspec.workspace.session import open_local_tenant

    project = load_project(find_project(options.cwd), root=options.cwd)
    environment = select_environment(project, options.environment, environ=env)

    def note(text: str) -> None:
        err.write(f"note: {text}\n")

    return project, open_target(
        environment, root=project.root, env=env, open_local=open_local_tenant, note=note
    )


def _write(directory: Path, files: Sequence[LayoutFile]) -> None:
    from syncspec.spec.fmt_files import write_atomic

    for file in files:
        path = directory / file.path
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, file.text)


def _report(layout: Layout, directory: Path, cwd: Path, out: TextIO, err: TextIO) -> None:
    shown = _shown(directory, cwd)
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


def _shown(path: Path, cwd: Path) -> str:
    try:
        return path.resolve().relative_to(cwd.resolve()).as_posix() or "."
    except ValueError:
        return str(path)
