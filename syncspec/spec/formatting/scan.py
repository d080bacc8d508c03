"""Line-level facts about a YAML text, for `fmt`.

ruamel's round trip keeps comments, but attaches full-line comments to whatever token
came before them (often deep inside the previous value), so reordering keys would carry
a comment away from the key it describes. `fmt` therefore handles full-line comments and
blank lines itself, and needs to know, per line, whether it is a movable comment or
blank line, or part of a multi-line scalar or flow collection (where a `#` is content).

The facts come from PyYAML's C scanner and composer: fast, and with exact start and end
marks on every token. They also serve to prove a rewrite safe: same data, same comments.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import yaml

# A position-free address of a node in one document: map keys by their text, items by index.
NodePath = tuple[str | int, ...]

_BLOCK_HEADER = re.compile(r"[|>][0-9+-]*")
_NULL = "tag:yaml.org,2002:null"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineKind(enum.Enum):
    CONTENT = "content"
    COMMENT = "comment"  # only a comment: movable
    BLANK = "blank"  # movable
    INTERIOR = "interior"  # inside a multi-line scalar or flow collection: never touched
    MARKER = "marker"  # a `---` document start
    DIRECTIVE = "directive"  # `%YAML`, `%TAG`


@dataclass(frozen=True)
class Anchor:
    """A block-map key or block-sequence item that starts on `line` (0-based)."""

    line: int
    path: NodePath
    first_child: bool  # first key or item of its parent collection


@dataclass(frozen=True)
class TextFacts:
    lines: tuple[str, ...]
    kinds: tuple[LineKind, ...]
    comments: tuple[str, ...]  # every comment's text, sorted (full-line and end-of-line)
    markers: tuple[int, ...]  # lines holding `---`
    marker_comments: dict[int, str]  # `--- # note` -> {line: "# note"}
    documents: tuple[yaml.Node | None, ...]
    anchors: tuple[tuple[Anchor, ...], ...]  # per document, in document order
    unsupported: str  # why fmt must leave this text alone ("" = fine)


def split_lines(text: str) -> list[str]:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def scan_text(text: str) -> TextFacts:
    """Facts about `text`; raises yaml.YAMLError when PyYAML cannot read it."""
    lines = split_lines(text)
    tokens = list(yaml.scan(text, Loader=_LOADER))
    documents = tuple(yaml.compose_all(text, Loader=_LOADER))
    scan = _TokenScan(lines)
    for token in tokens:
        scan.add(token)
    interior, covered, markers, flow_lines = scan.interior, scan.covered, scan.markers, scan.flow_lines
    untouchable = interior | flow_lines
    marker_lines = set(markers)  # a set: one membership test per line, however many documents
    kinds = tuple(
        _classify(i, line, untouchable, marker_lines, scan.directives) for i, line in enumerate(lines)
    )
    marker_comments, on_marker = _marker_comments(lines, markers, scan.occupied, covered)
    unsupported = scan.unsupported or on_marker
    return TextFacts(
        lines=tuple(lines),
        kinds=kinds,
        comments=tuple(sorted(_comments(lines, kinds, covered, flow_lines - interior))),
        markers=tuple(markers),
        marker_comments=marker_comments,
        documents=documents,
        anchors=tuple(tuple(_anchors(doc)) for doc in documents),
        unsupported=unsupported,
    )


def _scalar_interior(token: yaml.ScalarToken, lines: list[str]) -> range | list[int]:
    start, end = token.start_mark, token.end_mark
    if token.style not in ("|", ">"):
        return range(start.line + 1, end.line + 1)
    last = end.line
    if last >= len(lines) or not lines[last][: end.column].strip():
        last -= 1  # the block ended before any content on its end line
    header = _BLOCK_HEADER.match(lines[start.line], start.column)
    keep = header is not None and "+" in header.group()
    rows = list(range(start.line + 1, last + 1))
    while rows and not keep and not lines[rows[-1]].strip():
        rows.pop()  # trailing blank lines are not part of a clipped or stripped scalar
    return rows


def _start_line_cover(token: yaml.Token, lines: list[str]) -> int:
    """How far a token that continues on later lines covers the line it starts on."""
    start = token.start_mark
    if isinstance(token, yaml.ScalarToken) and token.style in ("|", ">"):
        header = _BLOCK_HEADER.match(lines[start.line], start.column)
        return header.end() if header else start.column + 1
    return len(lines[start.line]) if start.line < len(lines) else 0


def _classify(index: int, line: str, interior: set[int], markers: set[int], directives: set[int]) -> LineKind:
    if index in interior:
        return LineKind.INTERIOR
    if index in markers:
        return LineKind.MARKER
    if index in directives:
        return LineKind.DIRECTIVE
    stripped = line.strip()
    if not stripped:
        return LineKind.BLANK
    if stripped.startswith("#"):
        return LineKind.COMMENT
    return LineKind.CONTENT


def _comments(
    lines: list[str], kinds: tuple[LineKind, ...], covered: dict[int, int], flow_lines: set[int]
) -> Iterator[str]:
    for index, (line, kind) in enumerate(zip(lines, kinds, strict=True)):
        if kind is LineKind.COMMENT or (index in flow_lines and line.strip().startswith("#")):
            yield line.strip()
        elif kind is not LineKind.INTERIOR or index in flow_lines:
            tail = line[covered.get(index, 0) :].strip()
            if tail.startswith("#"):
                yield tail


def _anchors(root: yaml.Node | None) -> Iterator[Anchor]:
    """Block keys and items in document order (outer before inner on the same line)."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, NodePath]] = [(root, ())] if root is not None else []
    while stack:
        node, path = stack.pop()
        if id(node) in seen or getattr(node, "flow_style", False):
            continue  # an alias repeats a subtree already indexed; flow content is left to ruamel
        seen.add(id(node))
        children: list[tuple[yaml.Node, NodePath, int]] = []
        if isinstance(node, yaml.MappingNode):
            for index, (key, value) in enumerate(node.value):
                if not isinstance(key, yaml.ScalarNode):
                    continue
                child = (*path, key.value)
                yield Anchor(key.start_mark.line, child, index == 0)
                children.append((value, child, index))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                yield Anchor(item.start_mark.line, (*path, index), index == 0)
                children.append((item, (*path, index), index))
        stack.extend((child, child_path) for child, child_path, _ in reversed(children))


