"""Canonical formatting of desired-state YAML that keeps every comment.

How a text is formatted:
1. ruamel.yaml (round trip, YAML 1.2) loads each document; syntax errors stop here.
2. Full-line comments and blank lines are lifted out and tied to the key or item that
   follows them (fmt_scan); ruamel keeps only end-of-line comments (fmt_tree).
3. Maps are put in canonical key order (fmt_order) and ruamel dumps each document
   with 2-space indentation, sequences indented under their key, lines never re-wrapped.
4. The lifted comments go back in front of their key, indented like it.
5. The result must compose to the same data and hold the same comments as the input;
   if not, the text is left as it was, with a warning, rather than risk a user's file.

Before any of that, the text must pass validate's load limits (`spec/limits.py`: size,
nesting depth, alias expansion), refused with the same codes (SS106, SS107, SS108): the
round trip is slow pure Python, and a pre-commit hook must not hang on a hostile file.
Every pass is linear in the text's size (bench/fmt.py measures it).

`format_text` is pure: no file I/O. `syncspec.workspace.fmt` reads and writes files.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field

import yaml
from ruamel.yaml.error import YAMLError

from syncspec.model.diagnostics import Diagnostic, Location, Severity
from syncspec.spec.formatting.order import reorder_document
from syncspec.spec.formatting.scan import Anchor, LineKind, TextFacts, same_data, scan_text
from syncspec.spec.formatting.tree import dump_document, load_documents, strip_line_comments
from syncspec.spec.loading.limits import DEFAULT_LIMITS, LoadLimits
from syncspec.spec.loading.yamlload import load_bytes, too_large

UNFORMATTABLE = "SS110"  # left as it is: fmt cannot rewrite it without risk
_MOVABLE = (LineKind.COMMENT, LineKind.BLANK)
_LIMIT_CODES = frozenset({"SS106", "SS107", "SS108"})


@dataclass(frozen=True)
class FormatResult:
    """The canonical text (the input itself when it cannot be formatted) and why not."""

    text: str
    changed: bool
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass
class _Line:
    text: str
    movable: bool  # a comment or blank line fmt placed (blank runs may be collapsed)

    @property
    def placed_blank(self) -> bool:
        return self.movable and not self.text


@dataclass
class _Group:
    """A run of full-line comments and blank lines, and where it goes."""

    lines: list[str]
    anchor: Anchor | None = None  # None: the document's header or trailer


@dataclass
class _Document:
    header: list[_Group] = field(default_factory=list)
    attached: list[_Group] = field(default_factory=list)
    trailer: list[_Group] = field(default_factory=list)


class _Unformattable(Exception):
    pass


def format_text(text: str, *, display: str, limits: LoadLimits = DEFAULT_LIMITS) -> FormatResult:
    """Format one file's text; `display` is the name diagnostics use for it."""
    source = text.removeprefix("\ufeff").replace("\r\n", "\n")
    refused = _over_limits(source, display, limits)
    if refused is not None:
        return FormatResult(text, False, (refused,))
    try:
        documents = load_documents(source)
    except YAMLError as exc:
        return FormatResult(text, False, (_syntax_diagnostic(exc, source, display),))
    except RecursionError:
        return FormatResult(text, False, (_diagnostic("SS107", "nesting too deep to format", display),))
    try:
        formatted = _format(source, documents)
    except _Unformattable as exc:
        message = f"left as it is: {exc}"
        return FormatResult(text, False, (_diagnostic(UNFORMATTABLE, message, display, Severity.WARNING),))
    except RecursionError:
        return FormatResult(text, False, (_diagnostic("SS107", "nesting too deep to format", display),))
    return FormatResult(formatted, formatted != text)


def _over_limits(source: str, display: str, limits: LoadLimits) -> Diagnostic | None:
    """Validate's refusal of a file too large, too deep or with too many aliases, if any."""
    data = source.encode("utf-8")
    if len(data) > limits.max_bytes:
        return too_large(display, limits)
    # the loader's fast path costs a small fraction of the round trip below
    loaded = load_bytes(data, display, limits=limits)
    return next((d for d in loaded.diagnostics if d.code in _LIMIT_CODES), None)


def _format(source: str, documents: list[object]) -> str:
    facts = _facts(source)
    if facts.unsupported:
        raise _Unformattable(f"fmt does not handle {facts.unsupported}")
    if len(facts.documents) != len(documents):
        raise _Unformattable("the document count differs between YAML readers")
    for document in documents:
        if document is not None and not isinstance(document, dict):
            raise _Unformattable("a document is not a mapping")
    ranges, explicit_first = _document_ranges(facts, len(documents))
    out: list[_Line] = []
    preamble_end = ranges[0][0] - 1 if explicit_first else 0
    for index in range(preamble_end):
        if facts.kinds[index] not in (*_MOVABLE, LineKind.DIRECTIVE):
            raise _Unformattable("content before the first `---`")
        out.append(_Line(facts.lines[index].rstrip(), facts.kinds[index] is not LineKind.DIRECTIVE))
    for number, (document, (start, end)) in enumerate(zip(documents, ranges, strict=True)):
        if explicit_first or number:
            marker = start - 1
            note = facts.marker_comments.get(marker)
            out.append(_Line(f"--- {note}" if note else "---", False))
        placed = _place_groups(facts, number, start, end)
        strip_line_comments(document, facts.kinds)
        reorder_document(document)
        out.extend(_render_document(document, placed))
    if not documents:
        out = [_Line(line.rstrip(), True) for line in facts.lines]
    formatted = _join(_tidy(out))
    _verify(facts, formatted)
    return formatted


