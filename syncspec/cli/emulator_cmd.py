"""`syncspec emulator`: serve an embedded tenant as SuperOffice's REST ErpSync agent."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from syncspec.workspace.emulator import TOKEN_ENV, EmulatorOptions, read_token, run_emulator_command


@click.command("emulator")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback by default).")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=0, show_default=True, help="0 picks a free port."
)
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path(".syncspec/emulator.db"),
    show_default=True,
    help="Tenant file to serve (created with the standard CRM catalogue when missing).",
)
@click.option(
    "--token-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=f"Require the token in this file's first line (Bearer or SOTicket); or set {TOKEN_ENV}. "
    "Without either any caller is accepted. There is no --token: a command line is visible to "
    "every user of the machine (ps).",
)
@click.option("--latency-ms", type=click.FloatRange(0, 60_000), default=0, help="Delay every request.")
@click.option(
    "--fail-rate",
    type=click.FloatRange(0, 1),
    default=0,
    help="Probability that a request fails (503 before, 500 after commit, dropped, stalled).",
)
@click.option("--seed", type=int, default=None, help="Seed for the fault RNG (repeatable runs).")
@click.option(
    "--stall-seconds",
    type=click.FloatRange(0, 3600),
    default=35,
    show_default=True,
    help="How long a stalled answer waits (longer than the client's read timeout).",
)
def emulator(
    host: str,
    port: int,
    db: Path,
    token_file: Path | None,
    latency_ms: float,
    fail_rate: float,
    seed: int | None,
    stall_seconds: float,
) -> int:
    """Serve a tenant file at http://HOST:PORT/api/v1/Agents/ErpSync/<Method> until Ctrl-C or SIGTERM."""
    token = read_token(token_file, os.environ)
    options = EmulatorOptions(host, port, db, token, latency_ms, fail_rate, seed, stall_seconds)
    return run_emulator_command(options, out=sys.stdout, err=sys.stderr)
