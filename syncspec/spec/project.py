"""The project: where syncspec.yaml is, and the environments it defines.

Only what is needed to pick an environment is checked here (with located SS218
diagnostics); the JSON Schema check of syncspec.yaml runs with the other documents.
Values stay as written: `${env:...}` in a target's settings is resolved by whoever
connects, so a secret never sits in this object.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from syncspec.model.diagnostics import Diagnostic, Severity, has_errors
from syncspec.model.errors import ConfigError, UsageError
from syncspec.model.paths import display_path
from syncspec.model.source import JsonPath, Origin
from syncspec.spec.loading.documents import LoadedDocument
from syncspec.spec.loading.yamlload import load_file

PROJECT_FILE = "syncspec.yaml"
DEFAULT_CONFIG_DIR = "connections"
DEFAULT_ENVIRONMENT = "default"
# A plan may delete at most this share of the tenant's connections (without --allow-delete-all).
DEFAULT_MAX_DELETE_PERCENT = 50
DEFAULT_LOCAL_DB = ".syncspec/tenant.db"
ENV_VARIABLE = "SYNCSPEC_ENV"


@dataclass(frozen=True)
class Environment:
    """A named tenant and the variables `${var:NAME}` resolves against.

    `target` is the target mapping as written (`type` plus that type's settings, with
    `${env:...}` unresolved); `type` is always present.
    """

    name: str
    target: Mapping[str, Any]
    vars: Mapping[str, object] = field(default_factory=dict)
    origin: Origin | None = None

    @property
    def target_type(self) -> str:
        return str(self.target["type"])


@dataclass(frozen=True)
class ProjectConfig:
    """The project as read from syncspec.yaml (or the defaults when there is none)."""

    root: Path
    config_dir: Path
    state: Mapping[str, Any]
    environments: Mapping[str, Environment]
    default_environment: str | None
    file: Path | None = None
    documents: tuple[LoadedDocument, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    max_delete_percent: int = DEFAULT_MAX_DELETE_PERCENT


def find_project(start: Path) -> Path | None:
    """The nearest syncspec.yaml in `start` or any directory above it, up to the root."""
    here = start.resolve()
    if not here.is_dir():
        here = here.parent
    for directory in (here, *here.parents):
        candidate = directory / PROJECT_FILE
        if candidate.is_file():
            return candidate
    return None


def default_project(root: Path) -> ProjectConfig:
    """A project without syncspec.yaml: one local environment named `default`."""
    target = MappingProxyType({"type": "local", "path": DEFAULT_LOCAL_DB})
    env = Environment(DEFAULT_ENVIRONMENT, target)
    return ProjectConfig(
        root=root,
        config_dir=root / DEFAULT_CONFIG_DIR,
        state=MappingProxyType({"backend": "local"}),
        environments=MappingProxyType({DEFAULT_ENVIRONMENT: env}),
        default_environment=DEFAULT_ENVIRONMENT,
    )


def load_project(path: Path | None, *, root: Path | None = None, base: Path | None = None) -> ProjectConfig:
    """Read syncspec.yaml at `path`; None gives the defaults, rooted at `root` (or the cwd).

    Its diagnostics name it relative to `base` (the path base of model/paths.py), like every
    other file in the report; without a base, as `syncspec.yaml`."""
    if path is None:
        return default_project((root or Path.cwd()).resolve())
    path = path.resolve()
    loaded = load_file(path, display=display_path(path, base) if base is not None else PROJECT_FILE)
    reader = _Reader(path.parent)
    reader.diagnostics.extend(loaded.diagnostics)
    if not loaded.ok:
        return reader.project(path, loaded.documents, None)
    if len(loaded.documents) != 1:
        origin = loaded.documents[1].origin
        reader.problem(
            origin, (), "syncspec.yaml must hold exactly one document", "remove the extra documents"
        )
        return reader.project(path, loaded.documents, None)
    return reader.project(path, loaded.documents, loaded.documents[0])


def select_environment(
    project: ProjectConfig, name: str | None = None, environ: Mapping[str, str] | None = None
) -> Environment:
    """The environment named by `name`, else by $SYNCSPEC_ENV, else the project's default."""
    if has_errors(project.diagnostics):
        raise ConfigError(
            "syncspec.yaml has problems, so no environment can be chosen safely", project.diagnostics
        )
    environ = os.environ if environ is None else environ
    chosen = name or environ.get(ENV_VARIABLE) or project.default_environment
    known = ", ".join(project.environments) or "(none)"
    if chosen is None:
        raise UsageError(
            f"several environments are defined ({known}); choose one",
            hint=f"pass -e NAME, set {ENV_VARIABLE}, or set default_environment in syncspec.yaml",
        )
    found = project.environments.get(chosen)
    if found is None:
        raise UsageError(f"unknown environment {chosen!r}; known: {known}", hint="check the spelling")
    return found


