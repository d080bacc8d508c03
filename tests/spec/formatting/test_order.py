from __future__ import annotations

from ruamel.yaml import YAML

from syncspec.spec.formatting.order import KEY_ORDERS, canonical_keys, reorder_document


def test_known_keys_first_in_order_then_unknown_in_place() -> None:
    order = ("kind", "name", "url")
    assert canonical_keys(["zeta", "url", "alpha", "kind", "name"], order) == [
        "kind",
        "name",
        "url",
        "zeta",
        "alpha",
    ]


def test_every_kind_puts_kind_first() -> None:
    for kind, patterns in KEY_ORDERS.items():
        assert patterns[()][0] == "kind", kind


def test_nested_patterns_reorder_each_user_keyed_entry() -> None:
    document = YAML().load(
        "fields:\n  B: {mandatory: true, value: 1}\n  A: {prompt: true, value: 2}\nkind: Defaults\n"
    )
    reorder_document(document)
    assert list(document) == ["kind", "fields"]
    assert list(document["fields"]) == ["B", "A"]  # user data keeps its order
    assert [list(v) for v in document["fields"].values()] == [["value", "mandatory"], ["value", "prompt"]]


def test_unknown_kind_and_non_mappings_are_left_alone() -> None:
    document = YAML().load("b: 1\nkind: Other\na: 2\n")
    reorder_document(document)
    assert list(document) == ["b", "kind", "a"]
    reorder_document(["not", "a", "map"])
    reorder_document(None)
