"""Renderers for diagnostics: text, json, github (workflow annotations), sarif (2.1.0, in sarif.py).

Each renderer only reads diagnostics and writes to the stream it is given. The
registry `DIAGNOSTIC_FORMATS` is what `--format` offers.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TextIO

from syncspec.model.diagnostics import Diagnostic, Report, Severity, sorted_diagnostics
from syncspec.render.style import Style


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def summary_line(report: Report) -> str:
    files = _plural(report.files_checked, "file")
    if not report.diagnostics:
        return f"{files} checked: no problems."
    parts = [_plural(report.errors, "error"), _plural(report.warnings, "warning")]
    infos = len(report.diagnostics) - report.errors - report.warnings
    if infos:
        parts.append(_plural(infos, "note"))
    return f"{files} checked: {', '.join(parts)}."


def format_text_line(diagnostic: Diagnostic, style: Style) -> str:
    where = f"{diagnostic.location}: " if diagnostic.location else ""
    severity = style.severity(diagnostic.severity)
    path = ""
    if diagnostic.location and diagnostic.location.json_path not in ("", "$"):
        path = style.dim(f" ({diagnostic.location.json_path})")
    return f"{where}{severity} {style.bold(diagnostic.code)} {diagnostic.message}{path}"


def render_text(report: Report, stream: TextIO, style: Style) -> None:
    for diagnostic in sorted_diagnostics(report.diagnostics):
        stream.write(format_text_line(diagnostic, style) + "\n")
        if diagnostic.hint:
            stream.write(style.dim(f"    hint: {diagnostic.hint}") + "\n")
        for related in diagnostic.related:
            stream.write(style.dim(f"    see: {related}") + "\n")
    for note in report.notes:
        stream.write(f"note: {note}\n")
    stream.write(summary_line(report) + "\n")


def diagnostic_to_json(diagnostic: Diagnostic) -> dict[str, Any]:
    loc = diagnostic.location
    return {
        "severity": diagnostic.severity.value,
        "code": diagnostic.code,
        "message": diagnostic.message,
        "hint": diagnostic.hint or None,
        "file": loc.file if loc else None,
        "line": loc.line or None if loc else None,
        "column": loc.column or None if loc else None,
        "json_path": loc.json_path if loc else None,
        "address": diagnostic.address or None,
        "related": [str(r) for r in diagnostic.related],
    }


def render_json(report: Report, stream: TextIO, style: Style) -> None:
    document = {
        "format_version": 1,
        "valid": report.errors == 0,
        "files_checked": report.files_checked,
        "summary": {"errors": report.errors, "warnings": report.warnings},
        "notes": list(report.notes),
        "diagnostics": [diagnostic_to_json(d) for d in sorted_diagnostics(report.diagnostics)],
    }
    json.dump(document, stream, indent=2, ensure_ascii=False)
    stream.write("\n")


_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _github_escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_escape_property(text: str) -> str:
    return _github_escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report, stream: TextIO, style: Style) -> None:
    for diagnostic in sorted_diagnostics(report.diagnostics):
        props = []
        loc = diagnostic.location
        if loc:
            props.append(f"file={_github_escape_property(loc.file)}")
            if loc.line:
                props.append(f"line={loc.line}")
                props.append(f"col={loc.column or 1}")
        props.append(f"title={_github_escape_property(diagnostic.code)}")
        message = diagnostic.message + (f"\nhint: {diagnostic.hint}" if diagnostic.hint else "")
        level = _GITHUB_LEVEL[diagnostic.severity]
        stream.write(f"::{level} {','.join(props)}::{_github_escape_data(message)}\n")
    stream.write(summary_line(report) + "\n")


def render_codequality(report: Report, stream: TextIO, style: Style) -> None:
    from syncspec.render.codequality import render_codequality as render

    render(report, stream, style)


def sarif_document(report: Report) -> dict[str, Any]:
    """The SARIF 2.1.0 document of `report` (render/sarif.py, imported only when asked: a
    pre-commit validate in text pays nothing for it)."""
    from syncspec.render.sarif import sarif_document as document

    return document(report)


def render_sarif(report: Report, stream: TextIO, style: Style) -> None:
    json.dump(sarif_document(report), stream, indent=2, ensure_ascii=False)
    stream.write("\n")


DiagnosticRenderer = Callable[[Report, TextIO, Style], None]

DIAGNOSTIC_FORMATS: dict[str, DiagnosticRenderer] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
    "sarif": render_sarif,
    "codequality": render_codequality,
}


def render_report(report: Report, fmt: str, stream: TextIO, style: Style | None = None) -> None:
    DIAGNOSTIC_FORMATS[fmt](report, stream, style or Style.plain())
