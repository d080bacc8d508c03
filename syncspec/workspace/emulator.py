"""`syncspec emulator`: serve an embedded tenant as SuperOffice's REST ErpSync agent."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from syncspec.model.exitcodes import ExitCode

TOKEN_ENV = "SYNCSPEC_EMULATOR_TOKEN"


@dataclass(frozen=True)
class EmulatorOptions:
    host: str
    port: int
    db: Path
    token: str | None
    latency_ms: float
    fail_rate: float
    seed: int | None
    stall_seconds: float


def read_token(token_file: Path | None, environ: Mapping[str, str]) -> str | None:
    """The token from `--token-file` (its first line), else from SYNCSPEC_EMULATOR_TOKEN, else None."""
    from syncspec.model.errors import TargetError

    if token_file is None:
        return environ.get(TOKEN_ENV) or None
    try:
        with token_file.expanduser().open("rb") as handle:
            first = handle.read(4096).split(b"\n", 1)[0]
    except OSError as exc:
        raise TargetError(f"cannot read the token file {token_file}: {exc.strerror}") from None
    try:
        token = first.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise TargetError(f"the token file {token_file} is not UTF-8 text") from None
    if not token:
        raise TargetError(f"the token file {token_file} is empty", hint="write the token on its first line")
    return token


def run_emulator_command(options: EmulatorOptions, *, out: IO[str], err: IO[str]) -> int:
    from syncspec.embedded.emulator.server import EmulatorSettings, bind_socket, run_emulator, socket_url
    from syncspec.embedded.tenant import Tenant
    from syncspec.embedded.tenant.faults import FaultPlan
    from syncspec.model.errors import TargetError

    path = options.db.expanduser()
    if not path.parent.is_dir():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise TargetError(f"cannot create the folder for {path}: {exc.strerror}") from None
    try:
        sock = bind_socket(options.host, options.port)
    except OSError as exc:
        raise TargetError(f"cannot listen on {options.host}:{options.port}: {exc.strerror}") from None
    faults = FaultPlan(fail_rate=options.fail_rate, seed=options.seed, stall_seconds=options.stall_seconds)
    settings = EmulatorSettings(token=options.token, latency_ms=options.latency_ms, faults=faults)
    _log_requests_to(err)
    try:
        with Tenant.open_or_create(path) as tenant:

            def announce() -> None:  # once it listens: the URL printed can be used at once
                out.write(f"syncspec emulator serving {path} at {socket_url(sock)}\n")
                if options.token is None:
                    out.write(f"no --token-file and no {TOKEN_ENV}: every caller is accepted\n")
                if options.host not in ("127.0.0.1", "::1", "localhost"):
                    err.write(f"warning: listening on {options.host}, not only on this machine\n")
                out.flush()

            run_emulator(tenant, sock, settings, on_listening=announce)
    finally:
        sock.close()
    out.write("emulator stopped\n")
    out.flush()
    return ExitCode.OK


def _log_requests_to(stream: IO[str]) -> None:
    # One line per request, to stderr, from the emulator's own logger only.
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    logger = logging.getLogger("syncspec.emulator")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
