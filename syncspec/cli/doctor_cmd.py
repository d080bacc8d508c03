"""`syncspec doctor`: a read-only check of a real SuperOffice tenant before the first plan."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from syncspec.workspace.doctor import DoctorOptions, run_doctor_command


@click.command("doctor")
@click.option(
    "-e",
    "--env",
    "environment",
    metavar="ENV",
    help="Environment (default: SYNCSPEC_ENV, then the project's default).",
)
@click.option("--output", type=click.Choice(("text", "json")), default="text", show_default=True)
@click.option(
    "--timeout",
    type=click.FloatRange(0.5, 300),
    default=20.0,
    show_default=True,
    help="Seconds to wait for each answer.",
)
def doctor(environment: str | None, output: str, timeout: float) -> int:
    """Check a SuperOffice tenant for syncspec, sending only documented reads.

    Reports reachability and authentication, the ErpSync agent's availability, every
    endpoint syncspec needs and the shape of its answers, the field types and value
    encodings in the tenant's data, and the questions only a write could settle.
    Exit 0 when everything syncspec needs is there, 1 otherwise, 64 for a usage error
    (including an environment whose target is not a SuperOffice tenant).
    """
    options = DoctorOptions(environment=environment, output=output, timeout=timeout, cwd=Path.cwd())
    return run_doctor_command(options, env=os.environ, out=sys.stdout)
