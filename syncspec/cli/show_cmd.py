"""`syncspec show`: render a saved plan file."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from syncspec.model.exitcodes import ExitCode


@click.command("show")
@click.argument("plan_file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option(
    "--output", type=click.Choice(("text", "json", "markdown", "html")), default="text", show_default=True
)
@click.option("--no-color", is_flag=True, help="Never colour the output.")
def show(plan_file: Path, output: str, no_color: bool) -> int:
    """Render PLAN_FILE (written by `syncspec plan --out`) as text, JSON, markdown or HTML.

    HTML is the report page of the plan alone; `syncspec report --plan` overlays it on the
    configuration.

    Exit 1 when the file was changed after it was made (its content does not match its
    plan_id) or, with SYNCSPEC_PLAN_KEY set, when it is unsigned or signed with another key.
    """
    from syncspec.plan.planfile import read_plan
    from syncspec.plan.signing import plan_key
    from syncspec.render.plan_output import render_plan
    from syncspec.render.style import Style

    text = _plan_text(plan_file)
    key = plan_key(os.environ)
    saved = read_plan(text, key, unverified_ok=True)
    if key is None and '"signature"' in text:
        click.echo("note: the plan is signed; set SYNCSPEC_PLAN_KEY to check its signature", err=True)
    render_plan(saved, output, sys.stdout, Style.for_stream(sys.stdout, no_color=no_color))
    return ExitCode.OK


# A plan file is JSON of a few hundred KiB at most; more is not a plan file.
_MAX_PLAN_BYTES = 64 * 1024 * 1024


def _plan_text(path: Path) -> str:
    """The plan file's text; a PlanError naming the file when it is not readable UTF-8."""
    from syncspec.model.errors import PlanError
    from syncspec.spec.yamlload import Unread, read_regular

    data = read_regular(path, _MAX_PLAN_BYTES)  # a FIFO or device is refused, never read
    if isinstance(data, Unread):
        detail = data.reason if data.regular else f"{data.reason}, not a regular file"
        raise PlanError(f"cannot read the plan file {path}: {detail}")
    if len(data) > _MAX_PLAN_BYTES:
        raise PlanError(
            f"the plan file {path} is over {_MAX_PLAN_BYTES // (1024 * 1024)} MiB: not a plan file"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PlanError(
            f"the plan file {path} is not UTF-8 text (byte 0x{data[exc.start]:02X} at offset {exc.start})",
            hint="plan files are JSON written by `syncspec plan --out`; make the plan again",
        ) from None