def _facts(text: str) -> TextFacts:
    try:
        return scan_text(text)
    except yaml.YAMLError as exc:
        raise _Unformattable(f"a second YAML reader rejects it ({exc.__class__.__name__})") from exc


def _document_ranges(facts: TextFacts, count: int) -> tuple[list[tuple[int, int]], bool]:
    """Line range [start, end) of each document's body, and whether the first has `---`."""
    markers = list(facts.markers)
    if count == 0:
        return [], False
    if len(markers) == count:
        starts, explicit = [m + 1 for m in markers], True
    elif len(markers) == count - 1:
        starts, explicit = [0, *(m + 1 for m in markers)], False
    else:
        raise _Unformattable("unexpected document markers")
    ends = [m for m in markers if m >= starts[0]] + [len(facts.lines)]
    return [(start, ends[index]) for index, start in enumerate(starts)], explicit


def _place_groups(facts: TextFacts, number: int, start: int, end: int) -> _Document:
    anchors = sorted(facts.anchors[number], key=lambda a: a.line)  # stable: outer first per line
    anchor_lines = [a.line for a in anchors]  # searched by bisection: one group per key is common
    placed = _Document()
    seen_content = False
    index = start
    while index < end:
        if facts.kinds[index] not in _MOVABLE:
            seen_content = True
            index += 1
            continue
        first = index
        while index < end and facts.kinds[index] in _MOVABLE:
            index += 1
        group = _Group([facts.lines[i] for i in range(first, index)])
        at = bisect_left(anchor_lines, index)
        following = anchors[at] if at < len(anchors) else None
        if not seen_content:
            placed.header.append(group)
        elif following is None:
            placed.trailer.append(group)
        else:
            group.anchor = following
            placed.attached.append(group)
    return placed


def _render_document(document: object, placed: _Document) -> list[_Line]:
    out = [_Line(line, True) for group in placed.header for line in _shape(group.lines, "")]
    if document is not None:
        body = dump_document(document)
        body_facts = _facts(body)
        where = {a.path: a for a in body_facts.anchors[0]} if body_facts.anchors else {}
        before: dict[int, list[str]] = {}
        for group in placed.attached:
            assert group.anchor is not None
            target = where.get(group.anchor.path)
            if target is None:
                raise _Unformattable("a comment lost the key it belongs to")
            line = body_facts.lines[target.line]
            indent = line[: len(line) - len(line.lstrip())]
            lines = _shape(group.lines, indent)
            if target.first_child:
                lines = _trim_blank(lines, leading=True)
            before.setdefault(target.line, []).extend(lines)
        for number, (line, kind) in enumerate(zip(body_facts.lines, body_facts.kinds, strict=True)):
            out.extend(_Line(text, True) for text in before.get(number, []))
            out.append(_Line(line if kind is LineKind.INTERIOR else line.rstrip(), False))
    out.extend(_Line(line, True) for group in placed.trailer for line in _shape(group.lines, ""))
    return out


def _shape(lines: list[str], indent: str) -> list[str]:
    return [indent + line.strip() if line.strip() else "" for line in lines]


def _trim_blank(lines: list[str], *, leading: bool) -> list[str]:
    start = 0
    while leading and start < len(lines) and not lines[start]:
        start += 1
    return lines[start:]


def _tidy(lines: list[_Line]) -> list[str]:
    """Collapse runs of placed blank lines; none at the start, end, or next to `---`."""
    out: list[_Line] = []
    for line in lines:
        if line.placed_blank and (not out or out[-1].placed_blank or out[-1].text.startswith("---")):
            continue
        if line.text.startswith("---") and not line.movable:
            _drop_trailing_blanks(out)
        out.append(line)
    _drop_trailing_blanks(out)
    return [line.text for line in out]


def _drop_trailing_blanks(out: list[_Line]) -> None:
    while out and out[-1].placed_blank:
        out.pop()


def _join(lines: list[str]) -> str:
    return "\n".join(lines) + "\n" if lines else ""


def _verify(before: TextFacts, formatted: str) -> None:
    after = _facts(formatted)
    if not same_data(before.documents, after.documents):
        raise _Unformattable("formatting would change the data")
    if Counter(before.comments) != Counter(after.comments):
        raise _Unformattable("formatting would lose or alter a comment")


def _syntax_diagnostic(exc: YAMLError, source: str, display: str) -> Diagnostic:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or getattr(exc, "context", None)
    code = "SS103" if type(exc).__name__ == "DuplicateKeyError" else "SS101"
    if mark is not None:
        line, column = mark.line, mark.column
    else:  # reader errors (control characters) carry a character offset only
        offset = min(int(getattr(exc, "position", 0) or 0), len(source))
        line = source.count("\n", 0, offset)
        column = offset - (source.rfind("\n", 0, offset) + 1)
        problem = problem or _reader_problem(exc)
    message = str(problem or type(exc).__name__)
    return Diagnostic(Severity.ERROR, code, message, Location(display, line + 1, column + 1))


def _reader_problem(exc: YAMLError) -> str:
    character = getattr(exc, "character", None)
    if isinstance(character, str) and character:
        return f"character U+{ord(character):04X} is not allowed in YAML"
    return str(exc).splitlines()[0]


def _diagnostic(code: str, message: str, display: str, severity: Severity = Severity.ERROR) -> Diagnostic:
    return Diagnostic(severity, code, message, Location(display))
