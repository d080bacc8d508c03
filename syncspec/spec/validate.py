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
from syncspec.model.paths import path_base
from syncspec.spec.crossdoc import Variables, check_cross_documents
from syncspec.spec.loading.discover import discover_files, display_paths, path_order, resolved
from syncspec.spec.loading.documents import FileLoad, LoadedDocument
from syncspec.spec.loading.yamlload import load_file
from syncspec.spec.project import Environment, ProjectConfig, find_project, load_project, select_environment
from syncspec.spec.schema.check import check_document_precisely, check_documents

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


def project_of(paths: Sequence[Path], cwd: Path) -> Path | None:
    """The syncspec.yaml whose settings apply: the named paths' project when they lie in one
    (`syncspec validate infra/crm` from a monorepo's root), else the current directory's."""
    if paths:
        found = find_project(paths[0] if paths[0].is_dir() else paths[0].resolve().parent)
        if found is not None:
            return found
    return find_project(cwd)


def validate(
    paths: Sequence[Path],
    *,
    cwd: Path,
    environment: str | None,
    env: Mapping[str, str],
    missing_env_is_error: bool = False,
    project_file: Path | None = None,
) -> ValidationRun:
    """Validate `paths` (or, with none, the project's config directory). `project_file` names
    the project to use; by default the named paths' project, else the one above `cwd`."""
    project_file = project_file or project_of(paths, cwd)
    base = path_base(_root_of(project_file, cwd), cwd, env)  # every report names files against it
    project = load_project(project_file, root=cwd, base=base)
    paths = _without_project_root(paths, project)
    selected = select_environment(project, environment, environ=env)
    requested = discover_files(paths, project)
    context = _context_files(requested, project, explicit=bool(paths))

    names = display_paths(context, base)
    loads = [load_file(path, names[path]) for path in context]
    diagnostics = [d for load in loads for d in load.diagnostics]
    documents = [doc for load in loads for doc in load.documents]
    diagnostics.extend(check_documents(documents))

    invalid_files = _invalid_files(diagnostics)
    buildable = [doc for doc in documents if doc.origin.file not in invalid_files]
    variables = Variables(
        env=env,
        vars=selected.vars,
        environment=selected.name,
        missing_env_is_error=missing_env_is_error,
    )
    unbuilt = _unbuilt(loads, documents, invalid_files)
    diagnostics.extend(check_cross_documents(buildable, variables, unbuilt=unbuilt))
    diagnostics.extend(project.diagnostics)
    for project_doc in project.documents:
        diagnostics.extend(_project_schema(project_doc))

    shown = _shown_files([names[p] for p in requested], project_file, base)
    reported = _reported(diagnostics, shown)
    complete = not invalid_files
    return ValidationRun(
        report=Report(tuple(sorted_diagnostics(reported)), files_checked=len(requested)),
        project=project,
        environment=selected,
        reported_files=frozenset(shown),
        documents=tuple(buildable),
        complete=complete,
    )


def _without_project_root(paths: Sequence[Path], project: ProjectConfig) -> list[Path]:
    """Naming the project's own folder means the whole project, as naming nothing does."""
    return [p for p in paths if not (p.is_dir() and p.resolve() == project.root.resolve())]


def _reported(diagnostics: Sequence[Diagnostic], shown: set[str]) -> list[Diagnostic]:
    """The diagnostics of the shown files, and those that name no file."""
    return [d for d in diagnostics if d.location is None or d.location.file in shown]


def _root_of(project_file: Path | None, cwd: Path) -> Path:
    return project_file.resolve().parent if project_file is not None else cwd.resolve()


def _invalid_files(diagnostics: Sequence[Diagnostic]) -> set[str]:
    return {d.location.file for d in diagnostics if d.is_error and d.location}


def _unbuilt(
    loads: Sequence[FileLoad], documents: Sequence[LoadedDocument], invalid_files: set[str]
) -> list[LoadedDocument]:
    """Documents not built (schema-invalid, or failed to load): their names are still read."""
    unbuilt = [doc for doc in documents if doc.origin.file in invalid_files]
    unbuilt += [doc for load in loads for doc in load.broken]
    return unbuilt


def _shown_files(requested: list[str], project_file: Path | None, base: Path) -> set[str]:
    """Display names of the files whose diagnostics are reported: the named ones and the project file."""
    shown = set(requested)
    if project_file is not None:
        project_path = resolved(project_file)  # named as its diagnostics are: links resolved
        shown.add(display_paths([project_path], base)[project_path])
    return shown


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
