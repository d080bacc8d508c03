from __future__ import annotations

import yaml

from syncspec.spec.formatting.scan import LineKind, same_data, scan_text

TEXT = """\
# head
---
a: |
  # content, not a comment
  x

# real
b: [1,
  # inside a flow collection
  2]   # after
c: 'NO'  # eol
"""


def test_line_kinds_tell_movable_comments_from_content() -> None:
    facts = scan_text(TEXT)
    assert facts.kinds == (
        LineKind.COMMENT,
        LineKind.MARKER,
        LineKind.CONTENT,
        LineKind.INTERIOR,
        LineKind.INTERIOR,
        LineKind.BLANK,
        LineKind.COMMENT,
        LineKind.CONTENT,
        LineKind.INTERIOR,
        LineKind.INTERIOR,
        LineKind.CONTENT,
    )
    assert facts.markers == (1,)
    assert facts.comments == ("# after", "# eol", "# head", "# inside a flow collection", "# real")


def test_anchors_are_block_keys_and_items_outer_first() -> None:
    facts = scan_text("x:\n  - a: 1\n    b: 2\n")
    assert [(a.line, a.path, a.first_child) for a in facts.anchors[0]] == [
        (0, ("x",), True),
        (1, ("x", 0), True),
        (1, ("x", 0, "a"), True),
        (2, ("x", 0, "b"), False),
    ]


def test_same_data_ignores_map_order_and_null_spelling_but_not_quoting() -> None:
    def docs(text: str) -> tuple[yaml.Node | None, ...]:
        return scan_text(text).documents

    assert same_data(docs("a: 1\nb: ~\n"), docs("b: null\na: 1\n"))
    assert not same_data(docs("a: 'NO'\n"), docs("a: NO\n"))
    assert not same_data(docs("a: [1, 2]\n"), docs("a: [2, 1]\n"))
    assert not same_data(docs("a: 1\n"), docs("a: 1\n---\n"))


def test_alias_heavy_input_is_compared_without_blowing_up() -> None:
    lines = ["a0: &a0 [x, x]"] + [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]" for i in range(1, 30)]
    text = "\n".join(lines) + "\n"
    assert same_data(scan_text(text).documents, scan_text(text).documents)
