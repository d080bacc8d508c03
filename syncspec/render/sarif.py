"""Diagnostics as SARIF 2.1.0, shaped for GitHub code scanning.

GitHub's ingestion wants more than the schema does: every rule with a `fullDescription` and a
`help` that says where the code is explained (`helpUri`, here `docs/diagnostics.md#CODE`),
results with `partialFingerprints` so an alert survives lines moving around it, and artifact
URIs that are relative to the checkout (`uriBaseId`) and percent-encoded, since a SARIF `uri`
is a URI reference: a file named `bad file,100%.yaml` must appear as `bad%20file%2C100%25.yaml`.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from syncspec import __version__
from syncspec.model.diagnostics import Diagnostic, Location, Report, Severity, sorted_diagnostics

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
REPOSITORY = "https://github.com/syncspec/syncspec"
DOCS_BASE = f"{REPOSITORY}/blob/main/docs/diagnostics.md"
SOURCE_ROOT = "%SRCROOT%"  # the checkout: code scanning resolves relative URIs against it
FINGERPRINT_KEY = "syncspecDiagnostic/v1"
PROJECT_FILE = "syncspec.yaml"  # where a finding about no one file is shown

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

# What each code range checks, for a rule's fullDescription (the title alone is a phrase).
_STAGES = (
    ("SS1", "Found while reading and schema-checking a configuration file."),
    ("SS2", "A cross-document check: it compares the project's documents with each other, no tenant needed."),
    ("SS3", "A semantic rule: it compares the configuration with the tenant's metadata."),
    ("SS4", "Found while planning against the tenant."),
)


def help_uri(code: str) -> str:
    return f"{DOCS_BASE}#{code}"


def artifact_uri(path: str) -> dict[str, str]:
    """A location's file as a SARIF artifactLocation: relative paths against the checkout,
    absolute ones as `file://` URIs; both percent-encoded (space, `,`, `%`, `#`, `?`...)."""
    if path.startswith("/"):
        return {"uri": "file://" + quote(path, safe="/")}
    return {"uri": quote(path, safe="/"), "uriBaseId": SOURCE_ROOT}


def fingerprint(diagnostic: Diagnostic, occurrence: int = 1) -> str:
    """Stable across edits that only move lines: the code, the file, where in the document and
    which object; not the line number or the message wording. `occurrence` tells apart the
    findings that agree in all of these (one per document of a multi-document file)."""
    loc = diagnostic.location
    parts = (diagnostic.code, loc.file if loc else "", loc.json_path if loc else "", diagnostic.address)
    key = "\x1f".join(parts) + (f"\x1f{occurrence}" if occurrence > 1 else "")
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def fingerprints(diagnostics: Sequence[Diagnostic]) -> list[str]:
    """One distinct fingerprint per diagnostic, in order: the n-th finding with the same key gets n."""
    seen: Counter[str] = Counter()
    found = []
    for diagnostic in diagnostics:
        base = fingerprint(diagnostic)
        seen[base] += 1
        found.append(fingerprint(diagnostic, seen[base]))
    return found


def _rule(code: str) -> dict[str, Any]:
    title = code_title(code) or code
    stage = next((text for prefix, text in _STAGES if code.startswith(prefix)), "")
    uri = help_uri(code)
    return {
        "id": code,
        "name": code,
        "shortDescription": {"text": title},
        "fullDescription": {"text": f"{code}: {title}. {stage}".strip()},
        "helpUri": uri,
        "help": {
            "text": f"{title}. Causes and fixes: {uri}",
            "markdown": f"**{code}: {title}.** {stage} Causes and fixes: [docs/diagnostics.md#{code}]({uri})",
        },
    }


def _location(loc: Location) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": artifact_uri(loc.file)}
    if loc.line:
        physical["region"] = {"startLine": loc.line, "startColumn": loc.column or 1}
    return {"physicalLocation": physical}


def _result(diagnostic: Diagnostic, rule_index: int, print_: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": diagnostic.code,
        "ruleIndex": rule_index,
        "level": _LEVEL[diagnostic.severity],
        "message": {"text": diagnostic.message + (f" Hint: {diagnostic.hint}" if diagnostic.hint else "")},
        "partialFingerprints": {FINGERPRINT_KEY: print_},
    }
    # GitHub requires a location on every result: one about the whole project goes to its file.
    result["locations"] = [_location(diagnostic.location or Location(PROJECT_FILE))]
    if diagnostic.related:
        result["relatedLocations"] = [
            {"id": index, **_location(related)} for index, related in enumerate(diagnostic.related)
        ]
    return result


def sarif_document(report: Report) -> dict[str, Any]:
    diagnostics = sorted_diagnostics(report.diagnostics)
    codes = sorted({d.code for d in diagnostics})
    index = {code: position for position, code in enumerate(codes)}
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "syncspec",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": REPOSITORY,
                        "rules": [_rule(code) for code in codes],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [
                    _result(d, index[d.code], print_)
                    for d, print_ in zip(diagnostics, fingerprints(diagnostics), strict=True)
                ],
            }
        ],
    }


def code_title(code: str) -> str:
    from syncspec.model.codes import CODE_TITLES

    return CODE_TITLES.get(code, "")
