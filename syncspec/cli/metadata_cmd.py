"""`syncspec metadata pull`: save the target's metadata for offline validation and editor schemas.
`syncspec metadata show`: print the names a configuration must spell (CRM list items and more)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

import click

from syncspec.model.exitcodes import ExitCode

if TYPE_CHECKING:
    from syncspec.model.metadata import Metadata
    from syncspec.targets.agent import TenantApi


@dataclass(frozen=True)
class PullOptions:
    environment: str | None
    out: Path | None
    cwd: Path


@click.group("metadata")
def metadata() -> None:
    """Tenant metadata: actor types, ERP fields and lists, CRM fields and lists, users and groups."""


@metadata.command("pull")
@click.option(
    "-e",
    "--env",
    "environment",
    metavar="ENV",
    help="Environment (default: SYNCSPEC_ENV, then the project's default).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here instead of .syncspec/metadata/ENV.json under the project root.",
)
def pull(environment: str | None, out: Path | None) -> int:
    """Read the target's metadata and save it as a snapshot."""
    options = PullOptions(environment=environment, out=out, cwd=Path.cwd())
    return run_pull(options, env=os.environ, out=sys.stdout, err=sys.stderr)


@metadata.command("show")
@click.argument("what", type=click.Choice(("crm-lists", "crm-fields", "erp-fields", "erp-lists")))
@click.argument("names", nargs=-1)
@click.option(
    "-e",
    "--env",
    "environment",
    metavar="ENV",
    help="Environment (default: SYNCSPEC_ENV, then the project's default).",
)
@click.option("--snapshot", "use_snapshot", is_flag=True, help="Read the saved snapshot, not the tenant.")
@click.option("--output", type=click.Choice(("text", "json")), default="text", show_default=True)
def show(what: str, names: tuple[str, ...], environment: str | None, use_snapshot: bool, output: str) -> int:
    """Print tenant metadata: the names a configuration must spell exactly.

    \b
    syncspec metadata show crm-lists [LIST...]           CRM list items (id and name) for ListMappings
    syncspec metadata show crm-fields                    CRM field keys for `crm:`
    syncspec metadata show erp-fields CONNECTION [ACTOR...]  ERP field keys, types, access, lists
    syncspec metadata show erp-lists CONNECTION [LIST...]    ERP list items (key and name)

    Reads the tenant when it can be reached (a local tenant only when its file exists), else
    the snapshot `syncspec metadata pull` saved; `--snapshot` always reads the snapshot.
    """
    import json

    from syncspec.render.metadata_show import show as document_for
    from syncspec.render.metadata_show import text_lines

    metadata, source = read_metadata(Path.cwd(), environment, os.environ, use_snapshot=use_snapshot)
    document = document_for(metadata, what, names)
    if output == "json":
        click.echo(json.dumps({"source": source, **document}, indent=2, ensure_ascii=False, sort_keys=True))
    else:
        click.echo(f"# from {source}", err=True)
        click.echo("\n".join(text_lines(document)))
    return ExitCode.OK


def read_metadata(
    cwd: Path, environment: str | None, env: Mapping[str, str], *, use_snapshot: bool
) -> tuple[Metadata, str]:
    """The environment's metadata and where it came from ("live" or the snapshot's path)."""
    from syncspec.model.errors import UsageError
    from syncspec.spec.project import find_project, load_project, select_environment
    from syncspec.targets.factory import open_target
    from syncspec.targets.snapshot import read_snapshot
    from syncspec.workspace.metadata_source import _target_may_answer as target_may_answer  # validate's rule
    from syncspec.workspace.metadata_source import snapshot_path

    project = load_project(find_project(cwd), root=cwd)
    selected = select_environment(project, environment, env)
    root = Path(project.root)
    if not use_snapshot and target_may_answer(selected.target, root):
        target = open_target(selected, root=root, env=env, open_local=open_local_tenant)
        try:
            return target.read_metadata(), "live"
        finally:
            target.close()
    snapshot = snapshot_path(root, selected.name)
    if not snapshot.is_file():
        raise UsageError(
            f"no metadata snapshot for environment {selected.name!r} ({_shown(snapshot, cwd)})"
            + ("" if use_snapshot else ", and its tenant cannot be reached"),
            hint="run 'syncspec metadata pull' to save one",
        )
    return read_snapshot(snapshot), _shown(snapshot, cwd)


def run_pull(options: PullOptions, *, env: Mapping[str, str], out: IO[str], err: IO[str]) -> int:
    # imported here so `syncspec --help` pays for none of it
    from syncspec.spec.project import find_project, load_project, select_environment
    from syncspec.state.files import write_private
    from syncspec.targets.factory import open_target
    from syncspec.targets.snapshot import dump_snapshot, metadata_digest

    project = load_project(find_project(options.cwd), root=options.cwd)
    environment = select_environment(project, options.environment, env)
    root = Path(project.root)
    target = open_target(environment, root=root, env=env, open_local=open_local_tenant, note=_note(err))
    try:
        metadata = target.read_metadata()
        identity = target.identity()
    finally:
        target.close()
    path = (
        options.out
        if options.out is not None
        else root / ".syncspec" / "metadata" / f"{environment.name}.json"
    )
    if not path.is_absolute():
        path = options.cwd / path
    # owner-only (0600, new folders 0700) and atomic: a snapshot describes the tenant's setup
    write_private(path, dump_snapshot(metadata, target=identity))
    digest = metadata_digest(metadata)
    counts = [
        _count(len(metadata.connectors), "connector"),
        _count(len(metadata.connections), "connection"),
        _count(len(metadata.crm_fields), "CRM field"),
        _count(len(metadata.crm_lists), "CRM list"),
    ]
    out.write(f"Wrote {_shown(path, options.cwd)}: {', '.join(counts)}; digest {digest}\n")
    return ExitCode.OK


def open_local_tenant(path: Path) -> tuple[TenantApi, Callable[[], None]]:
    """The embedded tenant in `path` (created and seeded when missing) and how to close it."""
    from syncspec.tenant import InProcessAgent, Tenant

    tenant = Tenant.open_or_create(path)
    return InProcessAgent(tenant), tenant.close


def _note(err: IO[str]) -> Callable[[str], None]:
    def note(message: str) -> None:
        err.write(f"note: {message}\n")

    return note


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _shown(path: Path, cwd: Path) -> str:
    try:
        return str(path.relative_to(cwd))
    except ValueError:
        return str(path)
