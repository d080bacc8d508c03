"""`syncspec report`: validate, gather metadata (and a saved plan), and build the HTML page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from syncspec.model.metadata import Metadata
    from syncspec.plan.model import Plan


@dataclass(frozen=True)
class ReportOptions:
    cwd: Path
    environment: str | None = None
    plan_file: Path | None = None
    offline: bool = False  # the metadata snapshot only, never the tenant
    commit: str | None = None  # None: the CI system's variable, if any


@dataclass(frozen=True)
class ReportPage:
    html: str
    notes: tuple[str, ...]
    errors: int  # configuration errors shown on the page


def build_report(options: ReportOptions, env: Mapping[str, str]) -> ReportPage:
    from syncspec.model.diagnostics import sorted_diagnostics
    from syncspec.render.report import ReportInput, render_report_html
    from syncspec.spec.validate import validate as run_validation
    from syncspec.workspace.validation import semantic_check

    run = run_validation([], cwd=options.cwd, environment=options.environment, env=env)
    semantic = semantic_check(run, offline=options.offline, env=env)
    diagnostics = tuple(sorted_diagnostics([*run.report.diagnostics, *semantic.diagnostics]))
    notes = [*run.report.notes, *semantic.notes]
    metadata, note = _metadata(options, env)
    notes += [note] if note else []
    given = ReportInput(
        desired=run.desired,
        metadata=metadata,
        diagnostics=diagnostics,
        environment=run.environment.name,
        commit=options.commit if options.commit is not None else _commit(env),
    )
    if options.plan_file is not None:
        saved = _saved_plan(options.plan_file, env)
        if saved.environment != run.environment.name:
            notes.append(
                f"the plan is of environment {saved.environment!r}, the configuration's of "
                f"{run.environment.name!r} (-e selects it)"
            )
        given = replace(given, plan=saved)
    errors = sum(1 for d in diagnostics if d.is_error)
    return ReportPage(render_report_html(given), tuple(notes), errors)


def _metadata(options: ReportOptions, env: Mapping[str, str]) -> tuple[Metadata | None, str]:
    from syncspec.model.errors import SyncspecError
    from syncspec.workspace.metadata_source import read_metadata

    try:
        metadata, _ = read_metadata(options.cwd, options.environment, env, use_snapshot=options.offline)
    except SyncspecError as exc:
        return None, f"report without tenant metadata ({exc.message})"
    return metadata, ""


def _saved_plan(path: Path, env: Mapping[str, str]) -> Plan:
    from syncspec.plan.planfile import read_plan
    from syncspec.plan.signing import plan_key
    from syncspec.workspace.saved_plan import plan_text

    return read_plan(plan_text(path), plan_key(env), unverified_ok=True)


def _commit(env: Mapping[str, str]) -> str:
    # CI systems name the commit they build; outside CI the header says "unknown".
    for name in ("GITHUB_SHA", "CI_COMMIT_SHA", "BUILD_SOURCEVERSION", "SYNCSPEC_COMMIT"):
        if env.get(name):
            return env[name]
    return ""
