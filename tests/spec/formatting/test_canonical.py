from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from syncspec.model.diagnostics import Severity
from syncspec.spec.formatting.canonical import UNFORMATTABLE, format_text

CASES = Path(__file__).parent / "fmt_cases"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _data(text: str) -> list[object]:
    return list(YAML(typ="safe", pure=True).load_all(io.StringIO(text)))


@pytest.mark.parametrize("name", CASE_NAMES)
def test_golden_case(name: str) -> None:
    source = _read(CASES / name / "input.yaml")
    expected = _read(CASES / name / "expected.yaml")
    result = format_text(source, display=f"{name}/input.yaml")
    assert result.diagnostics == ()
    assert result.text == expected
    assert result.changed is (source != expected)


@pytest.mark.parametrize("name", CASE_NAMES)
def test_golden_expected_is_a_fixed_point(name: str) -> None:
    expected = _read(CASES / name / "expected.yaml")
    result = format_text(expected, display="expected.yaml")
    assert result == type(result)(expected, False, ())


def test_there_are_golden_cases_for_each_promise() -> None:
    wanted = {"comments_kept", "modeline_kept", "multi_doc", "flow_maps", "quoted_no", "unknown_keys"}
    assert wanted <= set(CASE_NAMES)


def test_top_level_keys_follow_the_kind_and_comments_follow_their_key() -> None:
    source = "url: plugin://demo\n# the name users see\nname: demo\nkind: Connector\n"
    result = format_text(source, display="c.yaml")
    assert result.text == "kind: Connector\n# the name users see\nname: demo\nurl: plugin://demo\n"
    assert result.changed


def test_user_keyed_maps_keep_their_order() -> None:
    source = "kind: ListMappings\nconnection: c\nactor: Customer\nfield: F\nitems:\n  Z: a\n  A: b\n  M: c\n"
    assert format_text(source, display="l.yaml").text == source


def test_unknown_kind_is_only_reindented() -> None:
    source = "zeta: 1\nkind: Mystery\nalpha:\n    - x\n"
    assert format_text(source, display="m.yaml").text == "zeta: 1\nkind: Mystery\nalpha:\n  - x\n"


def test_trailing_whitespace_and_blank_runs_go_but_block_scalars_are_untouched() -> None:
    source = "\n\nkind: Connection   \n\n\n\nname: x\ndescription: |\n  two  \n\n  lines\n\n\n"
    result = format_text(source, display="w.yaml")
    assert result.text == "kind: Connection\n\nname: x\ndescription: |\n  two  \n\n  lines\n"
    assert _data(result.text) == _data(source)


def test_crlf_and_bom_become_plain_newlines() -> None:
    result = format_text("\ufeffkind: Connector\r\nname: a\r\n", display="c.yaml")
    assert result.text == "kind: Connector\nname: a\n"
    assert result.changed


def test_empty_and_comment_only_files() -> None:
    assert format_text("", display="e.yaml") == type(format_text("", display="e.yaml"))("", False, ())
    result = format_text("# nothing yet   \n\n\n# more\n", display="c.yaml")
    assert result.text == "# nothing yet\n\n# more\n"


def test_syntax_error_is_located_and_text_untouched() -> None:
    source = "kind: Connection\nname: [a, b\nconfig: {}\n"
    result = format_text(source, display="connections/x.yaml")
    assert result.text == source
    assert not result.changed
    (diagnostic,) = result.diagnostics
    assert diagnostic.code == "SS101"
    assert diagnostic.severity is Severity.ERROR
    assert str(diagnostic.location).startswith("connections/x.yaml:3:")


def test_duplicate_key_is_located() -> None:
    (diagnostic,) = format_text("kind: A\nname: a\nname: b\n", display="d.yaml").diagnostics
    assert diagnostic.code == "SS103"
    assert diagnostic.location is not None
    assert (diagnostic.location.line, diagnostic.location.column) == (3, 1)


def test_control_character_is_located() -> None:
    (diagnostic,) = format_text('kind: A\nname: "a\x01"\n', display="c.yaml").diagnostics
    assert diagnostic.code == "SS101"
    assert str(diagnostic.location) == "c.yaml:2:9"  # the 9th character is U+0001


