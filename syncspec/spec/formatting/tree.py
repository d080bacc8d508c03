"""ruamel.yaml round trip for `fmt`: load, drop full-line comments, dump canonically.

Full-line comments and blank lines are taken out of ruamel's tree because `fmt` puts
them back itself, next to the key they precede (see fmt_scan). End-of-line comments
stay in the tree: ruamel keeps them on their key, which is where they belong.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedBase
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.tokens import CommentToken

from syncspec.spec.formatting.scan import LineKind

# Lines whose end-of-line comment ruamel may hold (anything else is a full-line comment).
_EOL_KINDS = (LineKind.CONTENT, LineKind.MARKER, LineKind.INTERIOR)


class _Representer(RoundTripRepresenter):
    """Writes null as `null`: in list mappings an explicit null means "no selection"."""

    def represent_none(self, data: None) -> ScalarNode:
        return self.represent_scalar("tag:yaml.org,2002:null", "null")


_Representer.add_representer(type(None), _Representer.represent_none)


def _round_trip() -> YAML:
    yaml = YAML(typ="rt")  # YAML 1.2: `NO` stays a string
    yaml.Representer = _Representer
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 1 << 20  # never re-wrap long lines
    return yaml


def load_documents(text: str) -> list[Any]:
    """Every document of `text`; raises ruamel's YAMLError on bad input."""
    with warnings.catch_warnings():
        # fmt reformats; judging reused anchors and the like is validate's job
        warnings.simplefilter("ignore")
        return list(_round_trip().load_all(text))


def dump_document(document: Any) -> str:
    out = io.StringIO()
    _round_trip().dump(document, out)
    text = out.getvalue()
    # ruamel ends a document with `...` after a keep-chomped (`|+`) scalar; the next
    # `---` or the end of the file ends it just as well
    return text.removesuffix("...\n")


def strip_line_comments(document: Any, kinds: Sequence[LineKind]) -> None:
    """Remove full-line comments and blank lines from a document's comment tokens."""
    seen: set[int] = set()
    stack = [document]
    while stack:
        node = stack.pop()
        if not isinstance(node, CommentedBase) or id(node) in seen:
            continue
        seen.add(id(node))
        comments = node.ca
        comments.comment = _clean_slots(comments.comment, kinds)
        for key in list(comments.items):
            cleaned = _clean_slots(comments.items[key], kinds)
            if cleaned is None:
                del comments.items[key]  # ruamel indexes any entry it finds
            else:
                comments.items[key] = cleaned
        if getattr(comments, "end", None):
            comments.end = _clean_tokens(comments.end, kinds)
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
        stack.extend(children)


def _clean_slots(slots: Any, kinds: Sequence[LineKind]) -> Any:
    # positional: [end-of-line, [before...], ...]; a None keeps its place, and an
    # emptied list must become None too (ruamel lays out a value differently for [])
    if not isinstance(slots, list):
        return slots
    cleaned = [
        (_clean_tokens(entry, kinds) or None) if isinstance(entry, list) else _keep_eol(entry, kinds)
        for entry in slots
    ]
    return cleaned if any(entry is not None for entry in cleaned) else None


def _clean_tokens(tokens: list[Any], kinds: Sequence[LineKind]) -> list[Any]:
    kept = (_keep_eol(token, kinds) for token in tokens)
    return [token for token in kept if token is not None]


def _keep_eol(token: Any, kinds: Sequence[LineKind]) -> Any:
    if not isinstance(token, CommentToken):
        return token
    line = getattr(token.start_mark, "line", None)
    value = token.value
    if line is None or line >= len(kinds) or kinds[line] not in _EOL_KINDS or value.startswith("\n"):
        return None
    first = value.split("\n", 1)[0]
    if not first.strip():
        return None
    token.value = first + "\n"
    return token
