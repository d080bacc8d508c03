""" "Did you mean" for a name that matches nothing: only names that are really close, and the
look-alike character when a name differs from a known one only by non-ASCII letters.

A suggestion that is not close misleads more than none (`demo-sweden` for `demo-nederland`),
so the bar is a similarity ratio of at least `CLOSE_RATIO` (difflib's: twice the matched
characters over both lengths). A name typed with a Cyrillic `о` for a Latin `o` looks right on
screen and is the hardest typo to see, so it is named by its code point and Unicode name.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable

CLOSE_RATIO = 0.75


def close_names(word: str, known: Iterable[str], count: int = 1) -> list[str]:
    """Up to `count` known names close to `word`, closest first (a different case counts as close)."""
    names = sorted(set(known))
    close = difflib.get_close_matches(word, names, n=count, cutoff=CLOSE_RATIO)
    if not close:
        close = [n for n in names if n.lower() == word.lower()][:count]
    return close


def look_alike(word: str, known: Iterable[str]) -> tuple[str, str] | None:
    """The known name that `word` spells with non-ASCII look-alikes, and the sentence naming them.

    Only a known name of the same length that differs from `word` solely where `word` has a
    non-ASCII character qualifies: that is a look-alike, not a typo.
    """
    for name in sorted(set(known)):
        if len(name) != len(word) or name == word:
            continue
        pairs = [(w, n) for w, n in zip(word, name, strict=True) if w != n]
        if pairs and all(not w.isascii() for w, _ in pairs):
            what = ", ".join(f"{_describe(w)} where {n!r}" for w, n in dict(pairs).items())
            return name, f"{word!r} contains {what} was probably meant"
    return None


def _describe(character: str) -> str:
    return f"U+{ord(character):04X} {unicodedata.name(character, 'UNNAMED CHARACTER')}"


# Cyrillic and Greek letters drawn like Latin ones (the usual look-alikes on a keyboard
# switched to another layout); accented and full-width letters are found by NFKD instead.
_LOOK_ALIKES = dict(
    zip(
        "аеорсухіјѕԁһԛԝАВЕКМНОРСТХІЈЅοαινρκυΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
        "aeopcyxijsdhqwABEKMHOPCTXIJSoaivpkuABEZHIKMNOPTYX",
        strict=True,
    )
)


def ascii_look_alike(character: str) -> str:
    """The ASCII letter `character` is drawn like ("" when none is known)."""
    if character in _LOOK_ALIKES:
        return _LOOK_ALIKES[character]
    plain = "".join(c for c in unicodedata.normalize("NFKD", character) if not unicodedata.combining(c))
    return plain if plain.isascii() and len(plain) == 1 else ""


def non_ascii_note(word: str) -> str:
    """For a word with non-ASCII characters: which ones, and the ASCII letter each looks like.

    "" for an ASCII word. Used where no known name can be compared (a schema pattern).
    """
    odd = list(dict.fromkeys(c for c in word if not c.isascii()))
    if not odd:
        return ""
    parts = []
    for character in odd:
        meant = ascii_look_alike(character)
        parts.append(_describe(character) + (f" where {meant!r} was probably meant" if meant else ""))
    return f"{word!r} contains {', '.join(parts)}"


def with_note(word: object, hint: str) -> str:
    """`hint`, after the non-ASCII note for `word` when it has one."""
    note = non_ascii_note(word) if isinstance(word, str) else ""
    return f"{note}; {hint}" if note and hint else note or hint


def did_you_mean(word: str, known: Iterable[str], count: int = 1) -> str:
    """The hint for an unknown `word` ("" when no known name is close)."""
    names = sorted(set(known))
    alike = look_alike(word, names)
    if alike is not None:
        name, sentence = alike
        return f"{sentence}; did you mean {name!r}?"
    close = close_names(word, names, count)
    return "did you mean " + " or ".join(repr(c) for c in close) + "?" if close else ""
