from __future__ import annotations

import io
import json

import jsonschema
import pytest

from syncspec.model.diagnostics import Diagnostic, Location, Report, Severity
from syncspec.render.diagnostics import DIAGNOSTIC_FORMATS, render_report, sarif_document
from syncspec.render.style import Style

ERROR = Diagnostic(
    Severity.ERROR,
    "SS122",
    "unknown key 'directon' in FieldMappings",
    Location("connections/a,b.yaml", 12, 5, "$.fields.CUSTNO.directon"),
    hint="did you mean 'direction'?",
)
WARNING = Diagnostic(
    Severity.WARNING,
    "SS214",
    "environment variable DEMO_ERP_PASSWORD is not set",
    Location("connections/conn.yaml", 3, 13, "$.config.password"),
)
FILELESS = Diagnostic(Severity.ERROR, "SS104", "empty file", Location("empty.yaml"))


def render(fmt: str, *diagnostics: Diagnostic, files: int = 2) -> str:
    stream = io.StringIO()
    render_report(Report(tuple(diagnostics), files), fmt, stream)
    return stream.getvalue()


def test_text_sorts_by_file_and_line_and_shows_hint() -> None:
    out = render("text", WARNING, ERROR)
    lines = out.splitlines()
    assert lines[0] == (
        "connections/a,b.yaml:12:5: error SS122 unknown key 'directon' in FieldMappings "
        "($.fields.CUSTNO.directon)"
    )
    assert lines[1] == "    hint: did you mean 'direction'?"
    assert lines[2].startswith("connections/conn.yaml:3:13: warning SS214")
    assert lines[-1] == "2 files checked: 1 error, 1 warning."


def test_text_without_problems_says_so() -> None:
    assert render("text", files=1) == "1 file checked: no problems.\n"


def test_text_file_level_location_has_no_line() -> None:
    assert render("text", FILELESS).splitlines()[0] == "empty.yaml: error SS104 empty file"


def test_text_colour_only_when_asked() -> None:
    stream = io.StringIO()
    render_report(Report((ERROR,), 1), "text", stream, Style(colour=True))
    assert "\x1b[31" in stream.getvalue()
    assert "\x1b[" not in render("text", ERROR)


def test_style_honours_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert Style.for_stream(Tty()).colour
    monkeypatch.setenv("NO_COLOR", "1")
    assert not Style.for_stream(Tty()).colour


def test_json_document() -> None:
    doc = json.loads(render("json", ERROR, WARNING))
    assert doc["valid"] is False
    assert doc["summary"] == {"errors": 1, "warnings": 1}
    first = doc["diagnostics"][0]
    assert first["file"] == "connections/a,b.yaml"
    assert (first["line"], first["column"], first["code"]) == (12, 5, "SS122")
    assert first["json_path"] == "$.fields.CUSTNO.directon"


def test_github_annotations_escape_properties_and_data() -> None:
    out = render("github", ERROR, FILELESS).splitlines()
    assert out[0] == "::error file=connections/a%2Cb.yaml,line=12,col=5,title=SS122::" + (
        "unknown key 'directon' in FieldMappings%0Ahint: did you mean 'direction'?"
    )
    assert out[1] == "::error file=empty.yaml,title=SS104::empty file"


def test_sarif_is_valid_2_1_0_shape() -> None:
    doc = sarif_document(Report((ERROR, WARNING, FILELESS), 3))
    # A trimmed structural schema of what GitHub code scanning requires.
    required_shape = {
        "type": "object",
        "required": ["version", "runs"],
        "properties": {
            "version": {"const": "2.1.0"},
            "runs": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["tool", "results"],
                    "properties": {
                        "tool": {
                            "type": "object",
                            "required": ["driver"],
                            "properties": {"driver": {"type": "object", "required": ["name", "rules"]}},
                        },
                        "results": {
                            "type": "array",
                            "items": {"type": "object", "required": ["ruleId", "message", "level"]},
                        },
                    },
                },
            },
        },
    }
    jsonschema.validate(doc, required_shape)
    results = doc["runs"][0]["results"]
    region = results[0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 12, "startColumn": 5}
    assert [r["level"] for r in results] == ["error", "warning", "error"]
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["SS104", "SS122", "SS214"]
    assert all(
        results[i]["ruleIndex"] == [r["id"] for r in rules].index(results[i]["ruleId"]) for i in range(3)
    )


def test_every_format_is_registered() -> None:
    assert set(DIAGNOSTIC_FORMATS) == {"text", "json", "github", "sarif", "codequality"}