@pytest.mark.parametrize(
    "source",
    [
        "kind: A\n...\n",  # document end marker
        "- a\n- b\n",  # not a mapping
        "kind: A\n--- {b: 1}\n",  # content on the marker line
        "kind: A\nb: [1,\n  # inside\n  2]\n",  # ruamel would drop a comment inside a flow list
    ],
)
def test_constructs_fmt_does_not_rewrite_are_left_alone_with_a_warning(source: str) -> None:
    result = format_text(source, display="u.yaml")
    assert result.text == source
    assert not result.changed
    (diagnostic,) = result.diagnostics
    assert diagnostic.code == UNFORMATTABLE
    assert diagnostic.severity is Severity.WARNING


def test_secret_references_survive_verbatim() -> None:
    source = 'kind: Connection\nconfig:\n    password: ${env:VISMA_PASSWORD}\n    token: "${env:T}"\n'
    result = format_text(source, display="s.yaml")
    assert "password: ${env:VISMA_PASSWORD}\n" in result.text
    assert 'token: "${env:T}"\n' in result.text


# --- generated documents: formatting is idempotent and keeps data and comments ---------

_KIND_KEYS = {
    "Connection": ["name", "connector", "description", "active", "config", "actors", "extra"],
    "FieldMappings": ["connection", "actor", "fields", "note"],
    "Defaults": ["connection", "actor", "fields"],
    "ListMappings": ["connection", "actor", "field", "items"],
    "Ranking": ["connection", "actor", "order"],
    "Mystery": ["b", "a"],
}
_SCALARS = ["'NO'", "NO", '"1001"', "true", "null", '"${env:PW}"', "plain words", "'it''s'", "12", "~"]
_SUB_KEYS = ["crm", "direction", "show_in_search", "show_in_tab", "value", "prompt", "mandatory", "odd"]


@st.composite
def _documents(draw: st.DrawFn) -> str:
    counter = iter(range(10_000))
    indent = " " * draw(st.sampled_from([2, 4]))
    lines: list[str] = []

    def comment(prefix: str) -> None:
        if draw(st.integers(0, 4)) == 0:
            lines.append(f"{prefix}# c{next(counter)}")
        if draw(st.integers(0, 6)) == 0:
            lines.append("")

    def eol() -> str:
        return f"  # e{next(counter)}" if draw(st.booleans()) else ""

    docs = draw(st.integers(1, 3))
    for number in range(docs):
        if number:
            lines.append("---")
        kind = draw(st.sampled_from(sorted(_KIND_KEYS)))
        keys = draw(st.permutations(["kind", *_KIND_KEYS[kind]]))
        for key in keys[: draw(st.integers(1, len(keys)))]:
            comment("")
            if key == "kind":
                lines.append(f"kind: {kind}{eol()}")
            elif key in ("fields", "items", "config", "actors"):
                lines.append(f"{key}:{eol()}")
                for entry in range(draw(st.integers(0, 3))):
                    comment(indent)
                    subs = draw(st.permutations(_SUB_KEYS))[: draw(st.integers(1, 3))]
                    values = [draw(st.sampled_from(_SCALARS)) for _ in subs]
                    if draw(st.booleans()):
                        pairs = ", ".join(f"{k}: {v}" for k, v in zip(subs, values, strict=True))
                        lines.append(f"{indent}K{entry}: {{{pairs}}}{eol()}")
                    else:
                        lines.append(f"{indent}K{entry}:")
                        for sub, value in zip(subs, values, strict=True):
                            comment(indent * 2)
                            lines.append(f"{indent * 2}{sub}: {value}{eol()}")
            elif key == "order":
                lines.append(f"order:{eol()}")
                dash = indent if draw(st.booleans()) else ""
                for item in range(draw(st.integers(0, 3))):
                    comment(dash)
                    lines.append(f"{dash}- F{item}{eol()}")
            elif key == "note":
                lines.append("note: |")
                lines.extend([f"{indent}# not a comment", f"{indent}text  "])
            else:
                lines.append(f"{key}: {draw(st.sampled_from(_SCALARS))}{eol()}")
        comment("")
    return "\n".join(lines) + "\n"


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_documents())
def test_generated_documents_format_idempotently(source: str) -> None:
    first = format_text(source, display="g.yaml")
    assert first.diagnostics == ()
    second = format_text(first.text, display="g.yaml")
    assert second.text == first.text
    assert not second.changed
    assert _data(first.text) == _data(source)
    for token in source.split():
        if token.startswith(("c", "e")) and token[1:].isdigit():
            assert f"# {token}" in first.text
    assert all(line == line.rstrip() for line in first.text.splitlines() if "text" not in line)
