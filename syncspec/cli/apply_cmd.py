"""`syncspec apply`: apply a saved plan exactly, or plan, show, ask and apply."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from syncspec.cli.fleet import environment_options
from syncspec.cli.lock_timeout import LOCK_TIMEOUT
from syncspec.cli.plan_cmd import plan_request, shaping_options
from syncspec.model.exitcodes import ExitCode

if TYPE_CHECKING:
    from syncspec.cli.session import PlanRequest, Session
    from syncspec.model.desired import DesiredState

OUTPUTS = ("text", "json")


@click.command("apply")
@click.argument("planfile", required=False, type=click.Path(path_type=Path, dir_okay=False))
@environment_options(parallelism=False)
@click.option(
    "--auto-approve", is_flag=True, help="Apply without asking (required when stdin is no terminal)."
)
@click.option(
    "--parallelism",
    type=click.IntRange(1, 64),
    default=4,
    show_default=True,
    help="Connections at once (with several environments: environments at once).",
)
@click.option(
    "--lock-timeout",
    type=LOCK_TIMEOUT,
    default=0.0,
    show_default=True,
    metavar="SECONDS",
    help="How long to wait for another apply's lock.",
)
@click.option("--output", type=click.Choice(OUTPUTS), default="text", show_default=True)
@shaping_options("Apply")
@click.option("--no-color", is_flag=True, help="Never colour the output.")
def apply(
    planfile: Path | None,
    environments: tuple[str, ...],
    all_environments: bool,
    fail_fast: bool,
    auto_approve: bool,
    parallelism: int,
    lock_timeout: float,
    output: str,
    no_color: bool,
    **shaping: Any,
) -> int:
    """Make the tenant match the configuration (or apply exactly PLANFILE).

    Exit 0 (applied, or nothing to do), 1 (refused: stale, expired, edited or wrongly signed
    plan, too many deletes, lock held, not approved; or failed / not converged), 130
    (interrupted; written changes restored).
    With several environments (--auto-approve required): 1 when any failed.
    """
    from syncspec.cli.fleet import select, single
    from syncspec.cli.session import PlanRequest, Session
    from syncspec.model.errors import UsageError

    request = plan_request(**shaping)
    selected = select(environments, all_environments)
    if selected is not None and len(selected) > 1:
        if planfile is not None:
            raise UsageError("a saved plan belongs to one environment; select one environment to apply it")
        if not auto_approve:
            raise UsageError(
                f"applying {len(selected)} environments at once needs --auto-approve",
                hint="review them first with 'syncspec plan' and the same -e patterns",
            )
        return _fleet(selected, output, request, lock_timeout, parallelism, fail_fast, no_color)
    environment = single(environments, selected)

    if planfile is not None and request != PlanRequest():
        raise UsageError(
            "--only, --allow-delete, --allow-delete-all, --max-delete-percent and --resend-secrets "
            "shape a new plan; a saved plan is applied as it is"
        )
    with Session(Path.cwd(), dict(os.environ), environment, notes=sys.stderr) as session:
        plan = _read_plan_file(planfile) if planfile is not None else session.make_plan(request)
        if not plan.steps and output == "text":
            click.echo("No changes. The tenant already matches the configuration; nothing was written.")
            return ExitCode.OK
        # JSON output stays one object per line: a plan without steps goes through the
        # applier too, which writes nothing and reports one `apply_done` (noop) object.
        if planfile is None and plan.steps:
            _show(plan, output, no_color)
            if not auto_approve and not _approved():
                return ExitCode.ERROR
        code = _apply(session, plan, parallelism, lock_timeout, output, follow_up=planfile is None)
    if code == ExitCode.OK and planfile is not None and any(c.known_after_create for c in plan.changes):
        click.echo(
            "note: this plan created connections whose fields were discovered on create; "
            "run 'syncspec plan' and apply again for their field-level changes.",
            err=True,
        )
    return code


def _read_plan_file(path: Path) -> Any:
    from syncspec.model.errors import UsageError
    from syncspec.plan.planfile import read_plan
    from syncspec.plan.signing import plan_key

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the plan file {path}: {exc}") from None
    return read_plan(text, plan_key(os.environ))


def _show(plan: Any, output: str, no_color: bool) -> None:
    from syncspec.render.plan_text import render_plan_text
    from syncspec.render.style import Style

    if output == "text":
        render_plan_text(plan, sys.stdout, Style.for_stream(sys.stdout, no_color=no_color))
        sys.stdout.flush()


def _approved() -> bool:
    if not sys.stdin.isatty():
        click.echo(
            "Error: not applying: stdin is not a terminal, so nobody can approve the plan.\n"
            "  hint: review it with 'syncspec plan' and pass --auto-approve, or apply a saved plan file.",
            err=True,
        )
        return False
    answer = click.prompt("Apply these changes? Only 'yes' is accepted", default="", show_default=False)
    if answer.strip() != "yes":
        click.echo("Apply cancelled; nothing was written.", err=True)
        return False
    return True


def secret_resolver(session: Session, desired: DesiredState) -> Callable[[str, str], str]:
    """(connection, key) -> the value the configuration gives, as SuperOffice stores it for the
    field's type (`[I:30]` for an Integer field), resolved when asked."""
    from syncspec.model.errors import ApplyError
    from syncspec.plan.normalize import value_text

    resolved: Mapping[str, Mapping[str, Any]] = session.resolved_config(desired)
    # Read now, while the session is open (the plan usually read it already). A connector
    # this apply creates has no types yet: its values go as resolved, which text fields take.
    connectors = session.metadata().connectors

    def field_type(connection: str, key: str) -> Any:
        wanted = desired.connections.get(connection)
        connector = connectors.get(wanted.connection.connector) if wanted else None
        field = connector.config_fields.get(key) if connector else None
        return field.field_type if field else None

    def secret(connection: str, key: str) -> str:
        value = resolved.get(connection, {}).get(key)
        if value is None or getattr(value, "missing", False):
            raise ApplyError(
                f"no value for the sensitive config key {key!r} of connection {connection!r}",
                hint="set the environment variable the configuration names",
            )
        # an `${env:...}` value may sit in any field, not only a Password one: encode it as
        # the planner did, or the tenant keeps "30" where the plan compares "[I:30]"
        return value_text(field_type(connection, key), value.value)

    return secret


