"""The `syncspec` command: a lazy click group and the one error boundary.

Subcommands live one per module in `syncspec.cli` and are imported only when invoked,
so `syncspec --help` and a pre-commit `syncspec validate` pay for nothing they do not use.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from syncspec import __version__
from syncspec.model.exitcodes import ExitCode

if TYPE_CHECKING:
    from syncspec.model.errors import ConfigError as ConfigErrorLike

# command name -> (module, attribute, one-line help shown by --help without importing it)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "validate": ("syncspec.cli.validate_cmd", "validate", "Check configuration files (schema and rules)."),
    "fmt": ("syncspec.cli.fmt_cmd", "fmt", "Rewrite configuration files in canonical form."),
    "schema": ("syncspec.cli.schema_cmd", "schema", "Print the JSON Schemas of the file kinds."),
    "metadata": (
        "syncspec.cli.metadata_cmd",
        "metadata",
        "Save or show the target's metadata (offline validation; names to spell).",
    ),
    "init": ("syncspec.cli.init_cmd", "init", "Create a project: example configuration and a local tenant."),
    "import": ("syncspec.cli.import_cmd", "import_", "Write the live tenant's configuration as YAML files."),
    "plan": ("syncspec.cli.plan_cmd", "plan", "Show what apply would change in the tenant."),
    "show": ("syncspec.cli.show_cmd", "show", "Render a saved plan file."),
    "report": ("syncspec.cli.report_cmd", "report", "Write an HTML report of the configuration and a plan."),
    "drift": ("syncspec.cli.drift_cmd", "drift", "Report changes made in the tenant outside syncspec."),
    "apply": ("syncspec.cli.apply_cmd", "apply", "Make the tenant match the configuration."),
    "history": ("syncspec.cli.history_cmd", "history", "List the applies recorded in the journal."),
    "unlock": ("syncspec.cli.unlock_cmd", "unlock", "Break a stale apply lock by its id."),
    "state": ("syncspec.cli.state_cmd", "state", "Move apply state between backends (local to postgres)."),
    "lock": ("syncspec.cli.lock_cmd", "lock", "Show who holds an environment's apply lock."),
    "emulator": ("syncspec.cli.emulator_cmd", "emulator", "Serve a tenant over SuperOffice's REST API."),
    "doctor": ("syncspec.cli.doctor_cmd", "doctor", "Check a SuperOffice tenant for syncspec (read-only)."),
    "fleet": (
        "syncspec.cli.fleet_cmd",
        "fleet",
        "Merge the JSON results of sharded fleet runs.",
    ),
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module_name, attribute, _ = entry
        command = getattr(importlib.import_module(module_name), attribute)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


EPILOG = """\b
Exit codes: 0 ok / no changes, 1 error, 2 changes present (--detailed-exitcode, drift),
3 partial apply (a saved plan created connections; plan and apply again),
64 usage error, 130 interrupted.
Environment: SYNCSPEC_ENV selects the environment; NO_COLOR disables colour, FORCE_COLOR
forces it; SYNCSPEC_PATH_BASE is --path-base."""


@click.group(cls=LazyGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="syncspec")
@click.option("--traceback", is_flag=True, help="Show the full Python traceback of an unexpected error.")
@click.option(
    "-C",
    "--chdir",
    "chdir",
    metavar="DIR",
    help="Run as if syncspec was started in DIR (like git -C and terraform -chdir).",
)
@click.option(
    "--path-base",
    metavar="DIR",
    help="Name files in every report relative to DIR (also SYNCSPEC_PATH_BASE) "
    "[default: the git repository's root, else the current directory].",
)
@click.pass_context
def cli(ctx: click.Context, traceback: bool, chdir: str | None, path_base: str | None) -> None:
    """syncspec: SuperOffice ERP sync configuration as code."""
    from syncspec.model.paths import PATH_BASE_VARIABLE

    ctx.ensure_object(dict)
    ctx.obj["traceback"] = traceback
    if chdir is not None:
        try:
            os.chdir(chdir)
        except OSError as exc:
            raise click.UsageError(f"-C {chdir}: cannot change to it ({exc.strerror})") from None
    if path_base is not None:  # after -C, as git reads its options in order
        if not os.path.isdir(path_base):
            raise click.UsageError(f"--path-base {path_base}: not a directory")
        os.environ[PATH_BASE_VARIABLE] = os.path.abspath(path_base)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code (never raises, except SystemExit from click internals).

    `-C` and `--path-base` change the process's directory and environment; both are put back
    afterwards, so a caller running several commands in one process sees none of it."""
    try:
        cwd: str | None = os.getcwd()
    except OSError:
        cwd = None
    base = os.environ.get("SYNCSPEC_PATH_BASE")
    try:
        return _main(argv)
    finally:
        if cwd is not None:
            os.chdir(cwd)
        if base is None:
            os.environ.pop("SYNCSPEC_PATH_BASE", None)
        else:
            os.environ["SYNCSPEC_PATH_BASE"] = base


def _main(argv: Sequence[str] | None) -> int:
    args = list(argv) if argv is not None else sys.argv[1:]
    show_traceback = "--traceback" in args or bool(os.environ.get("SYNCSPEC_TRACEBACK"))
    try:
        result: Any = cli.main(args=args, prog_name="syncspec", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else str(exc))
        return ExitCode.OK
    except click.UsageError as exc:
        exc.show()
        return ExitCode.USAGE
    except click.exceptions.Abort:
        click.echo("Interrupted.", err=True)
        return ExitCode.INTERRUPTED
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return ExitCode.ERROR
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return ExitCode.INTERRUPTED
    except Exception as exc:  # the one error boundary
        return _report_unexpected(exc, show_traceback)
    return int(result) if isinstance(result, int) else ExitCode.OK


def _report_unexpected(exc: Exception, show_traceback: bool) -> int:
    from syncspec.model.errors import ConfigError, SyncspecError, UsageError

    if isinstance(exc, ConfigError) and exc.diagnostics:
        _print_diagnostics(exc)
    if isinstance(exc, SyncspecError):
        click.echo(f"Error: {exc.message}", err=True)
        if exc.hint:
            click.echo(f"  hint: {exc.hint}", err=True)
        return ExitCode.USAGE if isinstance(exc, UsageError) else ExitCode.ERROR
    if show_traceback:
        import traceback

        traceback.print_exception(exc)
    else:
        click.echo(f"Unexpected error: {type(exc).__name__}: {exc}", err=True)
        click.echo("  hint: rerun with --traceback and report it as a bug.", err=True)
    return ExitCode.ERROR


def _print_diagnostics(exc: ConfigErrorLike) -> None:
    from syncspec.render.diagnostics import format_text_line
    from syncspec.render.style import Style

    style = Style.for_stream(sys.stderr)
    for diagnostic in exc.diagnostics:
        click.echo(format_text_line(diagnostic, style), err=True)
        if diagnostic.hint:
            click.echo(style.dim(f"    hint: {diagnostic.hint}"), err=True)


def entry_point() -> None:
    raise SystemExit(main())
