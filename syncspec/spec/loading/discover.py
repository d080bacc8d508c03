"""Which YAML files make up the desired state."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from syncspec.model.errors import ConfigError, UsageError
from syncspec.model.paths import display_path
from syncspec.spec.project import ProjectConfig

YAML_SUFFIXES = (".yaml", ".yml")


def path_order(path: Path) -> tuple[str, ...]:
    """The sort key of a file: its parts, so files sort as `Path` objects do, but fast."""
    return path.parts


def discover_files(paths: Sequence[Path], project: ProjectConfig) -> list[Path]:
    """Sorted, de-duplicated YAML files named by `paths` (files or directories).

    With no paths, every YAML file below the project's config directory. Directories are
    searched recursively, skipping hidden entries (which covers `.syncspec/` and `.git/`);
    a file named explicitly is always taken. A path that does not exist is a UsageError;
    finding no file at all is a ConfigError: an empty configuration would plan deleting
    everything the tenant has.

    Entries that are not regular files (a FIFO or device named `*.yaml`, a symbolic link
    that loops) are still listed: the loader reports each one at its name and never reads
    it (`yamlload.read_regular`), rather than discovery dropping it without a word.
    """
    project_file = project.file.resolve() if project.file is not None else None
    given_none = not paths
    if not paths:
        if not project.config_dir.is_dir():
            raise UsageError(
                f"config directory {project.config_dir} does not exist",
                hint="create it, set config_dir in syncspec.yaml, or name the files to use",
            )
        paths = [project.config_dir]
    found: set[Path] = set()
    for given in paths:
        if given.is_dir():
            found.update(p for p in _yaml_below(resolved(given)) if p != project_file)
        elif os.path.lexists(given):  # a file, or something the loader will name and skip
            found.add(resolved(given))
        else:
            raise UsageError(f"{given}: no such file or directory")
    if not found:
        where = project.config_dir if given_none else ", ".join(map(str, paths))
        raise ConfigError(
            f"no configuration files: no YAML file in {where}",
            hint="check config_dir in syncspec.yaml (or the paths given); 'syncspec init' writes an example",
        )
    # by parts, the order Path itself sorts in, compared as plain strings: PurePath.__lt__
    # in Python was most of the sorting time for a large tree
    return sorted(found, key=path_order)


def resolved(path: Path) -> Path:
    """`path` made absolute with symbolic links resolved as far as they go.

    Unlike `Path.resolve` (Python 3.11) it does not raise on a link loop, which is the
    loader's to report.
    """
    return Path(os.path.realpath(path))


def display_paths(paths: Sequence[Path], base: Path) -> dict[Path, str]:
    """`display_path` of many paths already resolved: resolving each again would cost a
    system call per path part, and a resolved path lies below `base` only with links resolved."""
    root = resolved(base)
    names = {}
    for path in paths:
        try:
            names[path] = path.relative_to(root).as_posix()
        except ValueError:
            names[path] = display_path(path, base)  # outside the base: `../`, never absolute
    return names


def _yaml_below(top: Path) -> Iterator[Path]:
    for directory, subdirs, files in os.walk(top):
        subdirs[:] = [d for d in subdirs if not d.startswith(".")]  # pruned in place: not descended
        base = Path(directory)
        for name in files:
            if not name.startswith(".") and name.endswith(YAML_SUFFIXES):
                yield base / name
