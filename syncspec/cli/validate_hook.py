"""`syncspec-validate`: `syncspec validate` for commit hooks, started without click.

A pre-commit hook starts a process per commit, so its start-up is what the user waits for;
click alone is a large share of it. This entry point takes the same options and arguments as
`syncspec validate` (argparse, from the standard library), makes the same one call into
`workspace.validation` and renders the same report: the same output and exit code. The main
`syncspec` command stays click; only this one command has a second, lean front door.
`tests/cli/test_validate_hook.py` holds the two to the same answers.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from syncspec.model.exitcodes import ExitCode

# `syncspec validate --format`'s choices too (validate_cmd.py imports them from here)
FORMATS = ("text", "json", "github", "sarif", "codequality")


class _Parser(argparse.ArgumentParser):
    """Usage errors exit 64, as the click CLI's do (argparse's own is 2)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        sys.stderr.write(f"Error: {message}\n")
        raise SystemExit(ExitCode.USAGE)


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout at the terminal's width, found without `shutil`: argparse makes a
    formatter for every `add_argument` and its default one imports shutil (and with it zlib,
    bz2 and lzma) to ask the width, on every commit, though help is rarely printed."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=_columns() - 2)


def _columns() -> int:
    try:
        return int(os.environ.get("COLUMNS", "")) or os.get_terminal_size(sys.stdout.fileno()).columns
    except (ValueError, OSError):
        return 80


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="syncspec-validate",
        formatter_class=_Formatter,
        description="Check configuration files, as `syncspec validate` does (the same options).",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATHS")
    parser.add_argument("-e", "--env", dest="environment", help="Environment whose variables apply.")
    parser.add_argument("--format", dest="fmt", choices=FORMATS, default="text", help="Output format.")
    parser.add_argument("--offline", action="store_true", help="Check rules against the metadata snapshot.")
    parser.add_argument("--no-rules", action="store_true", help="Only schema and cross-document checks.")
    parser.add_argument(
        "--whole-project", action="store_true", help="Validate each project the PATHS belong to, whole."
    )
    parser.add_argument("--no-color", action="store_true", help="Never colour the output.")
    return parser


def run(argv: Sequence[str]) -> int:
    """Validate as `syncspec validate ARGV` does and return its exit code."""
    options = _parser().parse_args(list(argv))
    try:
        return _validate(options)
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted.\n")
        return ExitCode.INTERRUPTED
    except Exception as exc:  # the boundary, as syncspec/cli/main.py's for the click CLI
        return _report_error(exc)


def _validate(options: argparse.Namespace) -> int:
    from syncspec.render.diagnostics import render_report
    from syncspec.render.style import Style
    from syncspec.workspace.validation import ValidateRequest, run_validate

    request = ValidateRequest(
        tuple(options.paths),
        options.environment,
        offline=options.offline,
        rules=not options.no_rules,
        whole_project=options.whole_project,
    )
    report = run_validate(request, cwd=Path.cwd(), env=dict(os.environ))
    render_report(report, options.fmt, sys.stdout, Style.for_stream(sys.stdout, no_color=options.no_color))
    return ExitCode.ERROR if report.errors else ExitCode.OK


def _report_error(exc: Exception) -> int:
    """What syncspec/cli/main.py's boundary prints for an error, on stderr, without click."""
    from syncspec.model.errors import ConfigError, SyncspecError, UsageError
    from syncspec.render.diagnostics import format_text_line
    from syncspec.render.style import Style

    err = sys.stderr
    if isinstance(exc, ConfigError) and exc.diagnostics:
        style = Style.for_stream(err) if err.isatty() else Style.plain()  # click.echo strips colour
        for diagnostic in exc.diagnostics:
            err.write(format_text_line(diagnostic, style) + "\n")
            if diagnostic.hint:
                err.write(style.dim(f"    hint: {diagnostic.hint}") + "\n")
    if isinstance(exc, SyncspecError):
        err.write(f"Error: {exc.message}\n")
        if exc.hint:
            err.write(f"  hint: {exc.hint}\n")
        return ExitCode.USAGE if isinstance(exc, UsageError) else ExitCode.ERROR
    if os.environ.get("SYNCSPEC_TRACEBACK"):
        import traceback

        traceback.print_exception(exc)
    else:
        err.write(f"Unexpected error: {type(exc).__name__}: {exc}\n")
        err.write("  hint: rerun with SYNCSPEC_TRACEBACK=1 and report it as a bug.\n")
    return ExitCode.ERROR


def entry_point() -> None:
    raise SystemExit(run(sys.argv[1:]))
