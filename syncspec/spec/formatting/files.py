"""File side of `fmt`: which files, reading them as UTF-8 text, writing them atomically.

Files are read the way validate reads them (`yamlload.read_regular`): never past the
size limit, and a FIFO, device or socket named `*.yaml` is skipped with a note instead of
blocking or filling memory.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from syncspec.model.diagnostics import Diagnostic, Location, Severity
from syncspec.model.files import write_atomic as write_file_atomic
from syncspec.spec.loading.discover import resolved
from syncspec.spec.loading.limits import DEFAULT_LIMITS, LoadLimits
from syncspec.spec.loading.yamlload import Unread, read_regular, skipped_note, too_large

YAML_SUFFIXES = (".yaml", ".yml")


def default_paths(cwd: Path) -> list[Path]:
    """The project file (if any) and every YAML file of the project's config directory.

    The same discovery validate uses (`spec/project.py`, `spec/discover.py`): the project is
    found by walking up from `cwd`; an unreadable `syncspec.yaml` still yields the default
    config directory, and fmt reports the file's own problem when it reaches it.
    """
    from syncspec.spec.loading.discover import discover_files
    from syncspec.spec.project import find_project, load_project

    project_file = find_project(cwd)
    project = load_project(project_file, root=cwd)
    if not project.config_dir.is_dir():
        return [project_file] if project_file else []
    return ([project_file] if project_file else []) + discover_files([], project)


def yaml_files(paths: Iterable[Path]) -> list[Path]:
    """Files as given; directories expanded to their YAML files, sorted; no repeats.

    Non-regular entries named `*.yaml` are kept so that reading them reports them.
    """
    out: dict[Path, None] = {}
    for path in paths:
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                if found.suffix in YAML_SUFFIXES and not found.is_dir():
                    out.setdefault(found)
        else:
            out.setdefault(path)
    return list(out)


def read_text(path: Path, display: str, *, limits: LoadLimits = DEFAULT_LIMITS) -> str | Diagnostic:
    """The file's text, or a located diagnostic when it cannot be read as UTF-8.

    The diagnostic is an INFO note (not an error) for a file skipped as not regular.
    """
    data = read_regular(path, limits.max_bytes)
    if isinstance(data, Unread):
        if not data.regular:
            return skipped_note(display, data)
        reason = "file not found" if not os.path.lexists(path) else data.reason
        return Diagnostic(Severity.ERROR, "SS100", reason, Location(display))
    if len(data) > limits.max_bytes:
        return too_large(display, limits)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"file is not UTF-8 text (byte 0x{data[exc.start]:02X})"
        return Diagnostic(Severity.ERROR, "SS102", message, Location(display, line, column))


def write_atomic(path: Path, text: str) -> None:
    """Replace the YAML file `path` with `text` so a reader never sees half a file.

    A symbolic link is followed: the file it points to is replaced, and the link stays.
    """
    write_file_atomic(resolved(path), text)
