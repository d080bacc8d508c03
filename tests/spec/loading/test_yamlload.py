from __future__ import annotations

import json
import math
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syncspec.spec.loading.fast import load_fast
from syncspec.spec.loading.limits import DEFAULT_LIMITS, LoadLimits
from syncspec.spec.loading.precise import parse_precise
from syncspec.spec.loading.yamlload import decode, load_bytes, load_file

BAD = Path(__file__).parent / "bad_inputs"
EXPECTED: dict[str, list[str]] = json.loads((BAD / "expected.json").read_text())


def load(text: str, **limits: int) -> Any:
    return load_bytes(textwrap.dedent(text).encode(), "t.yaml", limits=LoadLimits(**limits))


def codes(text: str, **limits: int) -> list[str]:
    return [f"{d.code} {d.location}" for d in load(text, **limits).diagnostics]


# -- the corpus of broken files ------------------------------------------------------------


def test_corpus_lists_every_file() -> None:
    assert sorted(EXPECTED) == sorted(p.name for p in BAD.glob("*.yaml"))
    assert len(EXPECTED) >= 15


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_input_gives_expected_code_and_location(name: str) -> None:
    result = load_file(BAD / name, name)
    found = [f"{d.code} {d.location.line}:{d.location.column}" for d in result.diagnostics if d.location]
    assert found == EXPECTED[name]
    assert name.startswith(found[0].split()[0].lower())
    for diag in result.diagnostics:
        assert diag.location is not None and diag.location.file == name
        assert diag.message and "\n" not in diag.message and diag.hint


# -- good input, YAML 1.2 ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("plain", "value"),
    [
        ("NO", "NO"),
        ("yes", "yes"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("0o12", 10),
        ("012", 12),
        ("0x1F", 31),
        ("1_000", "1_000"),
        ("0b101", "0b101"),
        ("0X1F", "0X1F"),
        ("-0o12", "-0o12"),
        (".inf", math.inf),
        ("-.inf", -math.inf),
        (".iNf", ".iNf"),
        ("~", None),
        ("null", None),
        ("NULL", None),
        ("true", True),
        ("False", False),
        ("tRUE", "tRUE"),
        ("1e3", 1000.0),
        ("2001-12-14", "2001-12-14"),
        ("12:30", "12:30"),
    ],
)
def test_plain_scalars_follow_yaml_1_2_core(plain: str, value: Any) -> None:
    result = load(f"kind: X\nv: {plain}\nw: 1\n")  # `w: 1` puts a number in every file
    assert result.ok, result.diagnostics
    assert result.documents[0].data["v"] == value
    assert type(result.documents[0].data["v"]) is type(value)


def test_nan_and_quoted_and_tagged_scalars() -> None:
    data = load("a: .nan\nb: '12'\nc: !!str 12\nd: !!int '12'\ne: |\n  x\n").documents[0].data
    assert math.isnan(data["a"])
    assert (data["b"], data["c"], data["d"], data["e"]) == ("12", "12", 12, "x\n")


def test_several_documents_with_first_lines_and_positions() -> None:
    result = load(
        """\
        # header
        kind: Connector
        name: a
        ---
        kind: Connection
        actors:
          Customer: {sync: true}
        order:
          - x
          - y
        """
    )
    assert result.ok
    first, second = result.documents
    assert (first.origin.document, first.origin.first_line) == (0, 2)
    assert (second.origin.document, second.origin.first_line) == (1, 4)
    assert str(second.origin.locate(("actors", "Customer", "sync"))) == "t.yaml:7:14"
    assert str(second.origin.locate(("order", 1))) == "t.yaml:10:5"
    assert str(second.origin.locate(("nowhere", "deep"))) == "t.yaml:4:1"
    assert str(first.origin.locate(("name",))) == "t.yaml:3:1"


