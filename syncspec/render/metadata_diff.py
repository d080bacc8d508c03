"""`syncspec metadata diff` output: text for a terminal, JSON for tools, markdown for a pull request.

Each change is one line; under it, each place of the configuration it touches (file:line,
what it is, the fix) and each diagnostic the next `validate` raises because of it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from syncspec.metadata.impact import ChangeImpact, ConfigRef, MetadataDiff
from syncspec.model.diagnostics import Diagnostic
from syncspec.render.diagnostics import diagnostic_to_json, format_text_line
from syncspec.render.style import Style

FORMATS = ("text", "json", "markdown")


def _where(ref: ConfigRef) -> str:
    return str(ref.location) if ref.location is not None else "(not located)"


def _heading(impact: ChangeImpact) -> str:
    scope = impact.change.scope
    return f"{scope}: {impact.change.describe()}" if scope else impact.change.describe()


def summary_text(diff: MetadataDiff) -> str:
    changes = len(diff.impacts)
    if not changes:
        return "No metadata changes."
    noun = "change" if changes == 1 else "changes"
    if not diff.checked:
        return f"{changes} metadata {noun}; the configuration was not checked."
    new = sum(len(i.diagnostics) for i in diff.impacts) + len(diff.unattributed)
    return (
        f"{changes} metadata {noun}, {len(diff.affecting)} affecting the configuration; "
        f"validate will report {new} new diagnostic{'' if new == 1 else 's'}"
        + (f" and no longer {len(diff.resolved)}" if diff.resolved else "")
        + "."
    )


def render_text(diff: MetadataDiff, stream: TextIO, style: Style) -> None:
    stream.write(f"Metadata diff: {diff.before} -> {diff.after}\n")
    affecting = diff.affecting
    if affecting:
        stream.write("\n" + style.bold("Changes that affect the configuration:") + "\n")
    for impact in affecting:
        stream.write(f"  {_heading(impact)}\n")
        for ref in impact.refs:
            stream.write(f"    {_where(ref)}  {ref.what}: {ref.fix}\n")
        for d in impact.diagnostics:
            stream.write(f"    validate: {format_text_line(d, style)}\n")
        if diff.checked and not impact.diagnostics:
            stream.write("    validate: nothing new\n")
    others = [i for i in diff.impacts if i not in affecting]
    if others:
        title = "Other changes:" if diff.checked else "Changes:"
        stream.write("\n" + style.bold(title) + "\n")
        for impact in others:
            stream.write(f"  {_heading(impact)}\n")
    _text_diagnostics("New diagnostics no single change explains:", diff.unattributed, stream, style)
    _text_diagnostics("Diagnostics the new metadata no longer raises:", diff.resolved, stream, style)
    stream.write("\n" + summary_text(diff) + "\n")


def _text_diagnostics(title: str, found: Iterable[Diagnostic], stream: TextIO, style: Style) -> None:
    found = list(found)
    if found:
        stream.write("\n" + style.bold(title) + "\n")
        for d in found:
            stream.write(f"  {format_text_line(d, style)}\n")


def _ref_json(ref: ConfigRef) -> dict[str, Any]:
    loc = ref.location
    return {
        "what": ref.what,
        "file": loc.file if loc else None,
        "line": (loc.line or None) if loc else None,
        "column": (loc.column or None) if loc else None,
        "json_path": loc.json_path if loc else None,
        "address": ref.address,
        "fix": ref.fix,
    }


def diff_document(diff: MetadataDiff) -> dict[str, Any]:
    """The JSON document: every change with its references and diagnostics."""
    return {
        "before": diff.before,
        "after": diff.after,
        "configuration_checked": diff.checked,
        "changes": [
            {
                "kind": i.change.kind.value,
                "connection": i.change.connection or None,
                "actor": i.change.actor or None,
                "owner": i.change.owner or None,
                "subject": i.change.subject or None,
                "before": i.change.before or None,
                "after": i.change.after or None,
                "description": _heading(i),
                "references": [_ref_json(r) for r in i.refs],
                "diagnostics": [diagnostic_to_json(d) for d in i.diagnostics],
            }
            for i in diff.impacts
        ],
        "unattributed_diagnostics": [diagnostic_to_json(d) for d in diff.unattributed],
        "resolved_diagnostics": [diagnostic_to_json(d) for d in diff.resolved],
        "summary": summary_text(diff),
    }


def render_json(diff: MetadataDiff, stream: TextIO, style: Style) -> None:
    stream.write(json.dumps(diff_document(diff), indent=2, ensure_ascii=False) + "\n")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(diff: MetadataDiff, stream: TextIO, style: Style) -> None:
    lines = [f"## Metadata changes: `{diff.before}` → `{diff.after}`", "", summary_text(diff), ""]
    affecting = diff.affecting
    if affecting:
        lines += ["### Affecting the configuration", ""]
        for impact in affecting:
            lines.append(f"- **{_cell(_heading(impact))}**")
            for ref in impact.refs:
                lines.append(f"  - `{_where(ref)}` {_cell(ref.what)}: {_cell(ref.fix)}")
            for d in impact.diagnostics:
                lines.append(f"  - validate: `{d.code}` {d.severity.value}: {_cell(d.message)}")
        lines.append("")
    others = [i for i in diff.impacts if i not in affecting]
    if others:
        lines += ["### Other changes" if diff.checked else "### Changes", ""]
        lines += [f"- {_cell(_heading(i))}" for i in others]
        lines.append("")
    if diff.unattributed:
        lines += ["### New diagnostics no single change explains", ""]
        lines += [f"- `{d.location}` `{d.code}` {_cell(d.message)}" for d in diff.unattributed]
        lines.append("")
    stream.write("\n".join(lines).rstrip("\n") + "\n")


def render_metadata_diff(diff: MetadataDiff, output: str, stream: TextIO, style: Style | None = None) -> None:
    renderer = {"text": render_text, "json": render_json, "markdown": render_markdown}[output]
    renderer(diff, stream, style or Style.plain())
