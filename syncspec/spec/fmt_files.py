"""File side of `fmt`: which files, reading them as UTF-8 text, writing them atomically."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import yaml

from syncspec.model.diagnostics import Diagnostic, Location, Severity

YAML_SUFFIXES = (".yaml", ".yml")
PROJECT_FILE = "syncspec.yaml"
DEFAULT_CONFIG_DIR = "connections"


def default_paths(cwd: Path) -> list[Path]:
    """The project file (if any) and every YAML file under the config directory.

    A deliberately small stand-in for project discovery: `config_dir` is read from a
    `syncspec.yaml` in `cwd` when it has one, `connections/` otherwise.
    """
    project = cwd / PROJECT_FILE
    config_dir = DEFAULT_CONFIG_DIR
    found: list[Path] = []
    if project.is_file():
        found.append(project)
        config_dir = _config_dir(project) or DEFAULT_CONFIG_DIR
    return found + yaml_files([cwd / config_dir])


def _config_dir(project: Path) -> str | None:
    try:
        data = yaml.safe_load(project.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None  # fmt reports the file's own problem when it reaches it
    value = data.get("config_dir") if isinstance(data, dict) else None
    return value if isinstance(value, str) and value else None


def yaml_files(paths: Iterable[Path]) -> list[Path]:
    """Files as given; directories expanded to their YAML files, sorted; no repeats."""
    out: dict[Path, None] = {}
    for path in paths:
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                if found.suffix in YAML_SUFFIXES and found.is_file():
                    out.setdefault(found)
        else:
            out.setdefault(path)
    return list(out)


def display_name(path: Path, cwd: Path) -> str:
    try:
        return path.resolve().relative_to(cwd.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read_text(path: Path, display: str) -> str | Diagnostic:
    """The file's text, or a located diagnostic when it cannot be read as UTF-8."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Diagnostic(Severity.ERROR, "SS100", "file not found", Location(display))
    except OSError as exc:
        return Diagnostic(Severity.ERROR, "SS100", f"cannot read file: {exc.strerror}", Location(display))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"file is not UTF-8 text (byte 0x{data[exc.start]:02X})"
        return Diagnostic(Severity.ERROR, "SS102", message, Location(display, line, column))


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` so a reader never sees half a file."""
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
