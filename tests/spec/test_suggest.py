"""The did-you-mean hints: only close names, and look-alike characters named."""

from __future__ import annotations

from syncspec.spec.crossdoc import check_cross_documents
from syncspec.spec.loading.yamlload import load_bytes
from syncspec.spec.schema.check import check_documents
from syncspec.spec.suggest import close_names, did_you_mean, look_alike, non_ascii_note

KNOWN = ["demo-norway", "demo-sweden"]


def test_a_name_that_is_not_close_gets_no_suggestion() -> None:
    assert close_names("demo-nederland", KNOWN) == []
    assert did_you_mean("demo-nederland", KNOWN) == ""


def test_a_close_name_is_suggested() -> None:
    assert did_you_mean("demo-norwy", KNOWN) == "did you mean 'demo-norway'?"
    assert did_you_mean("Demo-Sweden", KNOWN) == "did you mean 'demo-sweden'?"


def test_a_cyrillic_look_alike_is_named_by_code_point_and_name() -> None:
    word = "demo-n\u043erway"  # Cyrillic small o
    assert look_alike(word, KNOWN) is not None
    assert did_you_mean(word, KNOWN) == (
        f"{word!r} contains U+043E CYRILLIC SMALL LETTER O where 'o' was probably meant; "
        "did you mean 'demo-norway'?"
    )


def test_an_ascii_typo_is_not_called_a_look_alike() -> None:
    assert look_alike("demo-nurway", KNOWN) is None


def test_sync_priority_with_a_far_name_suggests_nothing_and_a_look_alike_is_named() -> None:
    connection = b"kind: Connection\nname: demo-sweden\nconnector: erp\nactors: {}\n"
    priority = "kind: SyncPriority\norder: [demo-nederland, demo-sw\u0435den]\n".encode()
    documents = [
        *load_bytes(b"kind: Connector\nname: erp\nurl: http://127.0.0.1:1/\n", "c.yaml").documents,
        *load_bytes(connection, "a.yaml").documents,
        *load_bytes(priority, "p.yaml").documents,
    ]
    hints = {d.message: d.hint for d in check_cross_documents(documents) if d.code == "SS210"}
    assert len(hints) == 2, hints
    far = next(h for m, h in hints.items() if "demo-nederland" in m)
    assert "demo-sweden" not in far
    near = next(h for m, h in hints.items() if "demo-sw\u0435den" in m)
    assert "U+0435 CYRILLIC SMALL LETTER IE where 'e' was probably meant" in near


def test_a_non_ascii_letter_is_named_with_the_ascii_letter_it_looks_like() -> None:
    assert non_ascii_note("demo-n\u043erway") == (
        "'demo-n\u043erway' contains U+043E CYRILLIC SMALL LETTER O where 'o' was probably meant"
    )
    assert "U+00E9 LATIN SMALL LETTER E WITH ACUTE where 'e' was probably meant" in non_ascii_note(
        "caf\u00e9"
    )
    assert non_ascii_note("demo-norway") == ""


def test_a_look_alike_in_a_name_that_fails_the_name_pattern_is_named() -> None:
    text = "kind: Connection\nname: demo-n\u043erway\nconnector: erp\nactors: {}\n".encode()
    (diagnostic,) = [d for d in check_documents(load_bytes(text, "c.yaml").documents) if d.code == "SS125"]
    assert diagnostic.hint.startswith(
        "'demo-n\u043erway' contains U+043E CYRILLIC SMALL LETTER O where 'o' was probably meant; "
    )
    assert diagnostic.location is not None and diagnostic.location.line == 2
