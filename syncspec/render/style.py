"""Terminal styling: colour on a terminal or with FORCE_COLOR; never with --no-color or NO_COLOR."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TextIO

from syncspec.model.diagnostics import Severity

_RESET = "\x1b[0m"
_CODES = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "blue": "34", "cyan": "36"}
_SEVERITY_COLOUR = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def colour_wanted(
    stream: TextIO, *, no_color: bool = False, environ: Mapping[str, str] | None = None
) -> bool:
    """--no-color, then NO_COLOR (no-color.org), then FORCE_COLOR (force-color.org: any
    non-empty value, e.g. in a CI log that renders ANSI), then whether `stream` is a terminal."""
    env = os.environ if environ is None else environ
    if no_color or env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


@dataclass(frozen=True)
class Style:
    colour: bool = False

    @classmethod
    def plain(cls) -> Style:
        return cls(colour=False)

    @classmethod
    def for_stream(cls, stream: TextIO, *, no_color: bool = False) -> Style:
        return cls(colour=colour_wanted(stream, no_color=no_color))

    def paint(self, text: str, *names: str) -> str:
        if not self.colour or not names:
            return text
        codes = ";".join(_CODES[n] for n in names)
        return f"\x1b[{codes}m{text}{_RESET}"

    def bold(self, text: str) -> str:
        return self.paint(text, "bold")

    def dim(self, text: str) -> str:
        return self.paint(text, "dim")

    def severity(self, severity: Severity) -> str:
        return self.paint(severity.value, _SEVERITY_COLOUR[severity], "bold")
