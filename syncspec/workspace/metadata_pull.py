"""`syncspec metadata pull`: save the target's metadata as a snapshot, for offline validation."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from syncspec.model.exitcodes import ExitCode
from syncspec.model.paths import display_path
from syncspec.workspace.project import open_environment
from syncspec.workspace.tenant_open import open_environment_target

if TYPE_CHECKING:
    from syncspec.model.metadata import Metadata


@dataclass(frozen=True)
class PullOptions:
    environment: str | None
    out: Path | None
    cwd: Path


def run_pull(options: PullOptions, *, env: Mapping[str, str], out: IO[str], err: IO[str]) -> int:
    # imported here so `syncspec --help` pays for none of it
    from syncspec.state.files import write_private
    from syncspec.targets.snapshot import dump_snapshot, metadata_digest

    project, environment = open_environment(options.cwd, options.environment, env)
    root = Path(project.root)
    target = open_environment_target(environment, root=root, env=env, note=_note(err))
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
    since = _since_last(path, metadata)
    # owner-only (0600, new folders 0700) and atomic: a snapshot describes the tenant's setup
    write_private(path, dump_snapshot(metadata, target=identity))
    digest = metadata_digest(metadata)
    counts = [
        _count(len(metadata.connectors), "connector"),
        _count(len(metadata.connections), "connection"),
        _count(len(metadata.crm_fields), "CRM field"),
        _count(len(metadata.crm_lists), "CRM list"),
    ]
    out.write(f"Wrote {display_path(path, options.cwd)}: {', '.join(counts)}; digest {digest}\n")
    if since is not None:
        out.write(f"Since the last snapshot: {since}\n")
    return ExitCode.OK


def _since_last(path: Path, metadata: Metadata) -> str | None:
    """A one-line summary of the changes since the snapshot at `path`; None when there is none."""
    from syncspec.metadata.diff import diff_metadata, summary
    from syncspec.model.errors import TargetError
    from syncspec.targets.snapshot import read_snapshot

    if not path.is_file():
        return None
    try:
        previous = read_snapshot(path)
    except TargetError:
        return "the previous snapshot could not be read, so nothing was compared"
    return summary(diff_metadata(previous, metadata))


def _note(err: IO[str]) -> Callable[[str], None]:
    def note(message: str) -> None:
        err.write(f"note: {message}\n")

    return note


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
