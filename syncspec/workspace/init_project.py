"""`syncspec init`: a new project with the example configuration and a seeded local tenant.

The example files are package data under `syncspec/workspace/scaffold/` (a test keeps the copy
byte-identical to the repository's `connections/`). Their modelines point at
`../schemas/`, so the schemas are written into the project as well: editors complete
and check offline, and the modelines resolve.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath
from typing import TextIO

from syncspec.model.exitcodes import ExitCode
from syncspec.model.paths import display_path

SCAFFOLD_PACKAGE = "syncspec.workspace.scaffold"
TENANT_PATH = ".syncspec/tenant.db"
# scaffold file -> where it goes in the project
RENAMED = {"gitignore": ".gitignore"}
SKIPPED = {"__init__.py", "__pycache__"}


@dataclass(frozen=True)
class InitOptions:
    directory: Path
    force: bool = False


def scaffold_files() -> list[tuple[PurePosixPath, bytes]]:
    """The project files `init` writes (path relative to the project, content), sorted by path."""
    found = [
        (_target(path), node.read_bytes()) for path, node in _walk(files(SCAFFOLD_PACKAGE), PurePosixPath())
    ]
    return sorted(found)


def run_init(options: InitOptions, *, cwd: Path, out: TextIO, err: TextIO) -> int:
    from syncspec.embedded.tenant import Tenant
    from syncspec.model.errors import SyncspecError
    from syncspec.spec.schema.packaged import write_schemas

    root = options.directory if options.directory.is_absolute() else cwd / options.directory
    if root.exists() and not root.is_dir():
        raise SyncspecError(f"{options.directory} exists and is not a directory", hint="choose another path")
    if root.is_dir() and any(root.iterdir()) and not options.force:
        raise SyncspecError(
            f"{options.directory} is not empty",
            hint="choose an empty directory, or pass --force to write into it",
        )
    written: list[str] = []
    for relative, content in scaffold_files():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        written.append(relative.as_posix())
    written += [p.relative_to(root).as_posix() for p in write_schemas(root / "schemas")]

    tenant_path = root / TENANT_PATH
    if tenant_path.exists():
        err.write(f"note: kept the existing tenant {TENANT_PATH}\n")
    else:
        tenant_path.parent.mkdir(parents=True, exist_ok=True)
        Tenant.create(tenant_path).close()
        written.append(TENANT_PATH)

    out.write(f"Created a syncspec project in {display_path(root, cwd)} ({len(written)} files), including:\n")
    for name in ("syncspec.yaml", ".gitignore", "connections/", "schemas/", TENANT_PATH):
        out.write(f"  {name}\n")
    out.write("Next:\n")
    out.write(f"  cd {display_path(root, cwd)} && export DEMO_ERP_PASSWORD=demo-password && syncspec plan\n")
    out.write("  syncspec apply\n")
    return ExitCode.OK


def _walk(node: Traversable, path: PurePosixPath) -> Iterator[tuple[PurePosixPath, Traversable]]:
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        if child.name in SKIPPED or child.name.endswith(".pyc"):
            continue
        if child.is_dir():
            yield from _walk(child, path / child.name)
        else:
            yield path / child.name, child


def _target(path: PurePosixPath) -> PurePosixPath:
    return path.with_name(RENAMED.get(path.name, path.name)) if len(path.parts) == 1 else path