@dataclass
class _TokenScan:
    """What the tokens of one text say about its lines, gathered token by token."""

    lines: list[str]
    interior: set[int] = field(default_factory=set)
    covered: dict[int, int] = field(default_factory=dict)  # line -> column up to which tokens cover it
    markers: list[int] = field(default_factory=list)
    directives: set[int] = field(default_factory=set)
    unsupported: str = ""
    occupied: set[int] = field(default_factory=set)  # lines where some token with content starts
    flow_lines: set[int] = field(default_factory=set)  # continuation lines of multi-line flow collections
    flow_depth: int = 0
    flow_start: int = 0

    def add(self, token: yaml.Token) -> None:
        start, end = token.start_mark, token.end_mark
        self._kind(token)
        if end.line > start.line:
            cover = _start_line_cover(token, self.lines)
            self.covered[start.line] = max(self.covered.get(start.line, 0), cover)
        self.covered[end.line] = max(self.covered.get(end.line, 0), end.column)
        if start.index != end.index and not isinstance(token, yaml.DocumentStartToken):
            self.occupied.add(start.line)

    def _kind(self, token: yaml.Token) -> None:
        start, end = token.start_mark, token.end_mark
        if isinstance(token, yaml.DocumentStartToken):
            self.markers.append(start.line)
        elif isinstance(token, yaml.DocumentEndToken):
            self.unsupported = "document end markers (`...`)"
        elif isinstance(token, yaml.DirectiveToken):
            self.directives.add(start.line)
        elif isinstance(token, yaml.FlowMappingStartToken | yaml.FlowSequenceStartToken):
            if self.flow_depth == 0:
                self.flow_start = start.line
            self.flow_depth += 1
        elif isinstance(token, yaml.FlowMappingEndToken | yaml.FlowSequenceEndToken):
            self.flow_depth -= 1
            if self.flow_depth == 0:
                self.flow_lines.update(range(self.flow_start + 1, end.line + 1))
        elif isinstance(token, yaml.ScalarToken) and end.line > start.line:
            self.interior.update(_scalar_interior(token, self.lines))


def _marker_comments(
    lines: list[str], markers: list[int], occupied: set[int], covered: dict[int, int]
) -> tuple[dict[int, str], str]:
    """`--- # note` comments by line, and why fmt must leave the text alone ("" = fine)."""
    comments: dict[int, str] = {}
    unsupported = ""
    for line in markers:
        if line in occupied:
            unsupported = unsupported or "content on a `---` line"
            continue
        tail = lines[line][covered.get(line, 3) :].strip()
        if tail:
            comments[line] = tail
    return comments, unsupported


def same_data(left: tuple[yaml.Node | None, ...], right: tuple[yaml.Node | None, ...]) -> bool:
    """True when two composed streams hold the same data (map order aside)."""
    if len(left) != len(right):
        return False
    pending: list[tuple[yaml.Node | None, yaml.Node | None]] = list(zip(left, right, strict=True))
    compared: set[tuple[int, int]] = set()
    while pending:
        a, b = pending.pop()
        if a is None or b is None:
            if a is not b:
                return False
            continue
        if (id(a), id(b)) in compared:
            continue  # aliases: each pair of shared nodes is compared once
        compared.add((id(a), id(b)))
        children = _same_node(a, b)
        if children is None:
            return False
        pending.extend(children)
    return True


def _same_node(a: yaml.Node, b: yaml.Node) -> list[tuple[yaml.Node, yaml.Node]] | None:
    """The child pairs still to compare when `a` and `b` agree by themselves; None when they differ."""
    if type(a) is not type(b) or a.tag != b.tag:
        return None
    if isinstance(a, yaml.ScalarNode):
        # `X:`, `X: ~` and `X: null` are one value
        return [] if a.value == b.value or a.tag == _NULL else None
    if isinstance(a, yaml.SequenceNode):
        return list(zip(a.value, b.value, strict=True)) if len(a.value) == len(b.value) else None
    if isinstance(a, yaml.MappingNode) and isinstance(b, yaml.MappingNode):
        pairs = _keyed(a)
        others = _keyed(b)
        if pairs is None or others is None or pairs.keys() != others.keys():
            return None
        return [(value, others[key]) for key, value in pairs.items()]
    return []


def _keyed(node: yaml.MappingNode) -> dict[tuple[str, str], yaml.Node] | None:
    out: dict[tuple[str, str], yaml.Node] = {}
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode) or (key.tag, key.value) in out:
            return None  # complex or repeated keys: too odd to prove anything about
        out[(key.tag, key.value)] = value
    return out
