"""The validate pipeline: discover, load, schema-check, build, cross-check; returns a Report.

Cross-document checks always see the whole configuration directory, even when only
some files are named (pre-commit passes just the changed ones); diagnostics are then
reported for the named files only, so a reference to a connection defined in an
unchanged file is not mistaken for an error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from syncspec.model.diagnostics import Diagnostic, Report, sorted_diagnostics
from syncspec.spec.crossdoc import Variables, check_cross_documents
from syncspec.spec.discover import discover_files, path_order
from syncspec.spec.documents import LoadedDocument
from syncspec.spec.project import Environment, ProjectConfig, find_project, load_project, select_environment
from syncspec.spec.schema_check import check_document_precisely, check_documents
from syncspec.spec.yamlload import load_file

if TYPE_CHECKING:
    from syncspec.model.desired import DesiredState


@dataclass(frozen=True)
class ValidationRun:
    report: Report
    project: ProjectConfig
    environment: Environment
    reported_files: frozenset[str] = frozenset()  # display paths whose diagnostics are shown
    documents: tuple[LoadedDocument, ...] = ()  # every schema-valid document, when all files are usable
    complete: bool = False  # False when a file could not be read or a document is schema-invalid

    @cached_property
    def desired(self) -> DesiredState | None:
        """The models, built on first use: rules and the planner need them, a plain validate does not."""
        if not self.complete:
            return None
        from syncspec.spec.build import build_state

        return build_state(self.documents)


def display_path(path: Path, cwd: Path) -> str:
    try:
        return path.resolve().relative_to(cwd.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _display_names(paths: Sequence[Path], cwd: Path) -> dict[Path, str]:
    """display_path for many already-resolved paths: resolving each again costs a syscall per part."""
    root = cwd.resolve()
    names = {}
    for path in paths:
        try:
            names[path] = path.relative_to(root).as_posix()
        except ValueError:
            names[path] = path.as_posix()
    return names


def validate(
    paths: Sequence[Path],
    *,
    cwd: Path,
    environment: str | None,
    env: Mapping[str, str],
    missing_env_is_error: bool = False,
) -> ValidationRun:
    project_file = find_project(cwd)
    if project_file is None and paths:
        # Validating files of another project from outside it: use that project's settings.
        project_file = find_project(paths[0].resolve().parent)
    project = load_project(project_file, root=cwd)
    selected = select_environment(project, environment, environ=env)
    requested = discover_files(paths, project)
    context = _context_files(requested, project, explicit=bool(paths))

    names = _display_names(context, cwd)
    loads = [load_file(path, names[path]) for path in context]
    diagnostics: list[Diagnostic] = []
    for load in loads:
        diagnostics.extend(load.diagnostics)
    documents = [doc for load in loads for doc in load.documents]
    schema_diagnostics = check_documents(documents)
    diagnostics.extend(schema_diagnostics)

    invalid_files = {d.location.file for d in diagnostics if d.is_error and d.location}
    buildable = [doc for doc in documents if doc.origin.file not in invalid_files]
    variables = Variables(
        env=env,
        vars=selected.vars,
        environment=selected.name,
        missing_env_is_error=missing_env_is_error,
    )
    unbuilt = [doc for doc in documents if doc.origin.file in invalid_files]
    unbuilt += [doc for load in loads for doc in load.broken]  # failed to load, names still read
    diagnostics.extend(check_cross_documents(buildable, variables, unbuilt=unbuilt))
    diagnostics.extend(project.diagnostics)
    for project_doc in project.documents:
        diagnostics.extend(_project_schema(project_doc))

    shown = {names[p] for p in requested}
    if project_file is not None:
        shown.add(display_path(project_file, cwd))
    reported = [d for d in diagnostics if d.location is None or d.location.file in shown]
    complete = not invalid_files
    return ValidationRun(
        report=Report(tuple(sorted_diagnostics(reported)), files_checked=len(requested)),
        project=project,
        environment=selected,
        reported_files=frozenset(shown),
        documents=tuple(buildable),
        complete=complete,
    )


def _context_files(requested: list[Path], project: ProjectConfig, *, explicit: bool) -> list[Path]:
    """The named files plus, when they live in the config directory, the rest of it."""
    if not explicit:
        return requested
    config_dir = project.config_dir.resolve()
    if not all(config_dir in p.parents for p in requested):  # discover_files resolved them
        return requested
    everything = discover_files([], project)
    return sorted(set(everything) | set(requested), key=path_order)


def _project_schema(doc: LoadedDocument) -> list[Diagnostic]:
    data = doc.data
    if isinstance(data, dict) and "kind" not in data:
        # syncspec.yaml may omit `kind: Project`; check it as if it said so.
        doc = LoadedDocument({"kind": "Project", **data}, doc.origin)
    return check_document_precisely(doc) if not _fast_valid(doc) else []


def _fast_valid(doc: LoadedDocument) -> bool:
    return not check_documents([doc])
