"""The report as text and as JSON (strings: the CLI writes them)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from syncspec.doctor.report import Check, DoctorReport, Group, Status, Tally

_LABELS = {Status.OK: "ok", Status.FAIL: "FAIL", Status.WARN: "warn", Status.SKIP: "skip"}
_SECTIONS = (
    (Group.CONNECTION, "Connection"),
    (Group.ENDPOINT, "Endpoints syncspec needs"),
    (Group.DATA, "Seen in the tenant's data"),
)


def render_json(report: DoctorReport) -> str:
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"


def render_text(report: DoctorReport) -> str:
    lines = [
        f"syncspec doctor: environment {report.environment!r} at {report.target}",
        f"(read-only: {report.requests_sent} documented reads sent, no writes)",
    ]
    width = max((len(c.id) for c in report.checks), default=0)
    for group, title in _SECTIONS:
        checks = [c for c in report.checks if c.group is group]
        if checks:
            lines += ["", title, *(_check_line(c, width) for c in checks)]
    lines += _tallies("field types", report.field_types)
    lines += _tallies("value forms", report.value_forms)
    if report.questions:
        lines += ["", "Questions the docs leave open"]
        for question in report.questions:
            lines.append(f"  {question.status.value:<12} {question.id}: {question.question}")
            lines.append(f"  {'':<12}   -> {question.answer}")
    lines += ["", _verdict(report)]
    return "\n".join(lines) + "\n"


def _check_line(check: Check, width: int) -> str:
    return f"  {_LABELS[check.status]:<5} {check.id:<{width}}  {check.detail}"


def _tallies(title: str, tallies: Iterable[Tally]) -> list[str]:
    by_where: dict[str, list[str]] = {}
    for tally in tallies:
        by_where.setdefault(tally.where, []).append(f"{tally.what} {tally.count}")
    if not by_where:
        return []
    return [f"  {title}:", *(f"    {where}: {', '.join(items)}" for where, items in by_where.items())]


def _verdict(report: DoctorReport) -> str:
    failed, skipped, warned = report.count(Status.FAIL), report.count(Status.SKIP), report.count(Status.WARN)
    notes = [f"{n} {what}" for n, what in ((warned, "warned"), (skipped, "not checked")) if n]
    tail = f" ({', '.join(notes)})" if notes else ""
    if failed:
        return f"Result: {failed} check(s) failed{tail}: syncspec cannot use this tenant as it is."
    return f"Result: everything syncspec needs answered as documented{tail}."