def test_positions_are_parsed_once_per_file(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("kind: A\nname: a\n---\nkind: B\nname: b\n")
    result = load_file(path, "c.yaml")
    assert str(result.documents[1].origin.locate(("name",))) == "c.yaml:5:1"
    path.write_text("changed: after loading\n")  # the cached parse is reused
    assert str(result.documents[0].origin.locate(("name",))) == "c.yaml:2:1"


def test_positions_after_the_file_changed_fall_back_to_document_start(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("kind: A\n\n\nname: a\n")
    result = load_file(path, "c.yaml")
    path.write_text("x: 1\n")
    assert str(result.documents[0].origin.locate(("name",))) == "c.yaml:1:1"


def test_errors_leave_other_documents_usable() -> None:
    result = load("kind: A\n---\nkind: B\nkind: C\n---\nkind: D\n")
    assert [d.data["kind"] for d in result.documents] == ["A", "D"]
    assert [d.origin.document for d in result.documents] == [0, 2]
    assert codes("kind: A\n---\nkind: B\nkind: C\n") == ["SS103 t.yaml:4:1"]


def test_anchors_and_aliases_are_allowed_and_merge_keys_are_plain_keys() -> None:
    data = load("base: &b {x: 1}\nuse: *b\nlist: [*b, *b]\n").documents[0].data
    assert data == {"base": {"x": 1}, "use": {"x": 1}, "list": [{"x": 1}, {"x": 1}]}
    assert load("a: &a {x: 1}\nb:\n  <<: *a\n").documents[0].data["b"] == {"<<": {"x": 1}}


def test_bom_crlf_and_trailing_marker() -> None:
    result = load_bytes(b"\xef\xbb\xbfkind: A\r\nname: b\r\n---\r\n", "t.yaml")
    assert result.ok and result.documents[0].data == {"kind": "A", "name": "b"}
    assert str(result.documents[0].origin.locate(("name",))) == "t.yaml:2:1"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: [[[1]]]\n", ["SS107 t.yaml:1:6"]),
        ("a:\n  b:\n    c:\n      d: 1\n", ["SS107 t.yaml:4:7"]),
        ("a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b]\n", ["SS108 t.yaml:3:5"]),
        ("a: !custom x\n", ["SS101 t.yaml:1:4"]),
        ("a: !!int x\n", ["SS101 t.yaml:1:4"]),
        ("true: x\n", ["SS109 t.yaml:1:1"]),
        ("? {a: 1}\n: x\n", ["SS109 t.yaml:1:3"]),
        ("---\n~\n", ["SS105 t.yaml:1:1"]),
    ],
)
def test_small_limits_and_odd_keys(text: str, expected: list[str]) -> None:
    assert codes(text, max_depth=3, max_alias_nodes=20) == expected


def test_size_limit(tmp_path: Path) -> None:
    assert codes("a: 1234567890\n", max_bytes=8) == ["SS106 t.yaml:1:1"]
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: 1\n" * 10)
    result = load_file(path, "big.yaml", limits=LoadLimits(max_bytes=20))
    assert [d.code for d in result.diagnostics] == ["SS106"]


def test_unreadable_file_is_a_diagnostic(tmp_path: Path) -> None:
    result = load_file(tmp_path / "missing.yaml", "missing.yaml")
    assert [str(d.location) for d in result.diagnostics] == ["missing.yaml:1:1"]


# -- hostile input in a constrained subprocess ---------------------------------------------