def follow_up_planner(session: Session) -> Callable[[str, Any], Any]:
    """Steps that finish a connection this apply created: planned again from fresh reads, once the
    tenant has discovered its fields (the approved configuration asked for them)."""
    from syncspec.cli.session import PlanRequest

    def steps_for(name: str, fresh: Any) -> Any:
        metadata = session.target().read_metadata(connections=[name])
        again = session.make_plan(PlanRequest(only=(f"connection.{name}",)), live=fresh, metadata=metadata)
        return [step for step in again.steps if step.connection == name]

    return steps_for


def _apply(
    session: Session, plan: Any, parallelism: int, lock_timeout: float, output: str, *, follow_up: bool
) -> int:
    from syncspec.apply.applier import apply_plan
    from syncspec.cli.state_open import open_environment_state
    from syncspec.render.apply_json import JsonApplyHooks
    from syncspec.render.apply_text import TextApplyHooks, render_apply_text
    from syncspec.state.secrets import SecretFingerprinter, load_fingerprint_key

    project, env = session.project, session.environment
    state = open_environment_state(project, env, session.env)
    fingerprint = SecretFingerprinter(load_fingerprint_key(session.env))
    out: TextIO = sys.stdout
    hooks: Any = JsonApplyHooks(out) if output == "json" else TextApplyHooks(out, terminal=out.isatty())
    result = apply_plan(
        plan,
        session.target(),
        secrets=secret_resolver(session, session.desired()),
        state=state,
        hooks=hooks,
        parallelism=parallelism,
        now=session.now,
        lock_timeout=lock_timeout,
        command="syncspec " + " ".join(sys.argv[1:])[:200],
        fingerprint=fingerprint,
        follow_up=follow_up_planner(session) if follow_up else None,
    )
    if output == "text":
        render_apply_text(result, out)
    if result.interrupted:
        return ExitCode.INTERRUPTED
    return ExitCode.OK if result.ok or result.noop else ExitCode.ERROR


def _fleet(
    selected: list[str],
    output: str,
    request: PlanRequest,
    lock_timeout: float,
    parallelism: int,
    fail_fast: bool,
    no_color: bool,
) -> int:
    from syncspec.cli.fleet import FleetSettings, run_fleet
    from syncspec.cli.fleet_apply import apply_job

    settings = FleetSettings("apply", output, parallelism, fail_fast, no_color)
    return run_fleet(settings, selected, apply_job(output, request, lock_timeout))
