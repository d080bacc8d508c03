"""`syncspec doctor`: a read-only check of a real SuperOffice tenant before the first plan."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from syncspec.model.exitcodes import ExitCode

if TYPE_CHECKING:
    import httpx


@dataclass(frozen=True)
class DoctorOptions:
    environment: str | None
    output: str
    timeout: float
    cwd: Path


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
    from syncspec.workspace.project import open_environment

    project, environment = open_environment(options.cwd, options.environment, env)
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
