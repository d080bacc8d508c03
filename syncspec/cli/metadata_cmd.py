"""`syncspec metadata pull`: save the target's metadata for offline validation and editor schemas.
`syncspec metadata show`: print the names a configuration must spell (CRM list items and more).
`syncspec metadata diff`: what changed in the metadata, and which configuration it touches."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from syncspec.model.exitcodes import ExitCode

# the one environment these commands read (a fleet of them is plan/apply/drift's business)
ENVIRONMENT_OPTION = click.option(
    "-e",
    "--env",
    "environment",
    metavar="ENV",
    help="Environment (default: SYNCSPEC_ENV, then the project's default).",
)


@click.group("metadata")
def metadata() -> None:
    """Tenant metadata: actor types, ERP fields and lists, CRM fields and lists, users and groups."""


@metadata.command("pull")
@ENVIRONMENT_OPTION
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here instead of .syncspec/metadata/ENV.json under the project root.",
)
def pull(environment: str | None, out: Path | None) -> int:
    """Read the target's metadata and save it as a snapshot."""
    from syncspec.workspace.metadata_pull import PullOptions, run_pull

    options = PullOptions(environment=environment, out=out, cwd=Path.cwd())
    return run_pull(options, env=os.environ, out=sys.stdout, err=sys.stderr)


@metadata.command("show")
@click.argument("what", type=click.Choice(("crm-lists", "crm-fields", "erp-fields", "erp-lists")))
@click.argument("names", nargs=-1)
@ENVIRONMENT_OPTION
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
    from syncspec.workspace.metadata_source import read_metadata

    metadata, source = read_metadata(Path.cwd(), environment, os.environ, use_snapshot=use_snapshot)
    document = document_for(metadata, what, names)
    if output == "json":
        click.echo(json.dumps({"source": source, **document}, indent=2, ensure_ascii=False, sort_keys=True))
    else:
        click.echo(f"# from {source}", err=True)
        click.echo("\n".join(text_lines(document)))
    return ExitCode.OK


@metadata.command("diff")
@click.argument("snapshots", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@ENVIRONMENT_OPTION
@click.option(
    "--against",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="SNAPSHOT",
    help="Compare the live tenant with this snapshot instead of .syncspec/metadata/ENV.json.",
)
@click.option("--output", type=click.Choice(("text", "json", "markdown")), default="text", show_default=True)
@click.option("--no-config", is_flag=True, help="Only the metadata changes; do not check the configuration.")
@click.option("--detailed-exitcode", is_flag=True, help="Exit 2 when the metadata changed.")
@click.option("--no-color", is_flag=True, help="Never colour the output.")
def diff(
    snapshots: tuple[Path, ...],
    environment: str | None,
    against: Path | None,
    output: str,
    no_config: bool,
    detailed_exitcode: bool,
    no_color: bool,
) -> int:
    """Show what changed in the tenant's metadata and which configuration lines it affects.

    \b
    syncspec metadata diff                 the live tenant against the saved snapshot
    syncspec metadata diff --against OLD   the live tenant against OLD
    syncspec metadata diff A.json B.json   snapshot A against snapshot B

    Each change lists the mappings, defaults, list mappings and rankings that name it
    (file:line), the diagnostic the next `validate` raises, and the fix. Exit 0, or 2 with
    --detailed-exitcode when anything changed; 1 on error.
    """
    from syncspec.render.metadata_diff import render_metadata_diff
    from syncspec.render.style import Style
    from syncspec.workspace.metadata_diff import DiffOptions, run_diff

    options = DiffOptions(environment, against, snapshots, Path.cwd(), with_config=not no_config)
    result = run_diff(options, os.environ)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    render_metadata_diff(result.diff, output, sys.stdout, Style.for_stream(sys.stdout, no_color=no_color))
    if detailed_exitcode and result.diff.impacts:
        return ExitCode.CHANGES
    return ExitCode.OK
