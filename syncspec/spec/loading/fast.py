"""The fast YAML path: yaml-rs, trusted only where it provably agrees with the precise path.

yaml-rs is ~10x faster than libyaml through PyYAML and reports duplicate keys, but it is
not a YAML 1.2 core-schema loader in every corner: it reads `1_000`, `0b101`, `0X1F`,
`-0o12` and `.iNf` as numbers, ignores tags, and accepts control characters. Rather than
patch its output, `load_fast` declines (returns None) whenever a file could touch one of
those corners, and the caller takes the precise path. For ordinary syncspec files (no
tags, no anchors, few numbers) the checks cost a few string scans.
"""

from __future__ import annotations

import re
from typing import Any

from syncspec.spec.loading.limits import LoadLimits
from syncspec.spec.loading.yaml12 import resolve_number

# A document marker: `---` at the start of a line, followed by a space or the line end.
_MARKER = re.compile(r"^---(?=[ \t\r\n]|$)", re.MULTILINE)
_CONTENT = re.compile(r"^[ \t]*[^\s#]", re.MULTILINE)
_TAG = re.compile(r"(?:^|[\s\[\]{},])!", re.MULTILINE)
_ANCHOR = re.compile(r"(?:^|[\s\[\]{},])[&*]", re.MULTILINE)
# Everything yaml-rs might read as a number is a run of these characters.
_NUMBER_TOKEN = re.compile(r"[-+._0-9][-+._0-9A-Za-z]*")
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.+-")


def load_fast(text: str, limits: LoadLimits) -> list[tuple[dict[str, Any], int]] | None:
    """(document, first line) for each document, or None when the precise path must decide.

    None means "not trusted", never "invalid": errors, odd corners and anything that
    needs a diagnostic are all left to the precise path.
    """
    if not _plain_enough(text, limits):
        return None
    try:
        import yaml_rs

        result = yaml_rs.loads(text, parse_datetime=False, alias_limits=_no_aliases())
    except Exception:  # any refusal (syntax, duplicate key, limits) is the precise path's to explain
        return None
    split = _documents(result, text)
    if split is None:
        return None
    saw_number = False
    for doc, _ in split:
        verdict = _check_tree(doc, limits.max_depth)
        if verdict is None:
            return None
        saw_number = saw_number or verdict
    if saw_number and _has_non_core_number(text):
        return None
    return split


def _plain_enough(text: str, limits: LoadLimits) -> bool:
    if text.startswith(("%", "...")) or "\n%" in text or "\n..." in text:
        return False  # directives and explicit document ends: rare, let libyaml handle them
    if "\t" in text or "\ufeff" in text or "\x85" in text or "\u2028" in text or "\u2029" in text:
        return False  # tabs, BOMs and YAML 1.1 line breaks: corners where yaml-rs and libyaml differ
    if "!" in text and _TAG.search(text):
        return False
    if ("&" in text or "*" in text) and _ANCHOR.search(text):
        return False  # alias expansion is counted by the precise path only
    return max(map(len, text.split("\n"))) <= limits.fast_max_line


def _no_aliases() -> Any:
    import yaml_rs

    # Anchors never reach yaml-rs (see _plain_enough); this is a second fence.
    return yaml_rs.AliasLimits(max_total_replayed_events=0, max_replay_stack_depth=1)


def _documents(result: Any, text: str) -> list[tuple[dict[str, Any], int]] | None:
    markers = [m.start() for m in _MARKER.finditer(text)]
    starts = list(markers)
    first_content = _CONTENT.search(text, 0, markers[0]) if markers else _CONTENT.search(text)
    if first_content is not None:
        starts.insert(0, first_content.start())  # a document before the first `---`
    if isinstance(result, dict):
        docs: list[Any] = [result]
    elif isinstance(result, list) and len(starts) >= 2:
        # yaml-rs returns a list for several documents and for one list document alike;
        # two or more document starts in the text mean it is the former.
        docs = result
    else:
        return None  # empty, a scalar, or possibly a single list: the precise path reports it
    if len(docs) != len(starts) or not all(type(d) is dict for d in docs):
        return None
    return [(doc, text.count("\n", 0, start) + 1) for doc, start in zip(docs, starts, strict=True)]


def _check_tree(root: dict[str, Any], max_depth: int) -> bool | None:
    """None if a key is not a string or nesting is too deep; else whether numbers occur."""
    saw_number = False
    stack: list[tuple[Any, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > max_depth:
            return None
        if type(node) is dict:
            for key in node:
                if type(key) is not str:
                    return None
            values: Any = node.values()
        else:
            values = node
        for value in values:
            kind = type(value)
            if kind is dict or kind is list:
                stack.append((value, depth + 1))
            elif kind is int or kind is float:
                saw_number = True
    return saw_number


def _has_non_core_number(text: str) -> bool:
    """Whether any bare token could be a number to yaml-rs but not to YAML 1.2 core."""
    for match in _NUMBER_TOKEN.finditer(text):
        start = match.start()
        if start and text[start - 1] in _WORD_CHARS:
            continue  # inside a longer word, so not the start of a scalar
        token = match.group()
        if token.strip("-+._") and resolve_number(token) is None:
            return True  # (punctuation alone, like `-` or `---`, is never a number)
    return False
