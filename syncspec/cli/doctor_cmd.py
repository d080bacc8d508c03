"""`syncspec doctor`: a read-only check of a real SuperOffice tenant before the first plan."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

import click

from syncspec.model.exitcodes import ExitCode

if TYPE_CHECKING:
    import httpx


@dataclass(frozen=True)
class DoctorOptions:
    environment: str | None
    output: str
    timeout: float
    cwd: Path


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


def run_doctor_command(
    options: DoctorOptions,
    *,
    env: Mapping[str, str],
    out: IO[str],
    transport: httpx.BaseTransport | None = None,
) -> int:
    """Open the environment's tenant, run the checks, write the report; the exit code.

    `transport` replaces the network (tests give an httpx.MockTransport)."""
    # imported here so `syncspec --help` pays for none of it
    from syncspec.doctor.probe import Probe
    from syncspec.doctor.render import render_json, render_text
    from syncspec.doctor.run import run_doctor
    from syncspec.doctor.settings import probe_settings
    from syncspec.spec.project import find_project, load_project, select_environment

    project = load_project(find_project(options.cwd), root=options.cwd)
    environment = select_environment(project, options.environment, env)
    settings = probe_settings(
        environment.target,
        environment=environment.name,
        env=env,
        vars=environment.vars,
        root=Path(project.root),
        read_timeout=options.timeout,
    )
    with Probe(settings, transport=transport) as probe:
        report = run_doctor(
            probe.send,
            environment=environment.name,
            target=probe.target,
            has_token=settings.token is not None,
        )
    out.write(render_json(report) if options.output == "json" else render_text(report))
    return ExitCode.OK if report.ok else ExitCode.ERROR
