"""Which projects a set of changed files belongs to (for hooks that are handed file names).

pre-commit passes the files a commit touches, and may pass any YAML file of the repository
(CI workflows, `.pre-commit-config.yaml`). Validating only those files cannot be right: a
change in one document can break another one (a renamed connection leaves its mappings in
unchanged files pointing nowhere), and cross-document checks need every document. So the
file names only choose the projects; each chosen project is then validated whole.
A file belongs to the nearest `syncspec.yaml` above it when it is that file or lies in that
project's config directory; anything else belongs to no project and is ignored.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from syncspec.spec.project import find_project, load_project


def owning_projects(paths: Iterable[Path]) -> list[Path]:
    """The project files (`syncspec.yaml`) owning any of `paths`, sorted, each once."""
    config_dirs: dict[Path, Path] = {}
    owners: set[Path] = set()
    for path in paths:
        resolved = path.resolve()
        project_file = find_project(resolved.parent)
        if project_file is None:
            continue
        project_file = project_file.resolve()
        if project_file not in config_dirs:
            config_dirs[project_file] = load_project(project_file).config_dir.resolve()
        if resolved == project_file or config_dirs[project_file] in resolved.parents:
            owners.add(project_file)
    return sorted(owners)
