"""The event stream: a version line first, level/message/timestamp/type on every line, notes and
errors as events, the error document of `plan --output json`."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pytest

from syncspec import __version__
from syncspec.model.diagnostics import Diagnostic, Location, Severity
from syncspec.model.errors import ConfigError, PlanError
from syncspec.render.machine import FORMAT_VERSION, EventStream, NoteLines, error_document

MOMENT = datetime(2026, 5, 4, 3, 2, 1, 5, tzinfo=UTC)


def _lines(out: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_every_line_has_level_message_timestamp_and_type() -> None:
    out = io.StringIO()
    events = EventStream(out, clock=lambda: MOMENT)
    events.version("apply")
    events.note("careful", level="warn")
    version, note = _lines(out)
    assert version == {
        "@level": "info",
        "@message": f"syncspec {__version__}",
        "@timestamp": "2026-05-04T03:02:01.000005Z",
        "type": "version",
        "syncspec": __version__,
        "format_version": FORMAT_VERSION,
        "command": "apply",
    }
    assert (note["type"], note["@level"], note["@message"]) == ("note", "warn", "careful")


def test_errors_are_reported_as_events_and_raised_on() -> None:
    out = io.StringIO()
    events = EventStream(out, clock=lambda: MOMENT)
    located = Diagnostic(Severity.ERROR, "SS103", "duplicate key", Location("connections/a.yaml", 3, 1))
    with pytest.raises(ConfigError), events.errors_reported():
        raise ConfigError("the configuration is not valid", [located], hint="run validate")
    diagnostic, error = _lines(out)
    assert diagnostic["type"] == "diagnostic" and diagnostic["@level"] == "error"
    assert diagnostic["diagnostic"] == {  # the names `validate --format json` uses
        "severity": "error",
        "code": "SS103",
        "message": "duplicate key",
        "hint": None,
        "file": "connections/a.yaml",
        "line": 3,
        "column": 1,
        "json_path": "$",
        "address": None,
        "related": [],
    }
    assert error["error"] == {
        "kind": "ConfigError",
        "message": "the configuration is not valid",
        "hint": "run validate",
    }


def test_note_lines_become_events_and_stay_text() -> None:
    out, text = io.StringIO(), io.StringIO()
    notes = NoteLines(EventStream(out, clock=lambda: MOMENT), text)
    notes.write("note: first\nnote: sec")
    notes.write("ond\nwarning: --only makes this partial\n")
    assert text.getvalue() == "note: first\nnote: second\nwarning: --only makes this partial\n"
    assert [(e["@message"], e["@level"]) for e in _lines(out)] == [
        ("first", "info"),
        ("second", "info"),
        ("warning: --only makes this partial", "warn"),
    ]


def test_the_error_document_says_what_failed() -> None:
    document = error_document(PlanError("plan is stale", hint="run plan again"))
    assert document == {
        "format_version": FORMAT_VERSION,
        "syncspec_version": __version__,
        "result": "error",
        "error": {"kind": "PlanError", "message": "plan is stale", "hint": "run plan again"},
        "diagnostics": [],
    }
