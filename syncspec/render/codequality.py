"""Diagnostics as a GitLab Code Quality report (`validate --format codequality`).

GitLab reads a JSON array of issues, each with a description, a check name, a severity
(info, minor, major, critical, blocker), a location (`path` relative to the repository,
`lines.begin`) and a fingerprint that identifies the issue across pipelines, which is how the
merge-request widget tells new problems from fixed ones. The fingerprint is SARIF's
(line-independent), so both reports agree about what is the same problem.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from syncspec.model.diagnostics import Diagnostic, Report, Severity, sorted_diagnostics
from syncspec.render.sarif import PROJECT_FILE, fingerprint, fingerprints, help_uri
from syncspec.render.style import Style

_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def issue(diagnostic: Diagnostic, print_: str | None = None) -> dict[str, Any]:
    loc = diagnostic.location
    description = f"{diagnostic.code} {diagnostic.message}" + (
        f" Hint: {diagnostic.hint}" if diagnostic.hint else ""
    )
    return {
        "type": "issue",
        "description": description,
        "check_name": diagnostic.code,
        "categories": ["Bug Risk" if diagnostic.severity is Severity.ERROR else "Style"],
        "severity": _SEVERITY[diagnostic.severity],
        "fingerprint": print_ or fingerprint(diagnostic),
        "location": {
            "path": loc.file if loc else PROJECT_FILE,
            "lines": {"begin": (loc.line if loc else 0) or 1},
        },
        "content": {"body": f"See {help_uri(diagnostic.code)}"},
    }


def render_codequality(report: Report, stream: TextIO, style: Style) -> None:
    diagnostics = sorted_diagnostics(report.diagnostics)
    issues = [issue(d, p) for d, p in zip(diagnostics, fingerprints(diagnostics), strict=True)]
    json.dump(issues, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
