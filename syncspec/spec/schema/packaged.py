"""The packaged JSON Schemas: one per document kind, plus the umbrella that dispatches on `kind`.

The files in `schemas/` (packaged as `syncspec/_schemas`) are the user-facing contract;
this module only finds and reads them. It imports neither jsonschema nor pydantic, so
`syncspec schema` and editors' modelines cost nothing beyond reading a file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

# Project first (it lives in syncspec.yaml), then the kinds in the order a connection is built.
KINDS: tuple[str, ...] = (
    "Project",
    "Connector",
    "Connection",
    "FieldMappings",
    "ListMappings",
    "Defaults",
    "Ranking",
    "SyncPriority",
    "SyncEngine",
)

SCHEMA_BASE_URL = "https://syncspec.dev/schemas/"
UMBRELLA_NAME = "syncspec"


def schema_filename(kind: str | None) -> str:
    """`Connection` -> `Connection.schema.json`; None -> the umbrella `syncspec.schema.json`."""
    if kind is None:
        return f"{UMBRELLA_NAME}.schema.json"
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; known kinds: {', '.join(KINDS)}")
    return f"{kind}.schema.json"


def schema_text(kind: str | None) -> str:
    """The schema file's exact text (None = the umbrella schema)."""
    return (_schemas() / schema_filename(kind)).read_text(encoding="utf-8")


@cache
def _schemas() -> Traversable:
    """Where the packaged schemas are: the package's folder on disk, as a wheel or a checkout
    installs it, found without importlib.resources (which imports tempfile and shutil, a cost
    every pre-commit validate would pay); importlib.resources where the package is not plain
    files (a zip)."""
    here = Path(__file__).parents[2] / "_schemas"
    if here.is_dir():
        return here
    from importlib.resources import files

    return files("syncspec") / "_schemas"


@cache
def load_schema(kind: str | None) -> dict[str, Any]:
    """The parsed schema, read once per process. Shared: callers must not mutate it."""
    loaded: dict[str, Any] = json.loads(schema_text(kind))
    return loaded


def schema_path_hint(kind: str | None, base: str | None = None) -> str:
    """What a `# yaml-language-server: $schema=...` modeline should point at.

    Without `base`, the schema's published `$id` URL; with `base` (a directory or URL
    where `syncspec schema --out` wrote the files, relative to the YAML file), that copy.
    """
    name = schema_filename(kind)
    if base is None:
        return SCHEMA_BASE_URL + name
    return f"{base.rstrip('/')}/{name}"


def modeline(kind: str | None, base: str | None = None) -> str:
    """The YAML comment that tells editors which schema a file follows."""
    return f"# yaml-language-server: $schema={schema_path_hint(kind, base)}"


def write_schemas(directory: Path, kinds: Iterable[str | None] = (None, *KINDS)) -> list[Path]:
    """Write the schema files, byte for byte as packaged, into `directory` (created if missing)."""
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for kind in kinds:
        path = directory / schema_filename(kind)
        path.write_text(schema_text(kind), encoding="utf-8", newline="\n")
        written.append(path)
    return written