class _Reader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.diagnostics: list[Diagnostic] = []

    def problem(self, origin: Origin, path: JsonPath, message: str, hint: str) -> None:
        self.diagnostics.append(Diagnostic(Severity.ERROR, "SS218", message, origin.locate(path), hint))

    def project(
        self, file: Path, documents: tuple[LoadedDocument, ...], doc: LoadedDocument | None
    ) -> ProjectConfig:
        base = default_project(self.root)
        if doc is None:
            return _replace(base, file, documents, self.diagnostics, environments={}, default=None)
        data, origin = doc.data, doc.origin
        kind = data.get("kind", "Project")  # the kind may be left out of syncspec.yaml
        if kind != "Project":
            self.problem(
                origin,
                ("kind",),
                f"syncspec.yaml must be the project file (kind: Project), not kind {kind!r}",
                "set kind: Project, or move this document into the config directory",
            )
        config_dir = self._config_dir(data, origin)
        max_delete = self._percent(data, origin, ("max_delete_percent",), DEFAULT_MAX_DELETE_PERCENT)
        state = self._mapping(data.get("state", {"backend": "local"}), origin, ("state",))
        environments = self._environments(data, origin)
        default = data.get("default_environment")
        if default is not None and (not isinstance(default, str) or default not in environments):
            where: JsonPath = ("default_environment",)
            self.problem(origin, where, f"default_environment {default!r} is not one of the environments", "")
            default = None
        if default is None and not environments:
            environments = dict(base.environments)
        if default is None:
            default = next(iter(environments)) if len(environments) == 1 else None
        return ProjectConfig(
            root=self.root,
            config_dir=self.root / config_dir,
            state=MappingProxyType(state),
            environments=MappingProxyType(environments),
            default_environment=default,
            file=file,
            documents=documents,
            diagnostics=tuple(self.diagnostics),
            max_delete_percent=max_delete,
        )

    def _config_dir(self, data: Mapping[str, Any], origin: Origin) -> str:
        """config_dir, which must stay inside the project: a configuration read from elsewhere
        (`../../etc`, `/`) is not this project's, and planning against it may delete everything."""
        where: JsonPath = ("config_dir",)
        written = self._text(data, origin, where, DEFAULT_CONFIG_DIR)
        root = self.root.resolve()
        resolved = (root / written).resolve()
        if resolved != root and root not in resolved.parents:
            self.problem(
                origin,
                where,
                f"config_dir {written!r} is outside the project ({resolved})",
                "use a directory below the folder holding syncspec.yaml, e.g. connections",
            )
            return DEFAULT_CONFIG_DIR
        return written

    def _percent(self, data: Mapping[str, Any], origin: Origin, path: JsonPath, default: int) -> int:
        value = data.get(str(path[0]), default)
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100:
            return value
        self.problem(
            origin, path, f"{path[0]} must be a whole number from 0 to 100", f"for example: {default}"
        )
        return default

    def _environments(self, data: Mapping[str, Any], origin: Origin) -> dict[str, Environment]:
        raw = self._mapping(data.get("environments", {}), origin, ("environments",))
        found: dict[str, Environment] = {}
        for name, spec in raw.items():
            where: JsonPath = ("environments", name)
            body = self._mapping(spec if spec is not None else {}, origin, where)
            target = self._mapping(body.get("target", {"type": "local"}), origin, (*where, "target"))
            kind = target.get("type", "local")
            if not isinstance(kind, str):
                self.problem(
                    origin, (*where, "target", "type"), "target type must be text", "use local or superoffice"
                )
                continue
            variables = self._mapping(body.get("vars", {}), origin, (*where, "vars"))
            settings = MappingProxyType({**target, "type": kind})
            found[name] = Environment(name, settings, MappingProxyType(variables), origin)
        return found

    def _mapping(self, value: Any, origin: Origin, path: JsonPath) -> dict[str, Any]:
        if isinstance(value, dict):
            return value
        self.problem(
            origin, path, f"{'.'.join(map(str, path))} must be a mapping", "write it as key: value pairs"
        )
        return {}

    def _text(self, data: Mapping[str, Any], origin: Origin, path: JsonPath, default: str) -> str:
        value = data.get(str(path[0]), default)
        if isinstance(value, str) and value:
            return value
        self.problem(origin, path, f"{path[0]} must be a directory name", f"for example: {default}")
        return default


def _replace(
    base: ProjectConfig,
    file: Path,
    documents: tuple[LoadedDocument, ...],
    diagnostics: list[Diagnostic],
    *,
    environments: Mapping[str, Environment],
    default: str | None,
) -> ProjectConfig:
    return ProjectConfig(
        root=base.root,
        config_dir=base.config_dir,
        state=base.state,
        environments=MappingProxyType(dict(environments)),
        default_environment=default,
        file=file,
        documents=documents,
        diagnostics=tuple(diagnostics),
    )
