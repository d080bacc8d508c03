"""`syncspec schema [KIND] [--out DIR]`: print or export the JSON Schemas of the file kinds."""

from __future__ import annotations

from pathlib import Path

import click

from syncspec.spec.schemas import KINDS, schema_text, write_schemas


def resolve_kind(name: str | None) -> str | None:
    """The kind named on the command line (any letter case); None for the umbrella schema."""
    if name is None:
        return None
    by_lower = {kind.lower(): kind for kind in KINDS}
    kind = by_lower.get(name.lower())
    if kind is None:
        raise click.UsageError(f"unknown kind {name!r}; choose one of: {', '.join(KINDS)}")
    return kind


# `--env ENV` (enums of an environment's real field and list names) is planned; it will
# join here and feed the same two outputs.
@click.command("schema")
@click.argument("kind", required=False, metavar="[KIND]")
@click.option(
    "--out",
    "out_dir",
    metavar="DIR",
    type=click.Path(file_okay=False, dir_okay=True, writable=True, path_type=Path),
    help="Write the schema files into DIR (all of them, or only KIND's) instead of printing.",
)
def schema(kind: str | None, out_dir: Path | None) -> None:
    """Print the JSON Schema of KIND, or the umbrella schema that covers every kind.

    KIND is one of: Project, Connector, Connection, FieldMappings, ListMappings,
    Defaults, Ranking, SyncPriority. Editors pick a schema up from a modeline such as
    `# yaml-language-server: $schema=schemas/Connection.schema.json`.
    """
    chosen = resolve_kind(kind)
    if out_dir is None:
        click.echo(schema_text(chosen), nl=False)
        return
    kinds = (None, *KINDS) if chosen is None else (chosen,)
    try:
        written = write_schemas(out_dir, kinds)
    except OSError as exc:
        raise click.ClickException(f"cannot write schemas to {out_dir}: {exc.strerror or exc}") from exc
    click.echo(f"wrote {len(written)} schema file(s) to {out_dir}", err=True)