_RUNNER = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from pathlib import Path
from syncspec.spec.loading.yamlload import load_file
result = load_file(Path(sys.argv[1]), "f.yaml")
print(" ".join(f"{d.code}@{d.location.line}:{d.location.column}" for d in result.diagnostics))
"""


def _write_hostile(kind: str, path: Path) -> None:
    if kind == "huge":
        path.write_bytes(b"kind: X\nitems:\n" + b"  - just another list item of text\n" * 600_000)
    elif kind == "deep-flow":
        path.write_text("a: " + "[" * 10_000 + "]" * 10_000 + "\n")
    elif kind == "deep-block":
        path.write_text("a:\n" + "- " * 10_000 + "x\n")
    elif kind == "deep-flow-lines":  # short lines: yaml-rs tries first and gives up at its recursion limit
        path.write_text("a:\n" + " [\n" * 3_000 + " ]\n" * 3_000)
    elif kind == "deep-flow-after-a-document":  # the parser's look-ahead runs in the second document
        path.write_text("kind: A\n---\nb: " + "{x: " * 2_000 + "1" + "}" * 2_000 + "\n")
    elif kind == "flow-one-past-the-limit":  # fits the fast path's line limit; its depth check declines
        path.write_text("a: " + "[" * 64 + "]" * 64 + "\n")
    elif kind == "block-one-past-the-limit":
        path.write_text("".join(" " * i + f"k{i}:\n" for i in range(64)) + " " * 64 + "v: 1\n")
    elif kind == "deep-indent":
        path.write_text("".join(" " * i + f"k{i}:\n" for i in range(2_000)) + " " * 2_000 + "v: 1\n")
    elif kind == "bomb":
        lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for i in range(1, 9):
            prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
            lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
        path.write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("huge", "SS106@1:1"),
        ("deep-flow", "SS107@1:67"),
        ("deep-block", "SS107@2:127"),
        ("deep-indent", "SS107@65:65"),
        ("deep-flow-lines", "SS107@65:2"),
        ("deep-flow-after-a-document", "SS107@3:"),
        ("flow-one-past-the-limit", "SS107@1:67"),
        ("block-one-past-the-limit", "SS107@65:65"),
        ("bomb", "SS108@6:"),
    ],
)
def test_hostile_files_fail_cleanly_in_bounded_memory_and_time(
    kind: str, expected: str, tmp_path: Path
) -> None:
    path = tmp_path / "f.yaml"
    _write_hostile(kind, path)
    run = subprocess.run(
        [sys.executable, "-c", _RUNNER, str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip().startswith(expected), run.stdout


# -- properties ----------------------------------------------------------------------------

_TOKENS = st.sampled_from(
    [
        "NO",
        "yes",
        "on",
        "0",
        "012",
        "0o17",
        "0x1f",
        "0X1F",
        "1_000",
        "_1",
        "1e3",
        "1.5",
        ".5",
        "-.inf",
        ".INF",
        ".nan",
        ".NaN",
        ".Nan",
        "~",
        "null",
        "Null",
        "true",
        "TRUE",
        "False",
        "tRUE",
        "0b11",
        "+12",
        "-0",
        "1.",
        "1.2.3",
        "2020-01-02",
        "12:30",
        "a-b",
        "x",
        "y",
    ]
)
_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
_SCALAR = st.one_of(_TOKENS, _TEXT, st.integers(-(10**20), 10**20).map(str))
_KEY = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,8}", fullmatch=True)


def _emit(value: Any, indent: int) -> str:
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return " {}\n"
        return "\n" + "".join(f"{pad}{k}:{_emit(v, indent + 2)}" for k, v in value.items())
    if isinstance(value, list):
        if not value:
            return " []\n"
        return "\n" + "".join(f"{pad}-{_emit(v, indent + 2)}" for v in value)
    return f" {value}\n"


def _nest(kids: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    # A named function, not a lambda: hypothesis reads an `extend` lambda's source to check
    # that it uses its argument, and misreads one that shares its lines with other arguments.
    return st.one_of(st.lists(kids, max_size=4), st.dictionaries(_KEY, kids, max_size=4))


_TREE = st.recursive(_SCALAR, _nest, max_leaves=20)
_DOC = st.dictionaries(_KEY, _TREE, min_size=1, max_size=5)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_DOC, min_size=1, max_size=3), st.booleans())
def test_fast_and_precise_paths_agree(docs: list[dict[str, Any]], leading_marker: bool) -> None:
    raw = ("---\n" if leading_marker else "") + "---\n".join(_emit(d, 0).lstrip("\n") for d in docs)
    text, problem = decode(raw.encode(), "t.yaml")  # what the loader does before either path
    if problem is not None:
        return
    fast = load_fast(text, DEFAULT_LIMITS)
    precise = parse_precise(text, "t.yaml", DEFAULT_LIMITS)
    if fast is None:
        return  # declined: the precise path alone decides
    assert not precise.diagnostics, (text, precise.diagnostics)
    assert len(fast) == len(precise.documents)
    for (data, first_line), doc in zip(fast, precise.documents, strict=True):
        assert _same(data, doc.data), text
        assert first_line == doc.first_line


def test_fast_path_is_taken_for_ordinary_files() -> None:
    text = "kind: C\nname: a\nactive: true\nconfig: {client: '1001', port: 8080}\nl:\n- 1.5\n---\nkind: B\n"
    fast = load_fast(text, DEFAULT_LIMITS)
    assert fast is not None and [line for _, line in fast] == [1, 7]
    assert load_fast("kind: A\ncount: 1_000\n", DEFAULT_LIMITS) is None


_YAMLISH = st.lists(
    st.sampled_from([*"ab:- \n\t'\"[]{},#&*!|>?%@`~.0123456789\\", "---", "\x00", "é", "\n  "]), max_size=60
).map("".join)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.one_of(_YAMLISH, st.binary(max_size=200)))
def test_any_input_gives_a_file_load(raw: str | bytes) -> None:
    data = raw.encode() if isinstance(raw, str) else raw
    result = load_bytes(data, "t.yaml")
    assert result.display == "t.yaml"
    assert result.documents or result.diagnostics
    for diag in result.diagnostics:
        assert diag.location is not None and diag.location.line >= 1 and diag.location.column >= 1
    for doc in result.documents:
        assert isinstance(doc.data, dict)
        doc.origin.locate(("x", 0))


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 63 + "]" * 63 + "\n",
        "".join(" " * i + f"k{i}:\n" for i in range(63)) + " " * 63 + "v: 1\n",
    ],
    ids=["flow", "block"],
)
def test_nesting_at_the_limit_loads_on_both_paths(text: str) -> None:
    assert load(text).diagnostics == ()
    assert parse_precise(text, "t.yaml", DEFAULT_LIMITS).diagnostics == []


def test_a_parser_with_a_lower_depth_limit_than_ours_still_gives_a_located_ss107(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A future libyaml might stop below max_depth: its refusal is still SS107, where it stopped."""
    import yaml

    real_parse = yaml.parse

    def parse_with_limit_of_ten(text: str, Loader: Any) -> Any:
        depth = 0
        for event in real_parse(text, Loader=Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > 10:
                    problem = "exceeded maximum nesting depth"
                    raise yaml.MarkedYAMLError("while increasing flow level", None, problem, event.start_mark)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            yield event

    monkeypatch.setattr(yaml, "parse", parse_with_limit_of_ten)
    result = parse_precise("a: " + "[" * 20 + "]" * 20 + "\n", "t.yaml", DEFAULT_LIMITS)
    assert [(d.code, d.location.line, d.location.column) for d in result.diagnostics] == [("SS107", 1, 13)]
    assert "parser allows" in result.diagnostics[0].message


def test_read_regular_never_opens_a_fifo_or_reads_a_device(tmp_path: Path) -> None:
    import os

    from syncspec.spec.loading.yamlload import Unread, read_regular

    os.mkfifo(tmp_path / "pipe.yaml")  # opening it for reading would block until a writer came
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")  # reading it would never end
    (tmp_path / "loop.yaml").symlink_to("loop.yaml")
    (tmp_path / "ok.yaml").write_bytes(b"x" * 50)
    assert read_regular(tmp_path / "pipe.yaml", 10) == Unread("a FIFO (named pipe)", regular=False)
    assert read_regular(tmp_path / "zero.yaml", 10) == Unread("a device file", regular=False)
    loop = read_regular(tmp_path / "loop.yaml", 10)
    assert isinstance(loop, Unread) and loop.regular and "symbolic links" in loop.reason
    assert read_regular(tmp_path / "ok.yaml", 10) == b"x" * 11  # one byte past the limit, no more
    result = load_file(tmp_path / "pipe.yaml", "pipe.yaml")
    assert [(d.severity.value, d.code, str(d.location)) for d in result.diagnostics] == [
        ("info", "SS100", "pipe.yaml:1:1")
    ]


def test_a_document_with_a_duplicate_key_still_tells_its_kind_and_name() -> None:
    text = b"kind: Connection\nname: norway\nconnector: demo-erp\nconnector: other\n---\nkind: Connector\n"
    loaded = load_bytes(text, "c.yaml")
    assert [d.code for d in loaded.diagnostics] == ["SS103"]
    assert [d.data for d in loaded.broken] == [{"kind": "Connection", "name": "norway"}]
    assert [d.data for d in loaded.documents] == [{"kind": "Connector"}]  # the sound one is kept whole


def test_a_broken_document_without_a_readable_name_is_not_carried() -> None:
    loaded = load_bytes(b"kind: Connection\nname: [a, b]\nname: x\n", "c.yaml")
    assert loaded.broken == ()


def test_an_unreadable_file_is_ss100_as_in_fmt(tmp_path: Path) -> None:
    """One code for "cannot be read" (docs/diagnostics.md): validate's loader and fmt agree."""
    from syncspec.spec.formatting.files import read_text

    (tmp_path / "loop.yaml").symlink_to("loop.yaml")
    loaded = load_file(tmp_path / "loop.yaml", "loop.yaml")
    formatted = read_text(tmp_path / "loop.yaml", "loop.yaml")
    assert [d.code for d in loaded.diagnostics] == ["SS100"]
    assert not isinstance(formatted, str) and formatted.code == "SS100"


def test_the_not_printable_class_is_exactly_the_complement_of_yaml_c_printable() -> None:
    # YAML 1.2 section 5.1 by its ranges, against the class the loader compiles, at every code point
    from syncspec.spec.loading.yamlload import _NOT_PRINTABLE

    printable = [(0x09, 0x0A), (0x0D, 0x0D), (0x20, 0x7E), (0x85, 0x85), (0xA0, 0xD7FF)]
    printable += [(0xE000, 0xFFFD), (0x10000, 0x10FFFF)]
    allowed = {c for low, high in printable for c in range(low, high + 1)}
    every = "".join(map(chr, range(0x110000)))
    found = [m.start() for m in _NOT_PRINTABLE.finditer(every)]
    assert found == [c for c in range(0x110000) if c not in allowed]
