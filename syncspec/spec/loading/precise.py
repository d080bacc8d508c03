"""The precise YAML path: plain values plus a position for every key and item.

Built from libyaml's event stream (PyYAML's C parser) with an explicit stack instead of
`compose`: composing recurses once per nesting level and crashes the interpreter on a
few thousand levels, while the event parser keeps its own stack. Walking events also
lets us stop at the first level past the depth limit and count alias expansions before
anything is materialised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml import events as ev

from syncspec.model.diagnostics import Diagnostic, Location, Severity
from syncspec.model.source import JsonPath, format_json_path
from syncspec.spec.loading.limits import LoadLimits
from syncspec.spec.loading.yaml12 import CORE_TAG_PREFIX, TagError, resolve_plain, resolve_tagged

_COLLECTION_TAGS = frozenset({None, "!", CORE_TAG_PREFIX + "map", CORE_TAG_PREFIX + "seq"})

# What a node is to its parent.
_ROOT, _KEY, _VALUE, _ITEM, _DISCARD = range(5)


@dataclass
class PreciseDocument:
    """One non-empty document: its data (None when it had errors), start line, positions."""

    ordinal: int
    data: Any
    first_line: int
    positions: dict[JsonPath, tuple[int, int]]
    ok: bool
    # what could be read of a document with errors (a mapping, or None): its kind and name still
    # count for the other documents, so one duplicate key does not make them all "unknown"
    readable: Any = None


@dataclass
class PreciseResult:
    documents: list[PreciseDocument] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


class _Frame:
    __slots__ = ("anchor", "container", "expect_key", "is_map", "key", "mark", "path", "role", "size")

    def __init__(
        self, container: Any, path: JsonPath | None, role: int, anchor: str | None, mark: Any
    ) -> None:
        self.container = container
        self.path = path
        self.role = role
        self.anchor = anchor
        self.mark = mark
        self.is_map = isinstance(container, dict)
        self.expect_key = True
        self.key: str | None = None
        self.size = 1


class _Stop(Exception):
    """Parsing must end now (a limit was hit); the diagnostic is already recorded."""


_EMPTY = object()


class _Builder:
    def __init__(self, display: str, limits: LoadLimits) -> None:
        self.display = display
        self.limits = limits
        self.result = PreciseResult()
        self.stack: list[_Frame] = []
        self.alias_nodes = 0
        self.ordinal = 0
        self._new_document(None)

    # -- diagnostics -------------------------------------------------------------------
    def report(self, code: str, message: str, mark: Any, hint: str, path: JsonPath = ()) -> None:
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        where = Location(self.display, line, column, format_json_path(path))
        self.result.diagnostics.append(Diagnostic(Severity.ERROR, code, message, where, hint))
        self.doc_ok = False

    # -- documents ---------------------------------------------------------------------
    def _new_document(self, mark: Any) -> None:
        self.doc_mark = mark
        self.doc_ok = True
        self.root: Any = _EMPTY
        self.anchors: dict[str, tuple[Any, int]] = {}
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        self.positions: dict[JsonPath, tuple[int, int]] = {(): (line, column)}

    def _end_document(self) -> None:
        if self.root is _EMPTY:
            return  # `---` with nothing after it: not a document
        first_line = self.positions[()][0]
        if self.doc_ok and not isinstance(self.root, dict):
            what = "a list" if isinstance(self.root, list) else f"a single value ({_kind_of(self.root)})"
            self.report(
                "SS105",
                f"document {self.ordinal + 1} is {what}, not a mapping",
                self.doc_mark,
                "each document must be a mapping of keys to values, starting with 'kind:'",
            )
        data = self.root if self.doc_ok else None
        readable = self.root if not self.doc_ok and isinstance(self.root, dict) else None
        self.result.documents.append(
            PreciseDocument(self.ordinal, data, first_line, self.positions, self.doc_ok, readable)
        )
        self.ordinal += 1

    # -- nodes -------------------------------------------------------------------------
    def _place(self, mark: Any) -> tuple[JsonPath | None, int]:
        if not self.stack:
            return (), _ROOT
        parent = self.stack[-1]
        if parent.path is None:
            return None, _DISCARD
        if parent.is_map:
            if parent.expect_key:
                return None, _KEY
            if parent.key is None:
                return None, _DISCARD
            return (*parent.path, parent.key), _VALUE
        path = (*parent.path, len(parent.container))
        self.positions[path] = (mark.line + 1, mark.column + 1)
        return path, _ITEM

    def _finish(self, value: Any, size: int, role: int, anchor: str | None, mark: Any) -> None:
        if anchor is not None:
            self.anchors[anchor] = (value, size)
        if role == _ROOT:
            self.root = value
            return
        parent = self.stack[-1]
        parent.size += size
        if role == _KEY:
            parent.expect_key = False
            parent.key = self._check_key(parent, value, mark)
        elif role == _ITEM:
            parent.container.append(value)
        elif parent.is_map:  # a value, kept or discarded
            if role == _VALUE:
                parent.container[parent.key] = value
            parent.expect_key = True
            parent.key = None

    def _check_key(self, parent: _Frame, key: Any, mark: Any) -> str | None:
        assert parent.path is not None
        if not isinstance(key, str):
            shown = "a list" if isinstance(key, list) else "a mapping" if isinstance(key, dict) else repr(key)
            self.report(
                "SS109",
                f"a mapping key must be text, not {shown}",
                mark,
                "quote the key (e.g. '1': or 'true':) so it is read as text",
                parent.path,
            )
            return None
        path = (*parent.path, key)
        if key in parent.container:
            first = self.positions.get(path, (0, 0))[0]
            self.report(
                "SS103",
                f"duplicate key {key!r} (first defined on line {first})",
                mark,
                "remove one of the two entries or merge them; YAML keeps only one",
                path,
            )
            return None
        self.positions[path] = (mark.line + 1, mark.column + 1)
        return key

    def _scalar(self, event: ev.ScalarEvent) -> None:
        path, role = self._place(event.start_mark)
        tag = event.tag
        value: Any
        if tag is None:
            plain = event.implicit[0]
            if plain and role == _ROOT and event.value == "" and event.anchor is None:
                return  # nothing after `---`: the document stays empty
            value = resolve_plain(event.value) if plain else event.value
        else:
            try:
                value = resolve_tagged(tag, event.value)
            except TagError as exc:
                self.report(
                    "SS101", str(exc), event.start_mark, "remove the tag or quote the value", path or ()
                )
                value = event.value
        self._finish(value, 1, role, event.anchor, event.start_mark)

    def _alias(self, event: ev.AliasEvent) -> None:
        path, role = self._place(event.start_mark)
        found = self.anchors.get(event.anchor or "")
        if found is None:
            self.report(
                "SS101",
                f"alias *{event.anchor} refers to no anchor defined before it",
                event.start_mark,
                f"define &{event.anchor} earlier in the same document (not around the alias itself)",
                path or (),
            )
            raise _Stop
        value, size = found
        self.alias_nodes += size
        if self.alias_nodes > self.limits.max_alias_nodes:
            self.report(
                "SS108",
                f"aliases expand to more than {self.limits.max_alias_nodes:,} nodes",
                event.start_mark,
                "write the repeated values out, or use fewer nested aliases",
                path or (),
            )
            raise _Stop
        self._finish(value, size, role, None, event.start_mark)

    def _start(self, event: ev.CollectionStartEvent, container: Any) -> None:
        if len(self.stack) >= self.limits.max_depth:
            self.report(
                "SS107",
                f"nesting deeper than {self.limits.max_depth} levels",
                event.start_mark,
                "flatten the structure; syncspec files never need this much nesting",
            )
            raise _Stop
        path, role = self._place(event.start_mark)
        if event.tag not in _COLLECTION_TAGS:
            self.report(
                "SS101", f"unsupported tag {event.tag!r}", event.start_mark, "remove the tag", path or ()
            )
        if role == _KEY:
            path = None  # a collection used as a key: consumed, reported when complete
        self.stack.append(_Frame(container, path, role, event.anchor, event.start_mark))

    def _end(self) -> None:
        frame = self.stack.pop()
        self._finish(frame.container, frame.size, frame.role, frame.anchor, frame.mark)

    def feed(self, event: ev.Event) -> None:
        kind = type(event)
        if kind is ev.ScalarEvent:
            self._scalar(event)  # type: ignore[arg-type]
        elif kind is ev.MappingStartEvent:
            self._start(event, {})  # type: ignore[arg-type]
        elif kind is ev.SequenceStartEvent:
            self._start(event, [])  # type: ignore[arg-type]
        elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
            self._end()
        elif kind is ev.AliasEvent:
            self._alias(event)  # type: ignore[arg-type]
        elif kind is ev.DocumentStartEvent:
            self._new_document(event.start_mark)
        elif kind is ev.DocumentEndEvent:
            self._end_document()


def parse_precise(text: str, display: str, limits: LoadLimits) -> PreciseResult:
    """Every document of `text` with positions, and located diagnostics; never raises."""
    builder = _Builder(display, limits)
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            builder.feed(event)
    except _Stop:
        pass
    except yaml.MarkedYAMLError as exc:
        if _is_parser_depth_limit(exc):
            return _depth_limit(exc, text, display, limits)
        _syntax_error(builder, exc, text)
    except yaml.YAMLError as exc:  # reader errors: the loader screens these out first
        builder.report(
            "SS101", f"YAML error: {_one_line(str(exc))}", None, "check the file's encoding and syntax"
        )
    return builder.result


def _is_parser_depth_limit(exc: yaml.MarkedYAMLError) -> bool:
    # libyaml 0.2.5 as bundled with PyYAML 6.0.4 stops at 1,000 levels ("exceeded maximum
    # nesting depth"); its scanner reads ahead over a run of `[`, so that limit can fire before
    # the builder has seen the level that passes syncspec's own limit.
    return "nesting" in (exc.problem or "") or "depth" in (exc.problem or "")


def _depth_limit(exc: yaml.MarkedYAMLError, text: str, display: str, limits: LoadLimits) -> PreciseResult:
    """SS107 for a file the parser refused as too deep: syncspec's limit decides, not the parser's.

    The text before the parser's mark nests no deeper than the parser allows, so parsing that
    prefix again lets the builder meet the first level past `limits.max_depth` and report it
    where it is. Only when the parser's own limit is the lower one does the parser's mark stand.
    """
    mark = exc.problem_mark
    if mark is not None and mark.index > 0:
        builder = _Builder(display, limits)
        try:
            for event in yaml.parse(text[: mark.index], Loader=yaml.CSafeLoader):
                builder.feed(event)
        except _Stop:
            if any(d.code == "SS107" for d in builder.result.diagnostics):
                return builder.result
        except yaml.YAMLError:
            pass  # the prefix ends mid-collection: expected, and not the file's real problem
    builder = _Builder(display, limits)
    builder.report(
        "SS107",
        f"nesting deeper than the YAML parser allows ({_one_line(exc.problem or '')})",
        mark,
        "flatten the structure; syncspec files never need this much nesting",
    )
    return builder.result


def _syntax_error(builder: _Builder, exc: yaml.MarkedYAMLError, text: str) -> None:
    problem = _one_line(exc.problem or "invalid YAML")
    mark = exc.problem_mark
    hint = "check indentation and quoting on this line and the one before"
    if mark is not None and text[mark.index : mark.index + 1] == "\t":
        problem = "a tab character where YAML expects indentation or a value"
        hint = "indent with spaces: YAML does not allow tabs in indentation"
    elif "end of stream" in problem and exc.context and exc.context_mark is not None:
        mark = exc.context_mark  # point at what was left open, not at the end of the file
        if "quoted scalar" in exc.context:
            problem = "unclosed quote: the string starting here never ends"
            hint = "add the closing quote"
        else:
            problem = f"{problem} {exc.context}"
    elif exc.context and exc.context_mark is not None:
        problem = f"{problem} ({exc.context} from line {exc.context_mark.line + 1})"
    builder.report("SS101", f"YAML syntax error: {problem}", mark, hint)


def _kind_of(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "boolean", int: "number", float: "number", str: "text"}.get(
        type(value), type(value).__name__
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())
