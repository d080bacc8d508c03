"""`syncspec schema [KIND] [--env ENV] [--out DIR]`: print or export the JSON Schemas of the file kinds.

With `--env`, the schemas are specialised to that environment's metadata (the live
tenant when reachable, else its snapshot from `syncspec metadata pull`), so editors
complete the tenant's real field, list and config names.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import click

from syncspec.spec.schema.packaged import KINDS, schema_text, write_schemas


def resolve_kind(name: str | None) -> str | None:
    """The kind named on the command line (any letter case); None for the umbrella schema."""
    if name is None:
        return None
    by_lower = {kind.lower(): kind for kind in KINDS}
    kind = by_lower.get(name.lower())
    if kind is None:
        raise click.UsageError(f"unknown kind {name!r}; choose one of: {', '.join(KINDS)}")
    return kind


@click.command("schema")
@click.argument("kind", required=False, metavar="[KIND]")
@click.option(
    "-e",
    "--env",
    "environment",
    metavar="ENV",
    help="Specialise the schemas to this environment's metadata (live tenant, else its snapshot).",
)
@click.option(
    "--out",
    "out_dir",
    metavar="DIR",
    type=click.Path(file_okay=False, dir_okay=True, writable=True, path_type=Path),
    help="Write the schema files into DIR (all of them, or only KIND's) instead of printing.",
)
def schema(kind: str | None, environment: str | None, out_dir: Path | None) -> None:
    """Print the JSON Schema of KIND, or the umbrella schema that covers every kind.

    KIND is one of: Project, Connector, Connection, FieldMappings, ListMappings,
    Defaults, Ranking, SyncPriority, SyncEngine. Editors pick a schema up from a modeline such as
    `# yaml-language-server: $schema=schemas/Connection.schema.json`.

    With --env ENV the schemas enumerate that environment's real ERP field keys, CRM
    fields, list items, config fields and connection names.
    """
    chosen = resolve_kind(kind)
    kinds = (None, *KINDS) if chosen is None else (chosen,)
    if environment is None:
        if out_dir is None:
            click.echo(schema_text(chosen), nl=False)
            return
        _write(out_dir, lambda: write_schemas(out_dir, kinds))
        return
    from syncspec.workspace.metadata_source import environment_metadata
    from syncspec.workspace.schemas import specialised_texts, write_texts

    metadata, source = environment_metadata(Path.cwd(), environment, os.environ)
    click.echo(f"note: schemas specialised to {source}", err=True)
    texts = specialised_texts(kinds if out_dir is not None else (chosen,), metadata, environment)
    if out_dir is None:
        click.echo(texts[chosen], nl=False)
        return
    _write(out_dir, lambda: write_texts(out_dir, texts))


def _write(out_dir: Path, write: Callable[[], list[Path]]) -> None:
    try:
        written = write()
    except OSError as exc:
        raise click.ClickException(f"cannot write schemas to {out_dir}: {exc.strerror or exc}") from exc
    click.echo(f"wrote {len(written)} schema file(s) to {out_dir}", err=True)
