"""`syncspec fmt`: rewrite configuration files in canonical form, comments kept."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from syncspec.model.diagnostics import Diagnostic, Severity, has_errors, sorted_diagnostics
from syncspec.model.exitcodes import ExitCode
from syncspec.model.paths import display_path
from syncspec.spec.formatting.canonical import format_text
from syncspec.spec.formatting.files import default_paths, read_text, write_atomic, yaml_files


@dataclass(frozen=True)
class FmtOptions:
    paths: tuple[Path, ...]  # empty: the project's files
    check: bool = False  # write nothing; exit 1 when a file would change
    diff: bool = False  # print a unified diff instead of writing


@dataclass
class _Tally:
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0  # not regular files (FIFOs, devices): never read


def run_fmt(options: FmtOptions, *, cwd: Path, out: TextIO, err: TextIO) -> int:
    paths = yaml_files(options.paths) if options.paths else default_paths(cwd)
    writes = not (options.check or options.diff)
    tally = _Tally()
    for path in paths:
        display = display_path(path, cwd)
        text = read_text(path, display)
        if isinstance(text, Diagnostic):
            _report(err, [text])
            if text.severity is Severity.INFO:
                tally.skipped += 1
            else:
                tally.failed += 1
            continue
        result = format_text(text, display=display)
        _report(err, result.diagnostics)
        if has_errors(result.diagnostics):
            tally.failed += 1
        elif not result.changed:
            tally.unchanged += 1
        else:
            tally.changed += 1
            if options.diff:
                out.writelines(_diff(text, result.text, display))
            if options.check:
                out.write(f"would reformat {display}\n")
            if writes:
                write_atomic(path, result.text)
                out.write(f"reformatted {display}\n")
    out.write(_summary(tally, writes) + "\n")
    if tally.failed or (options.check and tally.changed):
        return ExitCode.ERROR
    return ExitCode.OK


def _report(err: TextIO, diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> None:
    for diagnostic in sorted_diagnostics(diagnostics):
        err.write(f"{diagnostic.location}: {diagnostic.code} {diagnostic.message}\n")


def _diff(before: str, after: str, display: str) -> list[str]:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{display}", f"b/{display}"
    )
    return [line if line.endswith("\n") else line + "\n" for line in lines]


def _plural(count: int) -> str:
    return f"{count} file" + ("" if count == 1 else "s")


def _summary(tally: _Tally, writes: bool) -> str:
    verb = "reformatted" if writes else "would be reformatted"
    parts = [f"{_plural(tally.changed)} {verb}", f"{tally.unchanged} unchanged"]
    if tally.skipped:
        parts.append(f"{tally.skipped} skipped")
    if tally.failed:
        parts.append(f"{tally.failed} failed")
    return ", ".join(parts)
