"""Colour: --no-color, then NO_COLOR, then FORCE_COLOR, then whether the stream is a terminal."""

from __future__ import annotations

import io

import pytest

from syncspec.render.style import colour_wanted


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("terminal", "environ", "no_color", "wanted"),
    [
        (False, {}, False, False),
        (True, {}, False, True),
        (False, {"FORCE_COLOR": "1"}, False, True),  # a CI log that renders ANSI
        (True, {"NO_COLOR": "1"}, False, False),
        (False, {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False, False),
        (True, {"FORCE_COLOR": "1"}, True, False),  # the flag wins
        (False, {"FORCE_COLOR": ""}, False, False),  # empty means unset
    ],
)
def test_colour_wanted(terminal: bool, environ: dict[str, str], no_color: bool, wanted: bool) -> None:
    stream = Terminal() if terminal else io.StringIO()
    assert colour_wanted(stream, no_color=no_color, environ=environ) is wanted
