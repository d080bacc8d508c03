"""How files are named in every report: relative to one base, the same in text, JSON, SARIF,
GitHub annotations and markdown, wherever the command was started.

The base is `--path-base DIR` (or `SYNCSPEC_PATH_BASE`), else the root of the git repository
holding the project (so a monorepo's `infra/crm/connections/x.yaml` is named as GitHub's
annotations and code scanning expect), else the current directory. A file outside the base
is named relative to it too (`../x.yaml`), never absolute, so one report never mixes both.

The only I/O here is looking for `.git` in the project's folder and its parents.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

PATH_BASE_VARIABLE = "SYNCSPEC_PATH_BASE"


def repository_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` holding `.git` (a folder, or a file in a worktree
    or submodule), or None outside any git repository."""
    here = Path(os.path.abspath(start))
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return None


def path_base(project_root: Path, cwd: Path, env: Mapping[str, str]) -> Path:
    """The folder every reported path is relative to (see the module docstring)."""
    explicit = env.get(PATH_BASE_VARIABLE)
    if explicit:
        return Path(os.path.abspath(Path(cwd) / explicit))
    return repository_root(project_root) or Path(os.path.abspath(cwd))


def display_path(path: Path, base: Path) -> str:
    """`path` as a report names it: POSIX-style, relative to `base` (as named, else with links
    resolved, else with `..`)."""
    absolute, root = Path(os.path.abspath(path)), Path(os.path.abspath(base))
    # os.path.realpath, not Path.resolve: a link loop is the loader's to report, not a crash here
    real, real_root = Path(os.path.realpath(absolute)), Path(os.path.realpath(root))
    for mine, theirs in ((absolute, root), (real, real_root)):
        try:
            return mine.relative_to(theirs).as_posix() or "."
        except ValueError:
            continue
    try:
        return Path(os.path.relpath(real, real_root)).as_posix()
    except ValueError:  # another drive (Windows): no relative name exists
        return absolute.as_posix()
