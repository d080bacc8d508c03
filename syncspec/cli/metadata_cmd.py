"""`syncspec metadata pull`: save the target's metadata for offline validation and editor schemas."""

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
